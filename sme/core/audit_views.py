"""Administrators browse and export the audit log. Read-only: there is no way to change a row."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import audit, clock
from .forms import BootstrapFormMixin
from .messages import msg
from .models import AuditLog
from .pagination import paginate
from .spreadsheets import Spreadsheet
from .typing import AuthenticatedRequest

EXPORT_LIMIT = 100_000


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    actor = forms.CharField(label=gettext_lazy("操作人用户名"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        required=False,
        help_text=gettext_lazy("选“某类全部”看一类操作，或选一项具体操作。"),
    )
    object_type = forms.CharField(label=gettext_lazy("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=gettext_lazy("对象编号"), required=False, max_length=64)
    result = forms.ChoiceField(label=gettext_lazy("结果"), required=False)
    since = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["result"]).choices = [("", _("全部")), *AuditLog.Result.choices]
        cast(forms.ChoiceField, self.fields["action"]).choices = action_filter_choices()


def action_filter_choices() -> list[tuple[str, Any]]:
    """ "All" of each family of codes (``auth.``: every code starting so), then every registered code."""
    codes = audit.action_choices()
    families = sorted({code.split(".", 1)[0] for code, _label in codes})
    return [
        ("", _("全部")),
        (
            _("按类"),
            [(f"{family}.", _("%(family)s.*（该类全部）") % {"family": family}) for family in families],
        ),
        (_("具体操作"), [(code, f"{label}（{code}）") for code, label in codes]),
    ]


def _require_admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("只有平台管理员可以查看审计日志。"))


def filtered(form: AuditFilterForm) -> QuerySet[AuditLog]:
    qs = AuditLog.objects.all()
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    if d["actor"]:
        qs = qs.filter(actor_label=d["actor"])
    if d["action"].endswith("."):
        qs = qs.filter(action__startswith=d["action"])
    elif d["action"]:
        qs = qs.filter(action=d["action"])
    if d["object_type"]:
        qs = qs.filter(object_type=d["object_type"])
    if d["object_id"]:
        qs = qs.filter(object_id=d["object_id"])
    if d["result"]:
        qs = qs.filter(result=d["result"])
    tz = timezone.get_current_timezone()
    if d["since"]:
        qs = qs.filter(created_at__gte=dt.datetime.combine(d["since"], dt.time.min, tzinfo=tz))
    if d["until"]:
        qs = qs.filter(
            created_at__lt=dt.datetime.combine(d["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs.order_by("-created_at", "-id")


@require_GET
@login_required
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin(request)
    form = AuditFilterForm(request.GET or None)
    page = paginate(filtered(form), request.GET.get("page"), per_page=50)
    return render(request, "audit/list.html", {"form": form, "page": page, "export_limit": EXPORT_LIMIT})


@require_GET
@login_required
def audit_export(request: AuthenticatedRequest) -> FileResponse:
    """The filtered rows as .xlsx (newest first, at most ``EXPORT_LIMIT``); the export is itself audited."""
    _require_admin(request)
    form = AuditFilterForm(request.GET or None)
    rows = filtered(form)[:EXPORT_LIMIT]
    book = Spreadsheet()
    sheet = book.sheet(
        _("审计日志"),
        [
            _("时间"),
            _("操作人"),
            _("操作"),
            _("对象类型"),
            _("对象编号"),
            _("对象"),
            _("摘要"),
            _("变更内容"),
            _("IP 地址"),
            _("客户端"),
            _("结果"),
        ],
    )
    results = dict(AuditLog.Result.choices)
    count = 0
    for r in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                r.created_at,
                r.actor_label,
                f"{r.action_label}（{r.action}）",
                r.object_type,
                r.object_id,
                r.object_label,
                r.summary_text,
                str(r.changes) if r.changes else "",
                r.ip or "",
                r.user_agent,
                str(results.get(r.result, r.result)),
            ]
        )
        count += 1
    audit.record(
        "audit.export",
        actor=request.user,
        summary=msg("导出审计日志 %(n)d 条", n=count),
        changes={"filters": {k: str(v) for k, v in request.GET.items()}},
    )
    return book.response(f"audit-log-{clock.today():%Y%m%d}.xlsx")
