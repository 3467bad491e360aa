"""The after-certification state machines walked for every (status, action, role): CERTIFICATION,
REREVIEW and SPOT_CHECK. Allowed moves change the status and leave a transition-log row, an audit row
and a notification; refused ones say why (wrong status: Conflict; wrong person: NotAllowed) and change
nothing. Plus the race of two city officers deciding the same re-review."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from sme.certification.models import (
    Certification,
    CertificationStatus,
    ReReview,
    ReReviewStatus,
    SpotCheck,
    SpotCheckStatus,
)
from sme.certification.services import rereviews as rereview_services
from sme.certification.services import spot_checks as spot_check_services
from sme.certification.services import titles as title_services
from sme.certification.workflow import CERTIFICATION, REREVIEW, SPOT_CHECK
from sme.core.errors import Conflict, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations.models import Membership, Organization
from sme.testing.factories import UserFactory, officer

from . import lifecycle_factories as lf

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(clock):
    """Every step of these tests happens on TODAY."""
    clock.pin(TODAY)


ACTORS = [
    "applicant",
    "member",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "outsider",
    "admin",
    "system",
]

# What the tables allow: (status, action) → the actors who may take it. Written out, not derived.
CERTIFICATION_ALLOWED = {
    ("active", "open_rereview"): {"applicant", "city_officer", "system"},
    ("rereview", "confirm"): {"city_officer"},
    ("active", "revoke"): {"city_officer"},
    ("rereview", "revoke"): {"city_officer"},
    ("active", "expire"): {"system"},
    ("rereview", "expire"): {"system"},  # its re-review never filed, the grace period over
}
REREVIEW_ALLOWED = {
    ("draft", "submit"): {"applicant"},
    ("submitted", "district_return"): {"district_officer"},
    ("submitted", "district_evaluate"): {"district_officer"},
    ("district_reviewed", "confirm"): {"city_officer"},
    ("district_reviewed", "fail"): {"city_officer"},
}
SPOT_CHECK_ALLOWED = {
    ("open", "pass"): {"city_officer"},
    ("open", "fail"): {"city_officer"},
}
# Where each action leads, and which actions need a reason. Written out too.
CERTIFICATION_TARGET = {
    "open_rereview": "rereview",
    "confirm": "active",
    "revoke": "revoked",
    "expire": "expired",
}
REREVIEW_TARGET = {
    "submit": "submitted",
    "district_return": "draft",
    "district_evaluate": "district_reviewed",
    "confirm": "confirmed",
    "fail": "failed",
}
SPOT_CHECK_TARGET = {"pass": "passed", "fail": "failed"}
NOTE_REQUIRED = {
    "certification_title": {"revoke"},
    "certification_rereview": {"district_return", "fail"},
    "certification_spot_check": {"fail"},
}
# The table's roles of each actor here (permissions.certification_roles_for, for these titles).
ROLES_OF = {
    "applicant": {"applicant"},
    "district_officer": {"district_reviewer"},
    "city_officer": {"city_reviewer"},
    "system": {"system"},
}


@pytest.mark.parametrize(
    ("workflow", "allowed", "targets"),
    [
        (CERTIFICATION, CERTIFICATION_ALLOWED, CERTIFICATION_TARGET),
        (REREVIEW, REREVIEW_ALLOWED, REREVIEW_TARGET),
        (SPOT_CHECK, SPOT_CHECK_ALLOWED, SPOT_CHECK_TARGET),
    ],
)
def test_the_tables_hold_what_is_written_here_and_nothing_else(workflow, allowed, targets):
    actual = {
        (s, t.action): (t.target, set(t.roles), t.note_required)
        for t in workflow.transitions
        for s in t.sources
    }
    expected = {
        (status, action): (
            targets[action],
            set().union(*(ROLES_OF[actor] for actor in actors)),
            action in NOTE_REQUIRED[workflow.name],
        )
        for (status, action), actors in allowed.items()
    }
    assert actual == expected


@pytest.fixture
def cast(
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    enterprise_owner,
    admin_user,
):
    member = UserFactory(username="lc_member", role="provider")
    organization = Organization.objects.get(memberships__user=provider_user)
    Membership.objects.create(organization=organization, user=member, role="member", status="active")
    return {
        "applicant": provider_user,
        "member": member,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "outsider": enterprise_owner,
        "admin": admin_user,
        "system": None,
        "organization": organization,
    }


def _refusal(allowed: dict[tuple[str, str], set[str]], status: str, action: str) -> type[Exception]:
    return NotAllowed if (status, action) in allowed else Conflict


def _assert_refused(exc_info: pytest.ExceptionInfo, expected: type[Exception]) -> None:
    assert exc_info.type is expected
    message = exc_info.value.message
    assert ("当前状态为" in message) if expected is Conflict else ("无权" in message), message


# --- CERTIFICATION -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    list(itertools.product(CertificationStatus.values, list(CERTIFICATION_TARGET), ACTORS)),
)
def test_certification_table(status, action, actor, cast, django_capture_on_commit_callbacks):
    # For expire: past valid_until and past the scheme's 30 days' grace for an unfiled re-review.
    valid_until = TODAY - dt.timedelta(days=31) if action == "expire" else TODAY + dt.timedelta(days=60)
    cert = lf.certification(cast["organization"], status=status, valid_until=valid_until)
    if action == "confirm":  # the guard: this cycle's re-review is confirmed
        lf.rereview(cert, status=ReReviewStatus.CONFIRMED)
    user = cast[actor]
    allowed = actor in CERTIFICATION_ALLOWED.get((status, action), set())
    logs_before = TransitionLog.objects.count()
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            title_services.certification_transition(
                actor=user, certification=cert, action=action, note="经查弄虚作假"
            )
        cert.refresh_from_db()
        target = CERTIFICATION_TARGET[action]
        assert cert.status == target
        log = TransitionLog.objects.filter(workflow="certification_title").latest("id")
        assert (log.action, log.from_status, log.to_status, log.actor) == (action, status, target, user)
        assert AuditLog.objects.filter(
            action=f"certification_title.{action}", object_id=str(cert.pk)
        ).exists()
        assert Notification.objects.filter(recipient=cast["applicant"]).exists(), "the platform is told"
        if action == "open_rereview":
            assert ReReview.objects.get(certification=cert).status == ReReviewStatus.DRAFT
        if action == "confirm":
            assert cert.valid_until == valid_until.replace(year=valid_until.year + 3)
        if action == "revoke":
            assert (cert.revocation_basis, cert.revoked_on, cert.revocation_reason) == (
                "fraud",
                TODAY,
                "经查弄虚作假",
            )
    else:
        with pytest.raises((Conflict, NotAllowed)) as exc:
            title_services.certification_transition(
                actor=user, certification=cert, action=action, note="经查弄虚作假"
            )
        _assert_refused(exc, _refusal(CERTIFICATION_ALLOWED, status, action))
        cert.refresh_from_db()
        assert cert.status == status
        assert TransitionLog.objects.count() == logs_before
        assert not ReReview.objects.filter(certification=cert, status=ReReviewStatus.DRAFT).exists()


# --- REREVIEW ------------------------------------------------------------------------------------

_CERT_STATUS_FOR = {
    "draft": "rereview",
    "submitted": "rereview",
    "district_reviewed": "rereview",
    "confirmed": "active",
    "failed": "revoked",
}


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    list(itertools.product(ReReviewStatus.values, list(REREVIEW_TARGET), ACTORS)),
)
def test_rereview_table(status, action, actor, cast, django_capture_on_commit_callbacks):
    cert = lf.certification(
        cast["organization"], status=_CERT_STATUS_FOR[status], valid_until=TODAY + dt.timedelta(days=60)
    )
    rereview = lf.rereview(cert, status=status)
    scores = lf.full_scores(rereview.scheme, lf.Decimal("0.85"))
    user = cast[actor]
    allowed = actor in REREVIEW_ALLOWED.get((status, action), set())
    logs_before = TransitionLog.objects.count()
    kwargs = {"note": "测评表数据与审计报告不一致", "scores": scores}
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            rereview_services.rereview_transition(actor=user, rereview=rereview, action=action, **kwargs)
        rereview.refresh_from_db()
        cert.refresh_from_db()
        target = REREVIEW_TARGET[action]
        assert rereview.status == target
        log = TransitionLog.objects.filter(workflow="certification_rereview").latest("id")
        assert (log.action, log.from_status, log.to_status, log.actor) == (action, status, target, user)
        assert AuditLog.objects.filter(
            action=f"certification_rereview.{action}", object_id=str(rereview.pk)
        ).exists()
        told = {
            "submit": cast["district_officer"],
            "district_return": cast["applicant"],
            "district_evaluate": cast["city_officer"],
            "confirm": cast["applicant"],
            "fail": cast["applicant"],
        }[action]
        assert Notification.objects.filter(recipient=told).exists()
        if action == "district_evaluate":
            assert rereview.district_total == sum(lf.Decimal(v) for v in scores.values())
        if action == "confirm":
            assert cert.status == "active"
            assert cert.valid_until == (TODAY + dt.timedelta(days=60)).replace(year=TODAY.year + 3)
            assert rereview.city_total == sum(lf.Decimal(v) for v in scores.values())
        if action == "fail":
            assert (cert.status, cert.revocation_basis) == ("revoked", "rereview")
            assert cert.revocation_reason == "测评表数据与审计报告不一致"
    else:
        with pytest.raises((Conflict, NotAllowed)) as exc:
            rereview_services.rereview_transition(actor=user, rereview=rereview, action=action, **kwargs)
        _assert_refused(exc, _refusal(REREVIEW_ALLOWED, status, action))
        rereview.refresh_from_db()
        cert.refresh_from_db()
        assert (rereview.status, cert.status) == (status, _CERT_STATUS_FOR[status])
        assert TransitionLog.objects.count() == logs_before


# --- SPOT_CHECK ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    list(itertools.product(SpotCheckStatus.values, list(SPOT_CHECK_TARGET), ACTORS)),
)
def test_spot_check_table(status, action, actor, cast, django_capture_on_commit_callbacks):
    cert = lf.certification(cast["organization"], valid_until=TODAY + dt.timedelta(days=400))
    check = lf.spot_check(cert, cast["city_officer"], status=status)
    user = cast[actor]
    allowed = actor in SPOT_CHECK_ALLOWED.get((status, action), set())
    logs_before = TransitionLog.objects.count()
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            spot_check_services.spot_check_transition(
                actor=user, spot_check=check, action=action, note="整改不到位"
            )
        check.refresh_from_db()
        cert.refresh_from_db()
        target = SPOT_CHECK_TARGET[action]
        assert check.status == target and check.closed_at is not None
        log = TransitionLog.objects.filter(workflow="certification_spot_check").latest("id")
        assert (log.action, log.from_status, log.to_status, log.actor) == (action, status, target, user)
        assert AuditLog.objects.filter(
            action=f"certification_spot_check.{action}", object_id=str(check.pk)
        ).exists()
        assert Notification.objects.filter(recipient=cast["applicant"]).exists()
        if action == "fail":
            assert (cert.status, cert.revocation_basis, cert.revoked_on) == ("revoked", "spot_check", TODAY)
        else:
            assert cert.status == "active"
    else:
        with pytest.raises((Conflict, NotAllowed)) as exc:
            spot_check_services.spot_check_transition(
                actor=user, spot_check=check, action=action, note="整改不到位"
            )
        _assert_refused(exc, _refusal(SPOT_CHECK_ALLOWED, status, action))
        check.refresh_from_db()
        cert.refresh_from_db()
        assert (check.status, cert.status) == (status, "active")
        assert TransitionLog.objects.count() == logs_before


# --- the race ------------------------------------------------------------------------------------


def test_two_city_officers_deciding_the_same_rereview(cast, city_officer):
    """Both read the re-review while it waits for the city; the first decision wins, the second is
    told it came too late, and the logs hold one decision."""
    from sme.regions.models import Region

    second = officer("city_officer", Region.objects.current().get(code="500000"), username="officer_city2")
    cert = lf.certification(
        cast["organization"], status="rereview", valid_until=TODAY + dt.timedelta(days=30)
    )
    rereview = lf.rereview(cert, status=ReReviewStatus.DISTRICT_REVIEWED)
    seen_by_first = ReReview.objects.select_related("certification").get(pk=rereview.pk)
    seen_by_second = ReReview.objects.select_related("certification").get(pk=rereview.pk)
    scores = lf.full_scores(rereview.scheme, lf.Decimal("0.9"))

    rereview_services.rereview_transition(
        actor=city_officer, rereview=seen_by_first, action="confirm", scores=scores
    )
    with pytest.raises(Conflict) as exc:
        rereview_services.rereview_transition(
            actor=second, rereview=seen_by_second, action="fail", scores=scores, note="不合格"
        )
    assert "已被他人处理" in exc.value.message or "当前状态" in exc.value.message

    rereview.refresh_from_db()
    cert.refresh_from_db()
    assert rereview.status == ReReviewStatus.CONFIRMED
    assert cert.status == CertificationStatus.ACTIVE
    assert cert.valid_until == (TODAY + dt.timedelta(days=30)).replace(year=TODAY.year + 3)
    decisions = TransitionLog.objects.filter(workflow="certification_rereview", object_id=str(rereview.pk))
    assert list(decisions.values_list("action", "actor")) == [("confirm", city_officer.pk)]
    assert TransitionLog.objects.filter(workflow="certification_title", action="revoke").count() == 0


def test_the_same_officer_confirming_twice_extends_once(cast, city_officer):
    cert = lf.certification(
        cast["organization"], status="rereview", valid_until=TODAY + dt.timedelta(days=30)
    )
    rereview = lf.rereview(cert, status=ReReviewStatus.DISTRICT_REVIEWED)
    stale = ReReview.objects.select_related("certification").get(pk=rereview.pk)
    scores = lf.full_scores(rereview.scheme)
    rereview_services.rereview_transition(
        actor=city_officer, rereview=rereview, action="confirm", scores=scores
    )
    with pytest.raises(Conflict):
        rereview_services.rereview_transition(
            actor=city_officer, rereview=stale, action="confirm", scores=scores
        )
    cert.refresh_from_db()
    assert cert.valid_until == (TODAY + dt.timedelta(days=30)).replace(year=TODAY.year + 3)
    assert Certification.objects.get(pk=cert.pk).status == "active"
    assert SpotCheck.objects.count() == 0
