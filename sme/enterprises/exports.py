"""The enterprise list as an Excel file (``sme.exports``): the officer's current filtered view, in
their scope, read by the same function as the list page (``forms.filtered_enterprises``), with each
enterprise's size class and its latest year's figures."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.errors import NotAllowed
from sme.exports.registry import Table
from sme.organizations.exports import local_date
from sme.organizations.forms import filter_description

from .forms import filtered_enterprises
from .models import EnterpriseProfile, EnterpriseYearFigures, SizeClass
from .permissions import can_browse_enterprises
from .selectors import industry_index, stored_rule

KIND = "enterprises"
LABEL = gettext_lazy("企业名录")
CHUNK = 2_000


def _latest_figures(organization_ids: list[int]) -> dict[int, EnterpriseYearFigures]:
    """Each enterprise's latest year of figures, for one chunk of the list (one query)."""
    latest: dict[int, EnterpriseYearFigures] = {}
    rows = EnterpriseYearFigures.objects.filter(organization_id__in=organization_ids).order_by(
        "organization_id", "-year"
    )
    for row in rows:
        latest.setdefault(row.organization_id, row)
    return latest


def enterprises_table(user: Any, params: Mapping[str, str]) -> Table:
    if not can_browse_enterprises(user):
        raise NotAllowed(_("只有主管部门和平台管理员可以浏览企业名录。"))
    form, qs = filtered_enterprises(user, params)
    header = [
        _("企业名称"),
        _("统一社会信用代码"),
        _("所在区县"),
        _("区县代码"),
        _("行业门类"),
        _("行业代码"),
        _("行业名称"),
        _("企业规模"),
        _("划型行业组"),
        _("划型依据"),
        _("划型所用数据年度"),
        _("最新数据年度"),
        _("从业人员（人）"),
        _("营业收入（万元）"),
        _("资产总额（万元）"),
        _("科技型中小企业"),
        _("专精特新企业"),
        _("高新技术企业"),
        _("法定代表人"),
        _("地址"),
        _("认证状态"),
        _("登记日期"),
    ]
    yes, no = _("是"), _("否")
    unclassified = _("未划型")
    sizes = dict(SizeClass.choices)

    def rows() -> Iterator[Sequence[Any]]:
        codes = industry_index()
        rules: dict[tuple[str, int | None], Any] = {}
        organizations = qs.iterator(chunk_size=CHUNK)
        while chunk := list(islice(organizations, CHUNK)):
            figures = _latest_figures([org.pk for org in chunk])
            for org in chunk:
                try:
                    profile = org.enterprise_profile
                except EnterpriseProfile.DoesNotExist:
                    profile = EnterpriseProfile()
                industry = codes.get(profile.industry_code) if profile.industry_code else None
                key = (profile.size_standard_version, profile.size_group)
                if key not in rules:
                    rules[key] = stored_rule(*key)
                rule = rules[key]
                year = figures.get(org.pk)
                yield [
                    org.name,
                    org.uscc,
                    org.district.name,
                    org.district.code,
                    profile.industry_section,
                    profile.industry_code,
                    industry.name if industry else "",
                    str(sizes[profile.size_class]) if profile.size_class else unclassified,
                    _("第%(number)s组 %(name)s") % {"number": profile.size_group, "name": rule.group_name}
                    if profile.size_group and rule
                    else "",
                    f"{rule.name}（{rule.document}）" if rule and rule.name else "",
                    profile.size_figures_year,
                    year.year if year else None,
                    year.employees if year else None,
                    year.revenue_wan if year else None,
                    year.assets_wan if year else None,
                    yes if profile.is_tech_sme else no,
                    yes if profile.is_specialized_new else no,
                    yes if profile.is_high_tech else no,
                    org.legal_representative,
                    org.address,
                    org.get_verification_status_display(),
                    local_date(org.created_at),
                ]

    return Table(LABEL, header, qs.count(), rows, description=filter_description(form))
