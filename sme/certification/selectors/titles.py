"""Reads of granted titles (第十一条–第十五条) within the caller's scope: the titles, their yearly
summaries and the duties to report them, and a title's public history.

Members see their organization's titles, district officers their district's (and those under a
district-level scheme of theirs), city officers their jurisdiction's, administrators all. Experts and
anonymous users see none here: the register (``selectors.register``) is the public view. A title out
of scope does not exist for the caller (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import clock
from sme.organizations.models import MANAGING_ROLES, Membership, MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids

from ..figures import long_date
from ..models import (
    IN_FORCE,
    AnnualSummary,
    Certification,
    CertificationStatus,
    ReReview,
    ReReviewStatus,
    Scheme,
    SchemeLevel,
    SpotCheckStatus,
    SummaryDuty,
)

# The platform or the city may open the re-review themselves within the cycle's last year: 第十四条 has
# the re-review filed with the yearly round, not at any time in the cycle.
REREVIEW_EARLIEST_DAYS_BEFORE = 365


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certifications_visible_to(user: Any) -> QuerySet[Certification]:
    """Titles in ``user``'s scope (see the module's docstring)."""
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


def titles_managed_by(user: Any) -> QuerySet[Certification]:
    """Titles in force of the organizations ``user`` owns or administers (their to-dos)."""
    managed = Membership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).values("organization_id")
    return Certification.objects.filter(organization_id__in=managed, status__in=IN_FORCE)


def _overdue_duties() -> QuerySet[SummaryDuty]:
    return SummaryDuty.objects.filter(overdue_since__isnull=False, summary__isnull=True)


def certification_list(user: Any, *, status: str = "", overdue: bool = False) -> QuerySet[Certification]:
    """Titles in scope, those expiring soonest first, each with ``summary_overdue`` (a yearly summary
    past its due date and not reported)."""
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


def overdue_duties_of(certification: Certification) -> QuerySet[SummaryDuty]:
    return certification.summary_duties.filter(overdue_since__isnull=False, summary__isnull=True).order_by(
        "year"
    )


def duties_pending_for(user: Any) -> QuerySet[SummaryDuty]:
    """The yearly summaries the organizations ``user`` manages still have to report."""
    return SummaryDuty.objects.filter(
        certification__in=titles_managed_by(user), summary__isnull=True
    ).select_related("certification")


def summaries_of(certification: Certification) -> QuerySet[AnnualSummary]:
    return certification.annual_summaries.order_by("-year")


def summary_due_on(scheme: Scheme, year: int) -> dt.date:
    """When the summary of ``year`` is due: the scheme's ``annual_summary_due`` (MM-DD) of the next year."""
    month, day = (int(part) for part in scheme.annual_summary_due.split("-"))
    try:
        return dt.date(year + 1, month, day)
    except ValueError:  # 02-29 in a common year
        return dt.date(year + 1, month, 28)


def summary_reported(certification: Certification, year: int) -> bool:
    return certification.annual_summaries.filter(year=year).exists()


def summary_years_open(certification: Certification, today: dt.date | None = None) -> list[int]:
    """The years whose summary the platform may still report, latest first: from the year of grant
    to last year, while the title was in force, not reported yet."""
    today = today or clock.today()
    last = min(today.year - 1, certification.valid_until.year)
    done = set(certification.annual_summaries.values_list("year", flat=True))
    return [y for y in range(last, certification.granted_on.year - 1, -1) if y not in done]


def rereview_opens_on(certification: Certification) -> dt.date:
    """The first day the platform or the city may open the re-review of the current cycle."""
    return certification.valid_until - dt.timedelta(days=REREVIEW_EARLIEST_DAYS_BEFORE)


def rereview_can_open_on(certification: Certification, today: dt.date) -> bool:
    return rereview_opens_on(certification) <= today <= certification.valid_until


def grace_ends_on(certification: Certification) -> dt.date:
    """The last day a title under re-review stays in force after ``valid_until`` while its re-review
    has not been filed (the scheme's ``rereview_grace_days``)."""
    return certification.valid_until + dt.timedelta(days=certification.scheme.rereview_grace_days)


# A re-review in these statuses has been filed: the officers hold it, and the title waits for them.
REREVIEW_FILED = (ReReviewStatus.SUBMITTED, ReReviewStatus.DISTRICT_REVIEWED)


def rereview_filed(certification: Certification) -> bool:
    """Whether the current cycle's re-review has been filed and waits for the district or the city."""
    return certification.rereviews.filter(
        cycle_ends_on=certification.valid_until, status__in=REREVIEW_FILED
    ).exists()


def stalled_rereviews(today: dt.date) -> list[Certification]:
    """Titles under re-review whose grace period ended before ``today`` with the re-review still not
    filed: the daily job expires them."""
    candidates = (
        Certification.objects.filter(status=CertificationStatus.REREVIEW, valid_until__lt=today)
        .select_related("scheme")
        .exclude(
            Exists(
                ReReview.objects.filter(
                    certification_id=OuterRef("pk"),
                    cycle_ends_on=OuterRef("valid_until"),
                    status__in=REREVIEW_FILED,
                )
            )
        )
        .order_by("valid_until", "id")
    )
    return [c for c in candidates if grace_ends_on(c) < today]


def revocations() -> QuerySet[Certification]:
    """Revoked titles for the public announcements (第十四条、第十五条), newest first."""
    return (
        Certification.objects.filter(status=CertificationStatus.REVOKED)
        .select_related("district", "scheme", "organization")
        .order_by("-revoked_on", "-id")
    )


def certified_provider_ids(provider_ids: list[int]) -> set[int]:
    """Which of these organizations hold a title in force (active, or under re-review: still valid)."""
    if not provider_ids:
        return set()
    return set(
        Certification.objects.filter(organization_id__in=provider_ids, status__in=IN_FORCE).values_list(
            "organization_id", flat=True
        )
    )


# --- the public history of a title ----------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    """One public fact in a title's history: what happened on which day."""

    on: dt.date
    kind: str  # granted, summary, rereview_confirmed, rereview_failed, spot_check_passed, spot_check_failed,
    #           revoked, expired
    label: str
    detail: str = ""


def _expiry_event(certification: Certification) -> PublicEvent:
    """When and why the title expired: at ``valid_until``; or, when its re-review was opened but never
    filed, on the first day after the scheme's grace period (the day the daily job marks it)."""
    stalled = certification.rereviews.filter(cycle_ends_on=certification.valid_until).exists()
    if not stalled:
        return PublicEvent(certification.valid_until, "expired", _("有效期届满，未经复核确认，称号失效"))
    grace_end = grace_ends_on(certification)
    return PublicEvent(
        grace_end + dt.timedelta(days=1),
        "expired",
        _("复核材料未在宽限期内报送，称号过期"),
        _("有效期至 %(until)s，复核宽限期至 %(grace_end)s")
        % {"until": long_date(certification.valid_until), "grace_end": long_date(grace_end)},
    )


def certification_history(certification: Certification) -> list[PublicEvent]:
    """The public events of a title, oldest first: grant, yearly summaries reported, re-review and
    spot-check results, revocation (with its basis and reason) or expiry. Internal steps (drafts,
    returns, scores, findings) are not public. Three queries (four for a title that expired)."""
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
                _("逾期报送（期限 %(due)s）") % {"due": long_date(s.due_on)} if s.late else "",
            )
        )
    for r in certification.rereviews.filter(
        status__in=[ReReviewStatus.CONFIRMED, ReReviewStatus.FAILED], decided_at__isnull=False
    ).select_related("scheme"):
        decided = timezone.localdate(r.decided_at) if r.decided_at else r.cycle_ends_on
        if r.status == ReReviewStatus.CONFIRMED:
            extended = add_years(r.cycle_ends_on, r.scheme.validity_years)
            events.append(
                PublicEvent(
                    decided,
                    "rereview_confirmed",
                    _("三年复核合格，予以确认"),
                    _("有效期延至 %(until)s") % {"until": long_date(extended)},
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
        events.append(_expiry_event(certification))
    order = {"granted": 0, "summary": 1}
    return sorted(events, key=lambda e: (e.on, order.get(e.kind, 2)))
