"""Demo assessments: submitted MIIT responses for the demo enterprises, with a first (T0) and a later
(T1) assessment for 重庆渝中智联科技有限公司 so the report shows the change.

``load_demo_assessments()`` is called by ``manage.py load_demo``; it is idempotent (an enterprise
that already has a submitted response is left alone) and goes through the services, so every
submission is audited like a real one.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from sme.accounts.models import Role
from sme.core import clock
from sme.organizations.models import Membership, MembershipStatus, Organization, OrganizationKind

from . import services
from .instrument import SCENARIO_LEVELS, Instrument
from .models import AssessmentResponse, ResponseStatus
from .peers import rebuild_peer_stats
from .selectors import instrument_for, questionnaire_for

MIIT_CODE = "miit-manufacturing"
SHOWCASE = "重庆渝中智联科技有限公司"  # the enterprise persona's (qiye_yuzhong) organization
MAX_ENTERPRISES = 14


def demo_answers(instrument: Instrument, maturity: float, rng: random.Random) -> dict[str, Any]:
    """Plausible answers for an enterprise of ``maturity`` (0 = just starting, 1 = advanced)."""
    answers: dict[str, Any] = {}
    for item in instrument.items.values():
        lean = min(1.0, max(0.0, maturity + rng.uniform(-0.2, 0.2)))
        if item.kind in ("single", "trend"):
            index = round(lean * (len(item.options) - 1))
            answers[item.key] = item.options[index].key
        elif item.kind == "multi":
            plain = [o.key for o in item.options if not o.exclusive]
            chosen = [k for k in plain if rng.random() < lean]
            answers[item.key] = chosen or [item.exclusive_key or plain[0]]
        elif item.kind == "ratio":
            total = rng.randint(20, 400) if "万元" not in item.denominator_label else rng.randint(800, 20000)
            share = lean if "万元" not in item.denominator_label else lean * 0.06
            answers[item.key] = {"numerator": int(total * share), "denominator": total}
        else:
            answers[item.key] = SCENARIO_LEVELS[min(3, int(lean * 4))]
    return answers


def _member(org: Organization) -> Any:
    membership = (
        Membership.objects.filter(
            organization=org, status=MembershipStatus.ACTIVE, user__role=Role.ENTERPRISE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _submit(
    org: Organization, actor: Any, answers: dict[str, Any], when: dt.datetime | None
) -> AssessmentResponse:
    questionnaire = questionnaire_for(MIIT_CODE)
    assert questionnaire is not None
    instrument = instrument_for(questionnaire)
    draft = services.response_start(actor=actor, organization=org, questionnaire=questionnaire)
    for dimension in instrument.dimensions:
        keys = [i.key for i in dimension.items]
        draft = services.response_save_draft(
            actor=actor,
            response=draft,
            answers={k: answers[k] for k in keys},
            item_keys=keys,
            expected_version=draft.version,
        )
    submitted = services.response_submit(actor=actor, response=draft, pledge=True)
    if when is not None:  # demo history: the first assessment a year ago
        AssessmentResponse.objects.filter(pk=submitted.pk).update(submitted_at=when, created_at=when)
    return submitted


@transaction.atomic
def load_demo_assessments() -> int:
    """Create the demo responses that are missing; returns how many were submitted."""
    questionnaire = questionnaire_for(MIIT_CODE)
    if questionnaire is None:
        return 0
    instrument = instrument_for(questionnaire)
    rng = random.Random(20240904)
    enterprises = list(
        Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, verification_status="verified")
        .select_related("district")
        .order_by("pk")[:MAX_ENTERPRISES]
    )
    created = 0
    now = clock.now()
    for index, org in enumerate(enterprises):
        if AssessmentResponse.objects.filter(organization=org, status=ResponseStatus.SUBMITTED).exists():
            continue
        actor = _member(org)
        if actor is None:
            continue
        if org.name == SHOWCASE:
            _submit(org, actor, demo_answers(instrument, 0.3, rng), now - dt.timedelta(days=365))
            _submit(org, actor, demo_answers(instrument, 0.6, rng), None)
            created += 2
        else:
            maturity = 0.15 + 0.7 * ((index * 37) % 100) / 100
            _submit(
                org,
                actor,
                demo_answers(instrument, maturity, rng),
                now - dt.timedelta(days=rng.randint(5, 200)),
            )
            created += 1
    if created:
        rebuild_peer_stats()
    return created
