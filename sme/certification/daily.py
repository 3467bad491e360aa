"""The certification daily job (registered with ``sme.core.daily`` in ``apps.py``), idempotent: a
second run on the same day changes and sends nothing.

1. grant the titles whose public notice ended with no objection left open or upheld;
2. expire active titles whose ``valid_until`` has passed, and titles under re-review whose re-review
   was still not filed when the scheme's grace period after ``valid_until`` ended;
3. open the re-review of active titles ending within 90 days;
4. remind platforms of last year's summary 30 and 7 days before it is due, and flag it overdue after.

Each title is handled in its own transaction; one that someone else changed meanwhile is skipped
and named in the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from sme.core import clock
from sme.core.errors import Conflict, NotAllowed, ServiceError
from sme.core.messages import msg
from sme.notifications.services import notify

from .models import IN_FORCE, AnnualSummary, Certification, CertificationStatus, Scheme, SummaryDuty
from .selectors import notices as notice_selectors
from .selectors.titles import stalled_rereviews, summary_due_on
from .services.people import title_managers
from .services.titles import application_grant, certification_expire, rereview_open

# The job opens the re-review this many days before the cycle ends (valid_until).
REREVIEW_OPENS_DAYS_BEFORE = 90
# Summary reminders, in days before the due date: (first, last).
FIRST_REMINDER_DAYS = 30
LAST_REMINDER_DAYS = 7


@dataclass
class DailyReport:
    """What one run of :func:`certification_daily` did."""

    today: dt.date
    notices: dict[str, int] = field(default_factory=dict)
    expired: int = 0
    rereviews_lapsed: int = 0  # of the expired: under re-review, never filed within the grace period
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
            "rereviews_lapsed": self.rereviews_lapsed,
            "rereviews_opened": self.rereviews_opened,
            "reminders_30": self.reminders_30,
            "reminders_7": self.reminders_7,
            "overdue_flagged": self.overdue_flagged,
            "skipped": list(self.skipped),
        }


def certification_daily(*, today: dt.date | None = None) -> DailyReport:
    """Run the job for ``today`` (the clock's today when not given; the clock is pinned to a given day
    for the run, so every rule the job reaches sees that day)."""
    if today is None:
        return _run(clock.today())
    with clock.pinned(today):
        return _run(today)


def _run(today: dt.date) -> DailyReport:
    report = DailyReport(today=today)
    report.notices = close_due_notices()
    for certification in Certification.objects.filter(
        status=CertificationStatus.ACTIVE, valid_until__lt=today
    ).select_related("scheme"):
        try:
            certification_expire(certification=certification)
        except ServiceError as exc:
            report.skipped.append(f"{certification.number}: {exc.message}")
        else:
            report.expired += 1
    for certification in stalled_rereviews(today):
        try:
            certification_expire(certification=certification)
        except ServiceError as exc:
            report.skipped.append(f"{certification.number}: {exc.message}")
        else:
            report.expired += 1
            report.rereviews_lapsed += 1
    window_end = today + dt.timedelta(days=REREVIEW_OPENS_DAYS_BEFORE)
    for certification in Certification.objects.filter(
        status=CertificationStatus.ACTIVE, valid_until__gte=today, valid_until__lte=window_end
    ).select_related("scheme"):
        try:
            rereview_open(actor=None, certification=certification)
        except ServiceError as exc:
            report.skipped.append(f"{certification.number}: {exc.message}")
        else:
            report.rereviews_opened += 1
    _summary_reminders(today, report)
    return report


def close_due_notices() -> dict[str, int]:
    """Grant the titles whose notice ended before today; a notice with an objection still open (or
    upheld) waits for the city's decision (the grant's guard refuses it)."""
    counts = {"granted": 0, "waiting": 0}
    for notice in notice_selectors.notices_due(clock.today()):
        try:
            application_grant(actor=None, application=notice.application)
        except (Conflict, NotAllowed):
            counts["waiting"] += 1
            continue
        counts["granted"] += 1
    return counts


def _mark(duty: SummaryDuty, field_name: str, today: dt.date) -> bool:
    """Set one of the duty's once-only dates; True if this call set it (and so must send)."""
    return (
        SummaryDuty.objects.filter(pk=duty.pk, **{f"{field_name}__isnull": True}).update(
            **{field_name: today}
        )
        == 1
    )


def _remind(duty: SummaryDuty, title: Any, body: Any = "") -> None:
    notify(
        title_managers(duty.certification),
        title=title,
        body=body,
        url=reverse("certification:summary-new", args=[duty.certification_id]),
        event="certification",
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
        if duty.reported_id is not None:  # reported after the duty row was made, before it was linked
            SummaryDuty.objects.filter(pk=duty.pk).update(summary_id=duty.reported_id)
            continue
        days_left = (duty.due_on - today).days
        if days_left > FIRST_REMINDER_DAYS:
            continue
        values = {"year": year, "due": duty.due_on, "name": duty.certification.platform_name}
        if days_left < 0:
            if _mark(duty, "overdue_since", today):
                report.overdue_flagged += 1
                _remind(
                    duty,
                    msg("%(name)s：%(year)s年度工作总结已逾期（期限%(due)s）", **values),
                    msg("请尽快报送。逾期情况区县和市级主管部门可见。"),
                )
        elif days_left <= LAST_REMINDER_DAYS:
            if duty.reminded_7_on is None and _mark(duty, "reminded_7_on", today):
                report.reminders_7 += 1
                _remind(
                    duty,
                    msg(
                        "%(name)s：%(year)s年度工作总结请于%(due)s前报送（还有%(days)s天）",
                        **values,
                        days=days_left,
                    ),
                )
        elif (
            duty.reminded_7_on is None
            and duty.reminded_30_on is None
            and _mark(duty, "reminded_30_on", today)
        ):
            report.reminders_30 += 1
            _remind(
                duty,
                msg(
                    "%(name)s：%(year)s年度工作总结请于%(due)s前报送（还有%(days)s天）",
                    **values,
                    days=days_left,
                ),
            )
