"""The yearly work summary a certified platform reports (第十三条): once per year, by the scheme's
``annual_summary_due`` of the following year. Reminders and the overdue flag are the daily job's
(``daily.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.notifications.services import notify

from .. import figures
from ..models import AnnualSummary, Certification, SummaryDuty
from ..permissions import certification_roles_for
from ..selectors import titles as selectors
from ..workflow import APPLICANT
from . import people

REVENUE_MAX_WAN = Decimal("999999999999.99")


def _year_problem(certification: Certification, year_number: int) -> str | None:
    open_years = selectors.summary_years_open(certification)
    if year_number in open_years:
        return None
    if selectors.summary_reported(certification, year_number):
        return _("%(year)s年度工作总结已报送，每年只报送一次。") % {"year": year_number}
    if open_years:
        return _("可报送的年度：%(years)s。") % {"years": "、".join(str(y) for y in sorted(open_years))}
    return _("目前没有需要报送的年度工作总结。")


@transaction.atomic
def summary_submit(
    *,
    actor: Any,
    certification: Certification,
    year: Any,
    text: str,
    smes_served: Any,
    satisfaction_percent: Any,
    service_revenue_wan: Any,
    public_services: Any = 0,
) -> AnnualSummary:
    """The platform reports one year's work summary with its figures; once per year (第十三条)."""
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以报送年度工作总结。"))
    if not certification.in_force:
        raise Conflict(
            _("称号当前状态为「%(status)s」，无需再报送年度工作总结。")
            % {"status": certification.get_status_display()}
        )
    problems = Problems()
    try:
        year_number = int(year)
    except (TypeError, ValueError):
        year_number = 0
    year_problem = _year_problem(certification, year_number)
    if year_problem:
        problems.add("year", year_problem)
    text = (text or "").strip()
    if not text:
        problems.add("text", _("请填写工作总结。"))
    smes = parsing.integer(smes_served, "smes_served", problems, label=_("服务中小企业数"), required=True)
    satisfaction = parsing.number(
        satisfaction_percent,
        "satisfaction_percent",
        problems,
        label=_("用户满意度"),
        maximum=Decimal(100),
        required=True,
    )
    revenue = parsing.number(
        service_revenue_wan,
        "service_revenue_wan",
        problems,
        label=_("服务收入"),
        maximum=REVENUE_MAX_WAN,
        required=True,
    )
    public = parsing.integer(
        public_services, "public_services", problems, label=_("公益性服务"), required=True
    )
    problems.raise_if_any(_("年度工作总结填写有误，请按提示修改。"))
    assert smes is not None and satisfaction is not None and revenue is not None and public is not None
    try:
        with transaction.atomic():
            summary = AnnualSummary.objects.create(
                certification=certification,
                year=year_number,
                due_on=selectors.summary_due_on(certification.scheme, year_number),
                text=text,
                smes_served=smes,
                satisfaction_percent=satisfaction,
                service_revenue_wan=revenue,
                public_services=public,
                submitted_at=clock.now(),
                submitted_by=actor,
            )
    except IntegrityError as exc:  # reported a moment ago by someone else
        message = _("%(year)s年度工作总结已报送，每年只报送一次。") % {"year": year_number}
        raise Conflict(message) from exc
    SummaryDuty.objects.filter(certification=certification, year=year_number).update(summary=summary)
    audit.record(
        "certification_title.summary_submit",
        actor=actor,
        obj=certification,
        summary=msg("报送%(year)s年度工作总结（逾期）", year=year_number)
        if summary.late
        else msg("报送%(year)s年度工作总结", year=year_number),
        changes={
            "year": [None, year_number],
            "smes_served": [None, smes],
            "satisfaction_percent": [None, figures.shown(satisfaction)],
            "service_revenue_wan": [None, figures.shown(revenue)],
            "public_services": [None, public],
        },
    )
    notify(
        people.district_officers(certification),
        title=msg("%(name)s 报送了%(year)s年度工作总结", name=certification.platform_name, year=year_number),
        url=people.certification_url(certification),
        event="certification",
    )
    return summary
