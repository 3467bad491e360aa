"""The officers' list of submitted assessments as an Excel export (``sme.exports``): exactly the list
as filtered on the page, in the officer's scope, with the latest on-site score beside the self-score.

Credit codes are text (leading zeros and all 18 characters survive), the submission and on-site
dates are dates, scores are numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.errors import NotAllowed
from sme.exports.registry import Table

from . import selectors
from .forms import describe_filters, response_filters
from .models import VerifiedScore
from .permissions import is_officer_view

KIND = "assessments"
LABEL = gettext_lazy("企业数字化评测")
CHUNK = 2000


def _header() -> list[str]:
    return [
        _("企业名称"),
        _("统一社会信用代码"),
        _("区县"),
        _("问卷"),
        _("问卷版本"),
        _("提交日期"),
        _("自评得分"),
        _("满分"),
        _("自评等级"),
        _("现场评定得分"),
        _("现场评定等级"),
        _("现场评定日期"),
    ]


def assessments_table(user: Any, params: Mapping[str, str]) -> Table:
    """The rows of ``/assessment/responses/`` with ``params`` (its query) for ``user``."""
    if not is_officer_view(user):
        raise NotAllowed(_("只有主管部门和平台管理员可以导出企业评测。"))
    form, filters = response_filters(user, params)
    latest = VerifiedScore.objects.filter(response=OuterRef("pk")).order_by("-created_at", "-id")
    qs = selectors.officer_response_list(user, **filters).annotate(
        verified_total=Subquery(latest.values("total")[:1]),
        verified_level=Subquery(latest.values("level_label")[:1]),
        verified_on=Subquery(latest.values("evaluated_on")[:1]),
    )

    def rows() -> Iterator[Sequence[Any]]:
        for r in qs.iterator(chunk_size=CHUNK):
            yield [
                r.organization.name,
                r.organization.uscc,
                r.organization.district.name if r.organization.district else "",
                r.questionnaire.name,
                r.questionnaire_version,
                timezone.localdate(r.submitted_at) if r.submitted_at else None,
                r.total,
                r.max_score,
                r.level_label,
                r.verified_total,
                r.verified_level or "",
                r.verified_on,
            ]

    scope = user.jurisdiction.name if getattr(user, "jurisdiction", None) else _("全平台")
    return Table(
        title=LABEL,
        header=_header(),
        count=qs.count(),
        rows=rows,
        description=_("%(scope)s；%(filters)s") % {"scope": scope, "filters": describe_filters(form)},
    )
