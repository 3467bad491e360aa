"""After certification (渝中小企〔2013〕24号 第十三条–第十五条): services and selectors for certified platforms.

- Yearly work summary (第十三条): the platform reports last year's summary with figures, once per year,
  by the scheme's ``annual_summary_due`` of the following year. The daily job reminds 30 and 7 days
  before and flags it overdue after; :class:`~.models.SummaryDuty` records what was sent, so each
  reminder goes out once however often the job runs.
- Re-review (第十四条): opened 90 days before ``valid_until`` by the daily job, or earlier (within the
  cycle's last year) by the platform or the city. The platform files the three-year summary, the
  audited income/expenditure report and its self-evaluation on the scheme's ``annual_form``; the
  district scores and forwards (or returns); the city scores and confirms (validity extended by
  ``validity_years`` from the old ``valid_until``) or fails it, which revokes the title.
- Spot checks and revocation for fraud (第十五条); expiry of titles never re-reviewed.
- The public history of a title and the revocation announcements.

Roles are the relationships of ``workflow.py`` (:func:`certification_roles_for`; ``None`` is the
scheduled job). Every status change goes through ``sme.core.workflow.apply_transition``; the table is
checked first (wrong status → ``Conflict``, wrong person → ``NotAllowed``), then the action's guard and
input. Selectors apply the caller's scope: a record outside it does not exist for them (404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.accounts.models import Role, User
from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed, ServiceError
from sme.core.todos import Todo
from sme.core.uploads import inspect_upload, storage_path
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import MANAGING_ROLES, Membership, MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids

from .models import (
    AnnualSummary,
    Certification,
    CertificationStatus,
    ReReview,
    ReReviewStatus,
    Scheme,
    SchemeLevel,
    SpotCheck,
    SpotCheckRectification,
    SpotCheckStatus,
    SummaryDuty,
)
from .permissions import (
    deciders_of,
    district_officers_covering,
    organization_people,
    roles_toward,
)
from .workflow import (
    APPLICANT,
    CERTIFICATION,
    CITY_REVIEWER,
    REREVIEW,
    SPOT_CHECK,
    SYSTEM,
)

IN_FORCE = (CertificationStatus.ACTIVE, CertificationStatus.REREVIEW)
# The daily job opens the re-review this many days before the cycle ends (valid_until).
REREVIEW_OPENS_DAYS_BEFORE = 90
# The platform or the city may open it themselves within the cycle's last year: 第十四条 has the
# re-review filed with the yearly round, not at any time in the cycle.
REREVIEW_EARLIEST_DAYS_BEFORE = 365
# Summary reminders, in days before the due date: (first, last).
FIRST_REMINDER_DAYS = 30
LAST_REMINDER_DAYS = 7
REREVIEW_OPEN_STATUSES = (ReReviewStatus.DRAFT, ReReviewStatus.SUBMITTED, ReReviewStatus.DISTRICT_REVIEWED)


def _today() -> dt.date:
    from . import services  # one clock for the whole certification app (tests and the demo pin it there)

    return services._today()


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- roles --------------------------------------------------------------------------------------


def certification_roles_for(user: Any, certification: Certification) -> set[str]:
    """The roles of ``workflow.py`` that ``user`` holds towards a granted title
    (``permissions.roles_toward``); ``None`` stands for the scheduled job and holds ``system`` only."""
    if user is None:
        return {SYSTEM}
    return roles_toward(
        user,
        organization_id=certification.organization_id,
        district_id=certification.district_id,
        scheme=certification.scheme,
    )


# --- selectors ----------------------------------------------------------------------------------


def certifications_visible_to(user: Any) -> QuerySet[Certification]:
    """Titles in ``user``'s scope: members see their organization's, district officers their
    district's (and those under a district-level scheme of theirs), city officers their jurisdiction's,
    administrators all. Experts and anonymous users see none here (the register is the public view)."""
    qs = Certification.objects.select_related("organization", "district", "scheme")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.role == Role.DISTRICT_OFFICER:
        ids = jurisdiction_district_ids(user)
        return qs.filter(
            Q(district_id__in=ids) | Q(scheme__level=SchemeLevel.DISTRICT, scheme__region_id__in=ids)
        )
    if user.role == Role.CITY_OFFICER:
        return qs.filter(district_id__in=jurisdiction_district_ids(user))
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        member = Membership.objects.filter(
            organization_id=OuterRef("organization_id"), user=user, status=MembershipStatus.ACTIVE
        )
        return qs.filter(Exists(member))
    return qs.none()


def certification_for(user: Any, pk: int) -> Certification:
    """One title in ``user``'s scope, or 404."""
    certification = certifications_visible_to(user).filter(pk=pk).first()
    if certification is None:
        raise Http404(_("认定平台不存在，或不在您的管辖范围内。"))
    return certification


def _overdue_duties() -> QuerySet[SummaryDuty]:
    return SummaryDuty.objects.filter(overdue_since__isnull=False, summary__isnull=True)


def certification_list(user: Any, *, status: str = "", overdue: bool = False) -> QuerySet[Certification]:
    """Titles in scope, those expiring soonest first, each with ``summary_overdue`` (a yearly summary
    past its due date and not reported) and ``open_rereviews`` (a re-review under way)."""
    qs = certifications_visible_to(user).annotate(
        summary_overdue=Exists(_overdue_duties().filter(certification_id=OuterRef("pk"))),
    )
    if status in CertificationStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(summary_overdue=True, status__in=IN_FORCE)
    return qs.order_by("valid_until", "id")


def overdue_summaries(user: Any) -> QuerySet[SummaryDuty]:
    """Yearly summaries past due and not reported, for titles in force in ``user``'s scope."""
    titles = certifications_visible_to(user).filter(status__in=IN_FORCE).values("pk")
    return (
        _overdue_duties()
        .filter(certification_id__in=titles)
        .select_related("certification", "certification__district", "certification__organization")
        .order_by("due_on", "certification__district__sort_order", "id")
    )


def summary_due_on(scheme: Scheme, year: int) -> dt.date:
    """When the summary of ``year`` is due: the scheme's ``annual_summary_due`` (MM-DD) of the next year."""
    month, day = (int(part) for part in scheme.annual_summary_due.split("-"))
    try:
        return dt.date(year + 1, month, day)
    except ValueError:  # 02-29 in a common year
        return dt.date(year + 1, month, 28)


def summary_years_open(certification: Certification, today: dt.date | None = None) -> list[int]:
    """The years whose summary the platform may still report, latest first: from the year of grant
    to last year, while the title was in force, not reported yet."""
    today = today or _today()
    last = min(today.year - 1, certification.valid_until.year)
    done = set(certification.annual_summaries.values_list("year", flat=True))
    return [y for y in range(last, certification.granted_on.year - 1, -1) if y not in done]


def rereview_opens_on(certification: Certification) -> dt.date:
    """The first day the platform or the city may open the re-review of the current cycle."""
    return certification.valid_until - dt.timedelta(days=REREVIEW_EARLIEST_DAYS_BEFORE)


def rereview_can_open_on(certification: Certification, today: dt.date) -> bool:
    return rereview_opens_on(certification) <= today <= certification.valid_until


def rereviews_visible_to(user: Any) -> QuerySet[ReReview]:
    titles = certifications_visible_to(user).values("pk")
    return ReReview.objects.filter(certification_id__in=titles).select_related(
        "certification",
        "certification__organization",
        "certification__district",
        "certification__scheme",
        "scheme",
    )


def rereview_for(user: Any, pk: int) -> ReReview:
    rereview = rereviews_visible_to(user).filter(pk=pk).first()
    if rereview is None:
        raise Http404(_("复核不存在，或不在您的管辖范围内。"))
    return rereview


def rereview_queue(user: Any, *, status: str = "") -> QuerySet[ReReview]:
    """Re-reviews in scope. With no ``status``: what waits for ``user`` — the district's submitted
    ones for a district officer, the forwarded ones for a city officer, drafts for the platform."""
    qs = rereviews_visible_to(user)
    if status in ReReviewStatus.values:
        qs = qs.filter(status=status)
    elif user.role == Role.DISTRICT_OFFICER:
        qs = qs.filter(status=ReReviewStatus.SUBMITTED)
    elif user.role == Role.CITY_OFFICER:
        qs = qs.filter(status=ReReviewStatus.DISTRICT_REVIEWED)
    elif user.role in (Role.ENTERPRISE, Role.PROVIDER):
        qs = qs.filter(status=ReReviewStatus.DRAFT)
    else:
        qs = qs.filter(status__in=REREVIEW_OPEN_STATUSES)
    if not status or status in REREVIEW_OPEN_STATUSES:
        qs = qs.filter(certification__status=CertificationStatus.REREVIEW)  # a revoked title ends it
    return qs.order_by("cycle_ends_on", "id")


def spot_checks_visible_to(user: Any) -> QuerySet[SpotCheck]:
    titles = certifications_visible_to(user).values("pk")
    return SpotCheck.objects.filter(certification_id__in=titles).select_related(
        "certification", "certification__organization", "certification__district", "certification__scheme"
    )


def spot_check_for(user: Any, pk: int) -> SpotCheck:
    spot_check = spot_checks_visible_to(user).filter(pk=pk).first()
    if spot_check is None:
        raise Http404(_("抽查记录不存在，或不在您的管辖范围内。"))
    return spot_check


def spot_check_list(user: Any, *, status: str = "") -> QuerySet[SpotCheck]:
    """Spot checks in scope, open ones by deadline first, with ``rectification_count``."""
    qs = spot_checks_visible_to(user).annotate(rectification_count=Count("rectifications"))
    if status in SpotCheckStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(F("rectification_due").asc(nulls_last=True), "-id")


def revocations() -> QuerySet[Certification]:
    """Revoked titles for the public announcements (第十四条、第十五条), newest first."""
    return (
        Certification.objects.filter(status=CertificationStatus.REVOKED)
        .select_related("district", "scheme", "organization")
        .order_by("-revoked_on", "-id")
    )


@dataclass(frozen=True)
class PublicEvent:
    """One public fact in a title's history: what happened on which day."""

    on: dt.date
    kind: str  # granted, summary, rereview_confirmed, rereview_failed, spot_check_passed, spot_check_failed,
    #           revoked, expired
    label: str
    detail: str = ""


def certification_history(certification: Certification) -> list[PublicEvent]:
    """The public events of a title, oldest first: grant, yearly summaries reported, re-review and
    spot-check results, revocation (with its basis and reason) or expiry. Internal steps (drafts,
    returns, scores, findings) are not public. Three queries."""
    events = [
        PublicEvent(
            certification.granted_on,
            "granted",
            _("授予「%(title)s」称号") % {"title": certification.title},
            _("证书编号 %(number)s") % {"number": certification.number},
        )
    ]
    for s in certification.annual_summaries.order_by("year"):
        events.append(
            PublicEvent(
                timezone.localdate(s.submitted_at),
                "summary",
                _("报送%(year)s年度工作总结") % {"year": s.year},
                _("逾期报送（期限 %(due)s）") % {"due": _date(s.due_on)} if s.late else "",
            )
        )
    for r in certification.rereviews.filter(
        status__in=[ReReviewStatus.CONFIRMED, ReReviewStatus.FAILED], decided_at__isnull=False
    ).select_related("scheme"):
        decided = timezone.localdate(r.decided_at) if r.decided_at else r.cycle_ends_on
        if r.status == ReReviewStatus.CONFIRMED:
            extended = _add_years(r.cycle_ends_on, r.scheme.validity_years)
            events.append(
                PublicEvent(
                    decided,
                    "rereview_confirmed",
                    _("三年复核合格，予以确认"),
                    _("有效期延至 %(until)s") % {"until": _date(extended)},
                )
            )
        else:
            events.append(PublicEvent(decided, "rereview_failed", _("三年复核不合格"), r.decision_note))
    for sc in certification.spot_checks.filter(
        status__in=[SpotCheckStatus.PASSED, SpotCheckStatus.FAILED], closed_at__isnull=False
    ):
        closed = timezone.localdate(sc.closed_at) if sc.closed_at else sc.checked_on
        if sc.status == SpotCheckStatus.PASSED:
            events.append(PublicEvent(closed, "spot_check_passed", _("抽查合格")))
        else:
            events.append(PublicEvent(closed, "spot_check_failed", _("抽查整改不合格"), sc.result_note))
    if certification.status == CertificationStatus.REVOKED and certification.revoked_on:
        events.append(
            PublicEvent(
                certification.revoked_on,
                "revoked",
                _("撤销称号（%(basis)s）") % {"basis": certification.get_revocation_basis_display()},
                certification.revocation_reason,
            )
        )
    elif certification.status == CertificationStatus.EXPIRED:
        events.append(
            PublicEvent(
                certification.valid_until,
                "expired",
                _("有效期届满，未经复核确认，称号失效"),
            )
        )
    order = {"granted": 0, "summary": 1}
    return sorted(events, key=lambda e: (e.on, order.get(e.kind, 2)))


# --- people to tell -----------------------------------------------------------------------------


def _managers(certification: Certification) -> list[User]:
    return organization_people(certification.organization_id, managers_only=True)


def _district_officers(certification: Certification) -> list[User]:
    return district_officers_covering(certification.district_id)


def _deciders(scheme: Scheme) -> list[User]:
    return deciders_of(scheme)


def _certification_url(certification: Certification) -> str:
    return reverse("certification:certified", args=[certification.pk])


def _rereview_url(rereview: ReReview) -> str:
    return reverse("certification:rereview", args=[rereview.pk])


def _spot_check_url(spot_check: SpotCheck) -> str:
    return reverse("certification:spot-check", args=[spot_check.pk])


# --- input --------------------------------------------------------------------------------------


def parse_decimal(
    value: Any,
    name: str,
    problems: dict[str, list[str]],
    *,
    places: int = 2,
    maximum: Decimal | None = None,
    required: bool = True,
) -> Decimal | None:
    """A non-negative decimal with at most ``places`` decimals (and at most ``maximum``), or a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.setdefault(name, []).append(_("必填。"))
        return None
    if isinstance(value, bool):
        problems.setdefault(name, []).append(_("请输入数字。"))
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.setdefault(name, []).append(_("请输入数字。"))
        return None
    if not number.is_finite() or number < 0:
        problems.setdefault(name, []).append(_("不能为负数。"))
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        message = _("请输入整数。") if places == 0 else _("最多保留%(n)s位小数。") % {"n": places}
        problems.setdefault(name, []).append(message)
        return None
    if maximum is not None and number > maximum:
        problems.setdefault(name, []).append(_("不能超过%(max)s。") % {"max": _shown(maximum)})
        return None
    return number


def form_items(scheme: Scheme) -> list[dict[str, Any]]:
    """The items of the scheme's 年度运营情况测评表: ``[{"key", "label", "max_score"}]``."""
    return list((scheme.annual_form or {}).get("items", []))


def form_pass_score(scheme: Scheme) -> Decimal | None:
    value = (scheme.annual_form or {}).get("pass_score")
    return None if value is None else Decimal(str(value))


def form_max_total(scheme: Scheme) -> Decimal:
    return sum((Decimal(str(i["max_score"])) for i in form_items(scheme)), Decimal(0))


def clean_scores(
    scheme: Scheme,
    raw: Mapping[str, Any] | None,
    *,
    prefix: str,
    problems: dict[str, list[str]],
    complete: bool,
) -> tuple[dict[str, str], Decimal]:
    """Scores on the scheme's annual form: each item 0..its maximum (one decimal), and their total.

    Problems are named ``<prefix>.<item key>``; with ``complete`` every item must be scored.
    Keys not on the form are ignored.
    """
    raw = raw or {}
    cleaned: dict[str, str] = {}
    total = Decimal(0)
    for item in form_items(scheme):
        key = item["key"]
        name = f"{prefix}.{key}"
        before = len(problems.get(name, []))
        value = parse_decimal(
            raw.get(key), name, problems, places=1, maximum=Decimal(str(item["max_score"])), required=False
        )
        if value is None:
            if complete and len(problems.get(name, [])) == before:
                problems.setdefault(name, []).append(_("请为「%(item)s」打分。") % {"item": item["label"]})
            continue
        cleaned[key] = _shown(value)
        total += value
    return cleaned, total


def scores_total(scheme: Scheme, scores: Mapping[str, Any]) -> Decimal:
    """The total of stored scores (for display)."""
    total = Decimal(0)
    for item in form_items(scheme):
        try:
            total += Decimal(str(scores.get(item["key"], 0) or 0))
        except InvalidOperation:
            continue
    return total


# --- yearly summary (第十三条) -------------------------------------------------------------------


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
    today: dt.date | None = None,
) -> AnnualSummary:
    """The platform reports one year's work summary with its figures; once per year (第十三条)."""
    today = today or _today()
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以报送年度工作总结。"))
    if certification.status not in IN_FORCE:
        raise Conflict(
            _("称号当前状态为「%(status)s」，无需再报送年度工作总结。")
            % {"status": certification.get_status_display()}
        )
    problems: dict[str, list[str]] = {}
    open_years = summary_years_open(certification, today)
    try:
        year_number = int(year)
    except (TypeError, ValueError):
        year_number = 0
    if year_number not in open_years:
        reported = certification.annual_summaries.filter(year=year_number).exists()
        if reported:
            problems["year"] = [_("%(year)s年度工作总结已报送，每年只报送一次。") % {"year": year_number}]
        elif open_years:
            problems["year"] = [
                _("可报送的年度：%(years)s。") % {"years": "、".join(str(y) for y in sorted(open_years))}
            ]
        else:
            problems["year"] = [_("目前没有需要报送的年度工作总结。")]
    text = (text or "").strip()
    if not text:
        problems["text"] = [_("请填写工作总结。")]
    smes = parse_decimal(smes_served, "smes_served", problems, places=0)
    satisfaction = parse_decimal(satisfaction_percent, "satisfaction_percent", problems, maximum=Decimal(100))
    revenue = parse_decimal(
        service_revenue_wan, "service_revenue_wan", problems, maximum=Decimal("999999999999.99")
    )
    public = parse_decimal(public_services, "public_services", problems, places=0)
    if problems:
        raise InvalidInput(_("年度工作总结填写有误，请按提示修改。"), problems)
    assert smes is not None and satisfaction is not None and revenue is not None and public is not None
    try:
        with transaction.atomic():
            summary = AnnualSummary.objects.create(
                certification=certification,
                year=year_number,
                due_on=summary_due_on(certification.scheme, year_number),
                text=text,
                smes_served=int(smes),
                satisfaction_percent=satisfaction,
                service_revenue_wan=revenue,
                public_services=int(public),
                submitted_at=timezone.now(),
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
        summary=_("报送%(year)s年度工作总结") % {"year": year_number}
        + (_("（逾期）") if summary.late else ""),
        changes={
            "year": [None, year_number],
            "smes_served": [None, int(smes)],
            "satisfaction_percent": [None, _shown(satisfaction)],
            "service_revenue_wan": [None, _shown(revenue)],
            "public_services": [None, int(public)],
        },
    )
    notify(
        _district_officers(certification),
        title=_("%(name)s 报送了%(year)s年度工作总结")
        % {"name": certification.platform_name, "year": year_number},
        url=_certification_url(certification),
    )
    return summary


# --- the title's own transitions ---------------------------------------------------------------


def _move(
    certification: Certification,
    *,
    action: str,
    actor: Any,
    roles: set[str],
    note: str = "",
    updates: dict[str, Any] | None = None,
) -> Certification:
    moved = apply_transition(
        workflow=CERTIFICATION,
        obj=certification,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates=updates,
    )
    assert isinstance(moved, Certification)
    return moved


@transaction.atomic
def rereview_open(*, actor: Any, certification: Certification, today: dt.date | None = None) -> ReReview:
    """Open the re-review of the title's current cycle (ending ``valid_until``), under the scheme
    version now current for its code (the rules in force when it is judged)."""
    today = today or _today()
    roles = certification_roles_for(actor, certification)
    CERTIFICATION.check("open_rereview", certification.status, roles)
    earliest = rereview_opens_on(certification)
    if today < earliest:
        raise NotAllowed(
            _("本周期有效期至%(until)s，复核最早可于%(earliest)s开始。")
            % {"until": _date(certification.valid_until), "earliest": _date(earliest)}
        )
    if today > certification.valid_until:
        raise NotAllowed(
            _("有效期已于%(until)s届满，不能再开始复核。") % {"until": _date(certification.valid_until)}
        )
    scheme = Scheme.objects.current().filter(code=certification.scheme.code).first() or certification.scheme
    certification = _move(certification, action="open_rereview", actor=actor, roles=roles)
    rereview = ReReview.objects.create(
        certification=certification, scheme=scheme, cycle_ends_on=certification.valid_until
    )
    notify(
        _managers(certification),
        title=_("「%(name)s」三年复核已开始") % {"name": certification.platform_name},
        body=_(
            "请报送三年工作总结、上一年度服务收支专项审计报告和年度运营情况测评表（自评）。本周期有效期至%(until)s。"
        )
        % {"until": _date(certification.valid_until)},
        url=_rereview_url(rereview),
    )
    return rereview


def _revoke(
    certification: Certification, *, actor: Any, roles: set[str], reason: str, basis: str, today: dt.date
) -> Certification:
    certification = _move(
        certification,
        action="revoke",
        actor=actor,
        roles=roles,
        note=reason,
        updates={"revoked_on": today, "revocation_reason": reason.strip(), "revocation_basis": basis},
    )
    notify(
        _managers(certification) + _district_officers(certification),
        title=_("「%(name)s」的「%(title)s」称号已撤销")
        % {"name": certification.platform_name, "title": certification.title},
        body=_("撤销依据：%(basis)s\n撤销原因：%(reason)s")
        % {"basis": certification.get_revocation_basis_display(), "reason": certification.revocation_reason},
        url=reverse("certification:announcements"),
    )
    return certification


@transaction.atomic
def certification_revoke(
    *, actor: Any, certification: Certification, reason: str, today: dt.date | None = None
) -> Certification:
    """The city revokes a title for fraud (第十五条: 弄虚作假的撤销其称号), with a reason made public."""
    roles = certification_roles_for(actor, certification)
    CERTIFICATION.check("revoke", certification.status, roles)
    return _revoke(
        certification, actor=actor, roles=roles, reason=reason or "", basis="fraud", today=today or _today()
    )


@transaction.atomic
def certification_expire(
    *, certification: Certification, actor: Any = None, today: dt.date | None = None
) -> Certification:
    """Mark an active title whose ``valid_until`` has passed without a re-review as expired (the job)."""
    today = today or _today()
    roles = certification_roles_for(actor, certification)
    CERTIFICATION.check("expire", certification.status, roles)
    if today <= certification.valid_until:
        raise NotAllowed(_("有效期至%(until)s，尚未届满。") % {"until": _date(certification.valid_until)})
    certification = _move(certification, action="expire", actor=actor, roles=roles)
    notify(
        _managers(certification) + _district_officers(certification),
        title=_("「%(name)s」的「%(title)s」称号已过期")
        % {"name": certification.platform_name, "title": certification.title},
        body=_("有效期至%(until)s，期满未经复核确认。") % {"until": _date(certification.valid_until)},
        url=_certification_url(certification),
    )
    return certification


def _confirm(certification: Certification, *, actor: Any, roles: set[str], today: dt.date) -> Certification:
    CERTIFICATION.check("confirm", certification.status, roles)
    latest = certification.rereviews.select_related("scheme").order_by("-id").first()
    if (
        latest is None
        or latest.status != ReReviewStatus.CONFIRMED
        or latest.cycle_ends_on != certification.valid_until
    ):
        raise NotAllowed(_("本周期的三年复核尚未通过，不能确认称号。"))
    new_until = _add_years(certification.valid_until, latest.scheme.validity_years)
    certification = _move(
        certification,
        action="confirm",
        actor=actor,
        roles=roles,
        note=_("有效期由%(old)s延至%(new)s")
        % {"old": _date(certification.valid_until), "new": _date(new_until)},
        updates={"valid_until": new_until},
    )
    notify(
        _managers(certification) + _district_officers(certification),
        title=_("三年复核合格：%(name)s") % {"name": certification.platform_name},
        body=_("称号有效期延至%(until)s。") % {"until": _date(certification.valid_until)},
        url=_certification_url(certification),
    )
    return certification


@transaction.atomic
def certification_transition(
    *, actor: Any, certification: Certification, action: str, note: str = "", today: dt.date | None = None
) -> Certification:
    """Move a title along ``workflow.CERTIFICATION`` by ``action`` (one entry point for the table):
    ``open_rereview`` (see :func:`rereview_open`), ``confirm`` (only once this cycle's re-review is
    confirmed; the re-review's own confirmation calls it), ``revoke`` for fraud (``note`` is the
    reason) and ``expire`` (the job)."""
    today = today or _today()
    if action == "open_rereview":
        rereview_open(actor=actor, certification=certification, today=today)
    elif action == "revoke":
        certification_revoke(actor=actor, certification=certification, reason=note, today=today)
    elif action == "expire":
        certification_expire(certification=certification, actor=actor, today=today)
    elif action == "confirm":
        _confirm(certification, actor=actor, roles=certification_roles_for(actor, certification), today=today)
    else:
        CERTIFICATION.check(action, certification.status, certification_roles_for(actor, certification))
    certification.refresh_from_db()
    return certification


# --- the re-review (第十四条) --------------------------------------------------------------------


@transaction.atomic
def rereview_update(
    *,
    actor: Any,
    rereview: ReReview,
    expected_version: int,
    three_year_summary: str,
    self_evaluation: Mapping[str, Any] | None = None,
    audit_report: File | None = None,
) -> ReReview:
    """The platform prepares its re-review while it is a draft: the three-year summary, the audited
    service income/expenditure report (checked by content; SHA-256 kept) and its self-evaluation.
    A plain edit, compare-and-set on ``version``; partial self-evaluations are kept until submission."""
    certification = rereview.certification
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以填写复核材料。"))
    if rereview.status != ReReviewStatus.DRAFT:
        raise Conflict(_("复核材料已报送，不能再修改。"))
    problems: dict[str, list[str]] = {}
    scores, _total = clean_scores(
        rereview.scheme, self_evaluation, prefix="self_evaluation", problems=problems, complete=False
    )
    info = None
    if audit_report is not None:
        try:
            info = inspect_upload(audit_report, field="audit_report")
        except InvalidInput as exc:
            for name, messages in exc.field_errors.items():
                problems.setdefault(name, []).extend(messages)
    if problems:
        raise InvalidInput(_("复核材料填写有误，请按提示修改。"), problems)
    values: dict[str, Any] = {
        "three_year_summary": (three_year_summary or "").strip(),
        "self_evaluation": scores,
    }
    stored = ""
    if info is not None and audit_report is not None:
        stored = default_storage.save(storage_path("certification/rereview", info), audit_report)
        values.update(audit_report=stored, audit_report_label=info.label, audit_report_sha256=info.sha256)
    before = {k: getattr(rereview, k) for k in values}
    changed = ReReview.objects.filter(
        pk=rereview.pk, version=expected_version, status=ReReviewStatus.DRAFT
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if changed == 0:
        if stored:
            default_storage.delete(stored)
        raise Conflict(_("在您编辑期间，复核材料已被他人修改或已报送。您的修改未保存，请刷新后重新填写。"))
    rereview.refresh_from_db()
    changed_fields = [k for k in values if before[k] != getattr(rereview, k)]
    audit.record(
        "certification_rereview.update",
        actor=actor,
        obj=rereview,
        object_label=f"{certification.number} {certification.platform_name}",
        summary=_("填写复核材料：%(fields)s")
        % {
            "fields": "、".join(
                str(cast(models.Field, ReReview._meta.get_field(k)).verbose_name) for k in changed_fields
            )
            or _("无变化")
        },
        changes={"audit_report_sha256": [before["audit_report_sha256"], info.sha256]} if info else {},
    )
    return rereview


def submission_problems(rereview: ReReview) -> dict[str, list[str]]:
    """What is missing before the platform may submit its re-review (empty when complete)."""
    problems: dict[str, list[str]] = {}
    if not rereview.three_year_summary.strip():
        problems["three_year_summary"] = [_("请填写三年工作总结。")]
    if not rereview.audit_report:
        problems["audit_report"] = [_("请上传上一年度服务收支专项审计报告。")]
    if not form_items(rereview.scheme):
        problems["self_evaluation"] = [_("该认定办法未设置年度运营情况测评表，请联系认定机关。")]
    else:
        clean_scores(
            rereview.scheme,
            rereview.self_evaluation,
            prefix="self_evaluation",
            problems=problems,
            complete=True,
        )
    return problems


REREVIEW_ACTIONS = ("submit", "district_return", "district_evaluate", "confirm", "fail")


@transaction.atomic
def rereview_transition(
    *,
    actor: Any,
    rereview: ReReview,
    action: str,
    note: str = "",
    scores: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> ReReview:
    """Move a re-review along ``workflow.REREVIEW``.

    ``submit`` (the platform; everything filed), ``district_return`` (with a reason) or
    ``district_evaluate`` (the district scores every item of the annual form), ``confirm`` (the city
    scores; a total below the form's pass score cannot be confirmed; the title's validity is extended by
    ``validity_years`` from the old ``valid_until``) or ``fail`` (the city scores and gives the reason;
    the title is revoked with basis "rereview" and announced).
    """
    today = today or _today()
    certification = rereview.certification
    roles = certification_roles_for(actor, certification)
    REREVIEW.check(action, rereview.status, roles)
    if certification.status != CertificationStatus.REREVIEW:
        raise Conflict(
            _("称号当前状态为「%(status)s」，本次复核已终止。")
            % {"status": certification.get_status_display()}
        )
    now = timezone.now()
    updates: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    scheme = rereview.scheme
    if action == "submit":
        problems = submission_problems(rereview)
        if problems:
            raise InvalidInput(_("复核材料不完整，请补齐后再报送。"), problems)
        updates = {"submitted_at": now}
    elif action in ("district_evaluate", "confirm", "fail"):
        if not form_items(scheme):
            raise InvalidInput(_("该认定办法未设置年度运营情况测评表，无法测评。"))
        cleaned, total = clean_scores(scheme, scores, prefix="scores", problems=problems, complete=True)
        if action == "fail" and not (note or "").strip():
            problems["note"] = [_("请填写复核不合格的理由。")]
        if problems:
            raise InvalidInput(_("测评有误，请按提示修改。"), problems)
        if action == "district_evaluate":
            updates = {"district_scores": cleaned, "district_total": total}
        else:
            pass_score = form_pass_score(scheme)
            if action == "confirm" and pass_score is not None and total < pass_score:
                raise NotAllowed(
                    _("市级测评总分%(total)s分，低于合格分%(pass)s分，不能确认为合格。")
                    % {"total": _shown(total), "pass": _shown(pass_score)}
                )
            updates = {
                "city_scores": cleaned,
                "city_total": total,
                "decided_at": now,
                "decision_note": note.strip(),
            }
    moved = apply_transition(
        workflow=REREVIEW, obj=rereview, action=action, actor=actor, roles=roles, note=note, updates=updates
    )
    assert isinstance(moved, ReReview)
    rereview = moved
    name = certification.platform_name
    url = _rereview_url(rereview)
    if action == "submit":
        notify(
            _district_officers(certification),
            title=_("三年复核材料待审查：%(name)s") % {"name": name},
            url=url,
        )
    elif action == "district_return":
        notify(
            _managers(certification),
            title=_("三年复核材料被退回修改：%(name)s") % {"name": name},
            body=_("退回理由：%(reason)s") % {"reason": note.strip()},
            url=url,
        )
    elif action == "district_evaluate":
        notify(
            _deciders(certification.scheme),
            title=_("三年复核待市级复核：%(name)s") % {"name": name},
            body=_("区县测评总分 %(total)s 分。") % {"total": _shown(rereview.district_total or Decimal(0))},
            url=url,
        )
    elif action == "confirm":
        _confirm(certification, actor=actor, roles=roles, today=today)
    elif action == "fail":
        _revoke(certification, actor=actor, roles=roles, reason=note, basis="rereview", today=today)
    return rereview


# --- spot checks (第十五条) -----------------------------------------------------------------------


@transaction.atomic
def spot_check_open(
    *,
    actor: Any,
    certification: Certification,
    findings: str,
    rectification_due: dt.date | None,
    checked_on: dt.date | None = None,
    today: dt.date | None = None,
) -> SpotCheck:
    """The city opens a spot check of a title in force, with its findings and a rectification deadline."""
    today = today or _today()
    checked_on = checked_on or today
    if CITY_REVIEWER not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定机关可以开展抽查。"))
    if certification.status not in IN_FORCE:
        raise Conflict(
            _("称号当前状态为「%(status)s」，不能抽查。") % {"status": certification.get_status_display()}
        )
    problems: dict[str, list[str]] = {}
    findings = (findings or "").strip()
    if not findings:
        problems["findings"] = [_("请填写抽查发现的问题。")]
    if checked_on > today:
        problems["checked_on"] = [_("抽查日期不能晚于今天。")]
    if rectification_due is None:
        problems["rectification_due"] = [_("请填写整改期限。")]
    elif rectification_due < checked_on:
        problems["rectification_due"] = [_("整改期限不能早于抽查日期。")]
    if problems:
        raise InvalidInput(_("抽查信息填写有误，请按提示修改。"), problems)
    spot_check = SpotCheck.objects.create(
        certification=certification,
        checked_on=checked_on,
        findings=findings,
        rectification_due=rectification_due,
        opened_by=actor,
    )
    audit.record(
        "certification_spot_check.open",
        actor=actor,
        obj=spot_check,
        object_label=f"{certification.number} {certification.platform_name}",
        summary=_("开展抽查，整改期限%(due)s") % {"due": _date(rectification_due)},  # type: ignore[arg-type]
        changes={"status": [None, SpotCheckStatus.OPEN]},
    )
    notify(
        _managers(certification) + _district_officers(certification),
        title=_("「%(name)s」被抽查，请于%(due)s前整改")
        % {"name": certification.platform_name, "due": _date(rectification_due)},  # type: ignore[arg-type]
        body=findings,
        url=_spot_check_url(spot_check),
    )
    return spot_check


@transaction.atomic
def spot_check_rectify(*, actor: Any, spot_check: SpotCheck, text: str) -> SpotCheckRectification:
    """The platform reports what it has rectified, while the spot check is open."""
    certification = spot_check.certification
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以报送整改情况。"))
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("请填写整改情况。"), {"text": [_("请填写整改情况。")]})
    # Lock the spot check, so the city cannot close it between our check and our write.
    still_open = SpotCheck.objects.select_for_update().filter(pk=spot_check.pk, status=SpotCheckStatus.OPEN)
    if not still_open.exists():
        raise Conflict(_("抽查已有结论，不能再报送整改情况。"))
    rectification = SpotCheckRectification.objects.create(spot_check=spot_check, text=text, created_by=actor)
    audit.record(
        "certification_spot_check.rectify",
        actor=actor,
        obj=spot_check,
        object_label=f"{certification.number} {certification.platform_name}",
        summary=_("报送整改情况"),
    )
    notify(
        [spot_check.opened_by],
        title=_("「%(name)s」报送了抽查整改情况") % {"name": certification.platform_name},
        body=text,
        url=_spot_check_url(spot_check),
    )
    return rectification


@transaction.atomic
def spot_check_transition(
    *, actor: Any, spot_check: SpotCheck, action: str, note: str = "", today: dt.date | None = None
) -> SpotCheck:
    """The city closes a spot check: ``pass``, or ``fail`` (with the reason), which revokes a title
    still in force with basis "spot_check"."""
    today = today or _today()
    certification = spot_check.certification
    roles = certification_roles_for(actor, certification)
    SPOT_CHECK.check(action, spot_check.status, roles)
    moved = apply_transition(
        workflow=SPOT_CHECK,
        obj=spot_check,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={"result_note": (note or "").strip(), "closed_at": timezone.now()},
    )
    assert isinstance(moved, SpotCheck)
    name = certification.platform_name
    if action == "fail" and certification.status in IN_FORCE:
        _revoke(certification, actor=actor, roles=roles, reason=note, basis="spot_check", today=today)
    else:  # passed, or failed when the title had already left force (nothing left to revoke)
        notify(
            _managers(certification) + _district_officers(certification),
            title=(_("「%(name)s」抽查整改合格") if action == "pass" else _("「%(name)s」抽查整改不合格"))
            % {"name": name},
            body=moved.result_note,
            url=_spot_check_url(moved),
        )
    return moved


# --- the daily job ------------------------------------------------------------------------------


@dataclass
class DailyReport:
    """What one run of :func:`certification_daily` did."""

    today: dt.date
    notices: dict[str, int] = field(default_factory=dict)
    expired: int = 0
    rereviews_opened: int = 0
    reminders_30: int = 0
    reminders_7: int = 0
    overdue_flagged: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "notices": dict(self.notices),
            "expired": self.expired,
            "rereviews_opened": self.rereviews_opened,
            "reminders_30": self.reminders_30,
            "reminders_7": self.reminders_7,
            "overdue_flagged": self.overdue_flagged,
            "skipped": list(self.skipped),
        }


def certification_daily(*, today: dt.date | None = None) -> DailyReport:
    """The daily job, idempotent (a second run on the same day changes and sends nothing):

    1. grant the titles whose public notice ended (``services.close_due_notices``);
    2. expire active titles whose ``valid_until`` has passed;
    3. open the re-review of active titles ending within 90 days;
    4. remind platforms of last year's summary 30 and 7 days before it is due, and flag it overdue after.

    Each title is handled in its own transaction; one that someone else changed meanwhile is skipped
    and named in the report.
    """
    from .services import close_due_notices

    today = today or _today()
    report = DailyReport(today=today)
    report.notices = close_due_notices(today)
    for certification in Certification.objects.filter(
        status=CertificationStatus.ACTIVE, valid_until__lt=today
    ).select_related("scheme"):
        try:
            certification_expire(certification=certification, today=today)
        except ServiceError as exc:
            report.skipped.append(f"{certification.number}: {exc.message}")
        else:
            report.expired += 1
    window_end = today + dt.timedelta(days=REREVIEW_OPENS_DAYS_BEFORE)
    for certification in Certification.objects.filter(
        status=CertificationStatus.ACTIVE, valid_until__gte=today, valid_until__lte=window_end
    ).select_related("scheme"):
        try:
            rereview_open(actor=None, certification=certification, today=today)
        except ServiceError as exc:
            report.skipped.append(f"{certification.number}: {exc.message}")
        else:
            report.rereviews_opened += 1
    _summary_reminders(today, report)
    return report


def _mark(duty: SummaryDuty, field_name: str, today: dt.date) -> bool:
    """Set one of the duty's once-only dates; True if this call set it (and so must send)."""
    return (
        SummaryDuty.objects.filter(pk=duty.pk, **{f"{field_name}__isnull": True}).update(
            **{field_name: today}
        )
        == 1
    )


def _summary_reminders(today: dt.date, report: DailyReport) -> None:
    """Last year's summary: make the duty rows once the first reminder is due, then send what each
    duty's stage calls for and has not been sent. A duty already flagged overdue needs nothing more, so
    after the due date a day's run reads only the duties still pending."""
    year = today.year - 1
    in_force = Certification.objects.filter(status__in=IN_FORCE, granted_on__year__lte=year)
    due_by_scheme = {
        scheme.pk: summary_due_on(scheme, year)
        for scheme in Scheme.objects.filter(pk__in=in_force.values("scheme_id"))
    }
    started = [
        pk for pk, due in due_by_scheme.items() if today >= due - dt.timedelta(days=FIRST_REMINDER_DAYS)
    ]
    if not started:
        return
    reported = AnnualSummary.objects.filter(certification_id=OuterRef("pk"), year=year)
    has_duty = SummaryDuty.objects.filter(certification_id=OuterRef("pk"), year=year)
    new_duties = in_force.filter(scheme_id__in=started).exclude(Exists(reported)).exclude(Exists(has_duty))
    SummaryDuty.objects.bulk_create(
        [
            SummaryDuty(certification_id=pk, year=year, due_on=due_by_scheme[scheme_id])
            for pk, scheme_id in new_duties.values_list("pk", "scheme_id")
        ],
        ignore_conflicts=True,
    )
    pending = (
        SummaryDuty.objects.filter(
            year=year, summary__isnull=True, overdue_since__isnull=True, certification__status__in=IN_FORCE
        )
        .annotate(
            reported_id=Subquery(
                AnnualSummary.objects.filter(certification_id=OuterRef("certification_id"), year=year).values(
                    "pk"
                )[:1]
            )
        )
        .select_related("certification")
    )
    for duty in pending:
        certification = duty.certification
        if duty.reported_id is not None:  # reported after the duty row was made, before it was linked
            SummaryDuty.objects.filter(pk=duty.pk).update(summary_id=duty.reported_id)
            continue
        days_left = (duty.due_on - today).days
        if days_left > FIRST_REMINDER_DAYS:
            continue
        url = reverse("certification:summary-new", args=[certification.pk])
        values = {"year": year, "due": _date(duty.due_on), "name": certification.platform_name}
        if days_left < 0:
            if _mark(duty, "overdue_since", today):
                report.overdue_flagged += 1
                notify(
                    _managers(certification),
                    title=_("%(name)s：%(year)s年度工作总结已逾期（期限%(due)s）") % values,
                    body=_("请尽快报送。逾期情况区县和市级主管部门可见。"),
                    url=url,
                )
        elif days_left <= LAST_REMINDER_DAYS:
            if duty.reminded_7_on is None and _mark(duty, "reminded_7_on", today):
                report.reminders_7 += 1
                notify(
                    _managers(certification),
                    title=_("%(name)s：%(year)s年度工作总结请于%(due)s前报送（还有%(days)s天）")
                    % {**values, "days": days_left},
                    url=url,
                )
        elif (
            duty.reminded_7_on is None
            and duty.reminded_30_on is None
            and _mark(duty, "reminded_30_on", today)
        ):
            report.reminders_30 += 1
            notify(
                _managers(certification),
                title=_("%(name)s：%(year)s年度工作总结请于%(due)s前报送（还有%(days)s天）")
                % {**values, "days": days_left},
                url=url,
            )


# --- to-dos on the landing page -------------------------------------------------------------------


def lifecycle_todos(user: Any) -> list[Todo]:
    """What after-certification work waits for ``user`` (register with ``sme.core.todos.register``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Todo] = []
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        managed = Membership.objects.filter(
            user=user, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
        ).values("organization_id")
        titles = Certification.objects.filter(organization_id__in=managed, status__in=IN_FORCE)
        duties = SummaryDuty.objects.filter(certification__in=titles, summary__isnull=True).select_related(
            "certification"
        )
        for duty in duties:
            items.append(
                Todo(
                    _("报送%(year)s年度工作总结：%(name)s")
                    % {"year": duty.year, "name": duty.certification.platform_name},
                    reverse("certification:summary-new", args=[duty.certification_id]),
                    detail=_("期限 %(due)s") % {"due": _date(duty.due_on)},
                    level="danger" if duty.overdue_since else "warning",
                )
            )
        drafts = ReReview.objects.filter(
            certification__in=titles,
            status=ReReviewStatus.DRAFT,
            certification__status=CertificationStatus.REREVIEW,
        ).select_related("certification")
        for r in drafts:
            items.append(
                Todo(
                    _("填写并报送三年复核材料：%(name)s") % {"name": r.certification.platform_name},
                    reverse("certification:rereview", args=[r.pk]),
                    detail=_("本周期有效期至 %(until)s") % {"until": _date(r.cycle_ends_on)},
                    level="warning",
                )
            )
        for sc in SpotCheck.objects.filter(
            certification__in=titles, status=SpotCheckStatus.OPEN
        ).select_related("certification"):
            items.append(
                Todo(
                    _("抽查整改：%(name)s") % {"name": sc.certification.platform_name},
                    reverse("certification:spot-check", args=[sc.pk]),
                    detail=_("整改期限 %(due)s") % {"due": _date(sc.rectification_due)}
                    if sc.rectification_due
                    else "",
                    level="warning",
                )
            )
        return items
    if user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        waiting = rereview_queue(user).count()
        if waiting:
            items.append(
                Todo(
                    _("三年复核待审查") if user.role == Role.DISTRICT_OFFICER else _("三年复核待市级复核"),
                    reverse("certification:rereviews"),
                    count=waiting,
                    level="warning",
                )
            )
        overdue = overdue_summaries(user).count()
        if overdue:
            items.append(
                Todo(
                    _("年度工作总结逾期未报送"),
                    reverse("certification:overdue-summaries"),
                    count=overdue,
                    level="secondary",
                )
            )
        if user.role == Role.CITY_OFFICER:
            reported = (
                spot_checks_visible_to(user)
                .filter(status=SpotCheckStatus.OPEN)
                .filter(Exists(SpotCheckRectification.objects.filter(spot_check_id=OuterRef("pk"))))
                .count()
            )
            if reported:
                items.append(
                    Todo(
                        _("抽查整改已报送，待作结论"),
                        reverse("certification:spot-checks") + "?status=open",
                        count=reported,
                        level="warning",
                    )
                )
    return items
