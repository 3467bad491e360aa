"""The assessment figures on the officers' landing page (``sme.core.figures``): enterprises by the
level of their latest submitted assessment, per questionnaire, counted in the enterprise's district
(the scope officers read responses in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from sme.core.figures import Row

from .models import AssessmentResponse, Questionnaire, ResponseStatus
from .selectors import instrument_for

MIIT = "miit-manufacturing"
DMA = "eu-jrc-dma-sme"


def _levels(code: str) -> Iterator[Row]:
    rows = (
        AssessmentResponse.objects.filter(
            status=ResponseStatus.SUBMITTED, is_latest=True, questionnaire_code=code
        )
        .values("organization__district_id", "level_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield row["organization__district_id"], row["level_key"], row["n"]


def _level_labels(code: str) -> dict[str, Any]:
    """Every level any version's rules give, lowest first ("未达到一级", 一级 … 四级)."""
    labels: dict[str, Any] = {}
    for q in Questionnaire.objects.filter(code=code).order_by("effective_from"):
        for rule in instrument_for(q).level_rules:
            labels.setdefault(rule.below_key, rule.below_label)
            for level in rule.levels:
                labels.setdefault(level.key, level.label)
    return labels


def miit_levels(*, today: dt.date) -> Iterator[Row]:
    return _levels(MIIT)


def miit_level_labels() -> dict[str, Any]:
    return _level_labels(MIIT)


def dma_levels(*, today: dt.date) -> Iterator[Row]:
    return _levels(DMA)


def dma_level_labels() -> dict[str, Any]:
    return _level_labels(DMA)
