"""Factories and answer sets for the assessment tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from sme.assessment.instrument import Instrument
from sme.assessment.models import AssessmentResponse, Questionnaire
from sme.testing.factories import OrganizationFactory, UserFactory

MIIT = ("miit-manufacturing", "2024")
DMA = ("eu-jrc-dma-sme", "1")


def questionnaire(code_version: tuple[str, str] = MIIT) -> Questionnaire:
    return Questionnaire.objects.get(code=code_version[0], version=code_version[1])


def lowest_answers(instrument: Instrument) -> dict[str, Any]:
    """Every item answered with its poorest answer ("none", 0 %, worse, level 1)."""
    answers: dict[str, Any] = {}
    for item in instrument.items.values():
        if item.kind in ("single", "trend"):
            answers[item.key] = item.options[0].key
        elif item.kind == "multi":
            answers[item.key] = [item.exclusive_key]
        elif item.kind == "ratio":
            answers[item.key] = {"numerator": 0, "denominator": 10}
        else:
            answers[item.key] = 1
    return answers


def highest_answers(instrument: Instrument) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in instrument.items.values():
        if item.kind in ("single", "trend"):
            answers[item.key] = item.options[-1].key
        elif item.kind == "multi":
            answers[item.key] = [o.key for o in item.options if not o.exclusive]
        elif item.kind == "ratio":
            answers[item.key] = {"numerator": 10, "denominator": 10}
        else:
            answers[item.key] = 4
    return answers


class ResponseFactory(factory.django.DjangoModelFactory[AssessmentResponse]):
    """A response row made directly (no services): for scope, list and peer tests."""

    class Meta:
        model = AssessmentResponse

    organization = factory.SubFactory(OrganizationFactory, verified=True)
    questionnaire = factory.LazyFunction(questionnaire)
    questionnaire_code = factory.LazyAttribute(lambda o: o.questionnaire.code)
    questionnaire_version = factory.LazyAttribute(lambda o: o.questionnaire.version)
    created_by = factory.SubFactory(UserFactory)
    status = "draft"

    class Params:
        submitted = factory.Trait(
            status="submitted",
            submitted_at=factory.LazyFunction(timezone.now),
            total=Decimal("50"),
            max_score=Decimal("100"),
            level_key="L2",
            level_label="二级",
            level_rank=2,
            level_rule_key="miit-2022-bands",
            is_latest=True,
            result=factory.LazyAttribute(
                lambda o: {
                    "instrument": {"code": o.questionnaire.code, "version": o.questionnaire.version},
                    "total": str(o.total),
                    "max": "100",
                    "percent": str(o.total),
                    "level": {"key": "L2", "label": "二级", "rank": 2},
                    "rule": "miit-2022-bands",
                    "dimensions": [],
                }
            ),
            dimension_scores=factory.LazyAttribute(lambda o: {"foundation": float(o.total) / 2}),
            district_code=factory.LazyAttribute(lambda o: o.organization.district.code),
        )


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
