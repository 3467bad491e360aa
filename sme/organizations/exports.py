"""The organization list as an Excel file (``sme.exports``): the officer's current filtered view, in
their scope, read by the same function as the list page (``forms.filtered_organizations``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.errors import NotAllowed
from sme.exports.registry import Table

from .forms import can_browse_organizations, filter_description, filtered_organizations

KIND = "organizations"
LABEL = gettext_lazy("机构名录")
CHUNK = 2_000


def local_date(moment: Any) -> Any:
    """A stored moment as the day it was in the platform's time zone (a date cell), or None."""
    return timezone.localdate(moment) if moment is not None else None


def organizations_table(user: Any, params: Mapping[str, str]) -> Table:
    if not can_browse_organizations(user):
        raise NotAllowed(_("只有主管部门和平台管理员可以浏览机构列表。"))
    form, qs = filtered_organizations(user, params)
    header = [
        _("机构名称"),
        _("统一社会信用代码"),
        _("机构类型"),
        _("法定代表人"),
        _("所在区县"),
        _("区县代码"),
        _("地址"),
        _("联系人"),
        _("联系电话"),
        _("联系邮箱"),
        _("认证状态"),
        _("注册日期"),
        _("认证日期"),
    ]

    def rows() -> Iterator[Sequence[Any]]:
        for org in qs.iterator(chunk_size=CHUNK):
            yield [
                org.name,
                org.uscc,
                org.get_kind_display(),
                org.legal_representative,
                org.district.name,
                org.district.code,
                org.address,
                org.contact_name,
                org.contact_phone,
                org.contact_email,
                org.get_verification_status_display(),
                local_date(org.created_at),
                local_date(org.verified_at),
            ]

    return Table(LABEL, header, qs.count(), rows, description=filter_description(form))
