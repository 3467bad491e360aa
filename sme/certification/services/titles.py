"""Writes of a granted title (第十一条–第十五条): the grant after the public notice, and the title's
own moves along ``workflow.CERTIFICATION`` — the re-review opened, the title confirmed, revoked or
expired. Yearly summaries, re-reviews and spot checks have their own modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.messages import msg
from sme.core.workflow import apply_transition
from sme.notifications.services import notify

from .. import eligibility, figures
from ..models import (
    Application,
    Certification,
    Notice,
    NoticeOutcome,
    ReReview,
    RevocationBasis,
    Scheme,
)
from ..permissions import certification_roles_for, roles_for
from ..selectors import applications as application_selectors
from ..selectors import notices as notice_selectors
from ..selectors import rereviews as rereview_selectors
from ..selectors import schemes as scheme_selectors
from ..selectors import titles as selectors
from ..workflow import APPLICATION, CERTIFICATION, SYSTEM
from . import people


def certificate_number(scheme: Scheme, year: int) -> str:
    """The next number from the scheme's pattern (``{year}``, ``{seq}``, ``{code}``)."""
    issued = Certification.objects.filter(scheme__code=scheme.code, granted_on__year=year).count()
    return scheme.certificate_number_pattern.format(year=year, seq=issued + 1, code=scheme.code)


def _zone_of(application: Application) -> str:
    try:
        return application_selectors.eligibility_of(application).zone or ""
    except eligibility.EligibilityInputError:
        return ""


@transaction.atomic
def application_grant(*, actor: Any, application: Application) -> Certification:
    """Grant the title when the notice has ended with no open or upheld objection (第十一条; the
    table's guard). ``actor`` None means the scheduled job. The register entry is created in the
    same transaction."""
    today = clock.today()
    scheme = application.scheme
    application = apply_transition(
        workflow=APPLICATION,
        obj=application,
        action="grant",
        actor=actor,
        roles={SYSTEM} if actor is None else roles_for(actor, application),
        updates={"decided_at": clock.now()},
    )
    notice = notice_selectors.open_notice(application)
    # One grant at a time per scheme, so numbers run on without gaps or clashes.
    Scheme.objects.select_for_update().filter(code=scheme.code).first()
    certification = Certification.objects.create(
        application=application,
        organization=application.organization,
        scheme=scheme,
        district=application.district,
        number=certificate_number(scheme, today.year),
        title=scheme.title,
        platform_name=application.platform_name,
        categories=list(application.categories),
        category_keys="," + ",".join(application.categories) + ",",
        zone_key=_zone_of(application),
        granted_on=today,
        valid_until=selectors.add_years(today, scheme.validity_years) - dt.timedelta(days=1),
    )
    if notice is not None:
        Notice.objects.filter(pk=notice.pk).update(closed_at=clock.now(), outcome=NoticeOutcome.GRANTED)
    audit.record(
        "certification_title.grant",
        actor=actor,
        obj=certification,
        summary=msg(
            "授予「%(title)s」称号，证书编号 %(number)s",
            title=certification.title,
            number=certification.number,
        ),
    )
    notify(
        people.applicant_people(application) + people.district_officers(application),
        title=msg("已授予「%(title)s」称号", title=certification.title),
        body=msg(
            "证书编号 %(number)s，有效期至 %(until)s。",
            number=certification.number,
            until=certification.valid_until,
        ),
        url=reverse("certification:platform", args=[certification.number]),
        event="certification",
    )
    return certification


# --- the title's own moves -------------------------------------------------------------------------


def _tell_title(certification: Certification, title: Any, body: Any, url: str) -> None:
    notify(
        people.title_managers(certification) + people.district_officers(certification),
        title=title,
        body=body,
        url=url,
        event="certification",
    )


def _after_open(certification: Certification) -> None:
    rereview = ReReview.objects.create(
        certification=certification,
        # The rules in force when it is judged: the version now current for the scheme's code.
        scheme=scheme_selectors.current_version_of(certification.scheme),
        cycle_ends_on=certification.valid_until,
    )
    notify(
        people.title_managers(certification),
        title=msg("「%(name)s」三年复核已开始", name=certification.platform_name),
        body=msg(
            "请报送三年工作总结、上一年度服务收支专项审计报告和年度运营情况测评表（自评）。本周期有效期至%(until)s。",
            until=certification.valid_until,
        ),
        url=people.rereview_url(rereview),
        event="certification",
    )


def _after_confirm(certification: Certification) -> None:
    _tell_title(
        certification,
        msg("三年复核合格：%(name)s", name=certification.platform_name),
        msg("称号有效期延至%(until)s。", until=certification.valid_until),
        people.certification_url(certification),
    )


def _after_revoke(certification: Certification) -> None:
    _tell_title(
        certification,
        msg(
            "「%(name)s」的「%(title)s」称号已撤销",
            name=certification.platform_name,
            title=certification.title,
        ),
        msg(
            "撤销依据：%(basis)s\n撤销原因：%(reason)s",
            basis=certification.revocation_basis_label,
            reason=certification.revocation_reason,
        ),
        reverse("certification:announcements"),
    )


def _after_expire(certification: Certification) -> None:
    """The holder, the district and the deciding authority are told; a title whose re-review was
    opened but never filed says so, with the grace period it had."""
    stalled = certification.rereviews.filter(cycle_ends_on=certification.valid_until).exists()
    if stalled:
        body = msg(
            "有效期至%(until)s；复核材料在宽限期（至%(grace_end)s）内未报送，称号已过期。",
            until=certification.valid_until,
            grace_end=selectors.grace_ends_on(certification),
        )
    else:
        body = msg("有效期至%(until)s，期满未经复核确认。", until=certification.valid_until)
    notify(
        people.title_managers(certification)
        + people.district_officers(certification)
        + people.deciders(certification.scheme),
        title=msg(
            "「%(name)s」的「%(title)s」称号已过期",
            name=certification.platform_name,
            title=certification.title,
        ),
        body=body,
        url=people.certification_url(certification),
        event="certification",
    )


def _confirmed_until(certification: Certification) -> dt.date:
    latest = rereview_selectors.latest_rereview(certification)
    years = latest.scheme.validity_years if latest is not None else certification.scheme.validity_years
    return selectors.add_years(certification.valid_until, years)


def _no_updates(certification: Certification, note: str, basis: str) -> dict[str, Any]:
    return {}


def _confirm_updates(certification: Certification, note: str, basis: str) -> dict[str, Any]:
    return {"valid_until": _confirmed_until(certification)}


def _confirm_note(certification: Certification) -> str:
    return _("有效期由%(old)s延至%(new)s") % {
        "old": figures.long_date(certification.valid_until),
        "new": figures.long_date(_confirmed_until(certification)),
    }


def _revoke_updates(certification: Certification, note: str, basis: str) -> dict[str, Any]:
    return {"revoked_on": clock.today(), "revocation_reason": note.strip(), "revocation_basis": basis}


@dataclass(frozen=True)
class _Move:
    """What one row of ``workflow.CERTIFICATION`` writes besides the status, and what follows it."""

    after: Callable[[Certification], None]
    updates: Callable[[Certification, str, str], dict[str, Any]] = _no_updates
    # The log's note when the move writes its own (the caller's note is the reason otherwise).
    note: Callable[[Certification], str] | None = None


_MOVES: dict[str, _Move] = {
    "open_rereview": _Move(after=_after_open),
    "confirm": _Move(after=_after_confirm, updates=_confirm_updates, note=_confirm_note),
    "revoke": _Move(after=_after_revoke, updates=_revoke_updates),
    "expire": _Move(after=_after_expire),
}


@transaction.atomic
def certification_transition(
    *,
    actor: Any,
    certification: Certification,
    action: str,
    note: str = "",
    basis: str = RevocationBasis.FRAUD,
) -> Certification:
    """Move a title along ``workflow.CERTIFICATION`` by ``action``: the table checks status, role, the
    note and the row's guard; ``_MOVES`` says what each row writes and who is told. ``revoke`` takes
    the reason as ``note`` and its ``basis`` (fraud unless a re-review or spot check failed);
    ``actor`` None is the scheduled job."""
    move = _MOVES.get(action)
    moved = apply_transition(
        workflow=CERTIFICATION,
        obj=certification,
        action=action,
        actor=actor,
        roles=certification_roles_for(actor, certification),
        note=move.note(certification) if move and move.note else note,
        updates=move.updates(certification, note or "", basis) if move else None,
    )
    if move is not None:
        move.after(moved)
    return moved


@transaction.atomic
def rereview_open(*, actor: Any, certification: Certification) -> ReReview:
    """Open the re-review of the title's current cycle (ending ``valid_until``), under the scheme
    version now current for its code (the rules in force when it is judged)."""
    moved = certification_transition(actor=actor, certification=certification, action="open_rereview")
    rereview = rereview_selectors.latest_rereview(moved)
    assert rereview is not None  # written by the move, in this transaction
    return rereview


def certification_revoke(*, actor: Any, certification: Certification, reason: str) -> Certification:
    """The city revokes a title for fraud (第十五条: 弄虚作假的撤销其称号), with a reason made public."""
    return certification_transition(
        actor=actor,
        certification=certification,
        action="revoke",
        note=reason or "",
        basis=RevocationBasis.FRAUD,
    )


def certification_expire(*, certification: Certification, actor: Any = None) -> Certification:
    """Mark a title expired (the job): an active one whose ``valid_until`` has passed without a
    re-review, or one under re-review whose re-review was still not filed when the scheme's grace
    period after ``valid_until`` ended (the row's guard, ``guards.validity_ended``)."""
    return certification_transition(actor=actor, certification=certification, action="expire")
