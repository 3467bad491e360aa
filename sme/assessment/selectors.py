"""Reads of questionnaires (as scoring snapshots) and of responses, within the caller's scope.

Who sees which responses:

- enterprise users: every response (drafts too) of the enterprises they are active members of;
- district officers: submitted responses of organizations in their district (and the divisions it
  replaced); city officers: those of their whole jurisdiction; administrators: all submitted ones;
- everyone else: none.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from sme.accounts.models import Role
from sme.core import clock
from sme.core import data_versions as versions
from sme.organizations.models import MembershipStatus, Organization, OrganizationKind
from sme.organizations.permissions import jurisdiction_district_ids

from .instrument import Instrument, instrument_from_data
from .models import (
    AssessmentResponse,
    Dimension,
    Item,
    LevelRule,
    Questionnaire,
    ResponseStatus,
    SubDimension,
    VerifiedScore,
)

DATA = "assessment"


def data_version() -> int:
    """Changes whenever the loader applies the data files or an administrator edits a level rule."""
    return versions.data_version(DATA)


def bump_data_version() -> None:
    versions.bump_data_version(DATA)
    _instrument.cache_clear()


# --- questionnaires --------------------------------------------------------------------------------


def _figure(value: Any) -> str:
    return format(value.normalize(), "f")


def questionnaire_as_data(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire in its data-file form, rebuilt from the rows (3 queries + one per table)."""
    items = Item.objects.prefetch_related("options").order_by("sort_order")
    subs = SubDimension.objects.prefetch_related(Prefetch("items", queryset=items)).order_by("sort_order")
    dims = (
        Dimension.objects.filter(questionnaire=questionnaire)
        .prefetch_related(Prefetch("sub_dimensions", queryset=subs))
        .order_by("sort_order")
    )
    rules = LevelRule.objects.filter(questionnaire=questionnaire).order_by("effective_from", "pk")
    return {
        "code": questionnaire.code,
        "version": questionnaire.version,
        "name": questionnaire.name,
        "document": questionnaire.document,
        "effective_from": questionnaire.effective_from,
        "effective_to": questionnaire.effective_to,
        "source_note": questionnaire.source_note,
        "based_on_public_description": questionnaire.based_on_public_description,
        "public_description_label": questionnaire.public_description_label,
        "aggregate": questionnaire.aggregate,
        "max_score": _figure(questionnaire.max_score),
        "pledge": questionnaire.pledge,
        "scenario_levels": questionnaire.scenario_levels,
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "description": d.description,
                "points": _figure(d.points),
                "service_categories": d.service_categories,
                "sub_dimensions": [
                    {
                        "key": s.key,
                        "name": s.name,
                        "points": _figure(s.points),
                        "items": [
                            {
                                "key": i.key,
                                "kind": i.kind,
                                "text": i.text,
                                "help": i.help_text,
                                "internal_note": i.internal_note,
                                "points": _figure(i.points),
                                **i.config,
                                "options": [
                                    {
                                        "key": o.key,
                                        "label": o.label,
                                        "points": _figure(o.points),
                                        "exclusive": o.exclusive,
                                    }
                                    for o in i.options.all()
                                ],
                            }
                            for i in s.items.all()
                        ],
                    }
                    for s in d.sub_dimensions.all()
                ],
            }
            for d in dims
        ],
        "level_rules": [
            {
                "key": r.key,
                "name": r.name,
                "effective_from": r.effective_from,
                "effective_to": r.effective_to,
                "unconfirmed": r.unconfirmed,
                "internal_note": r.internal_note,
                "below": r.below,
                "levels": r.levels,
            }
            for r in rules
        ],
    }


@lru_cache(maxsize=32)
def _instrument(questionnaire_id: int, version: int) -> Instrument:
    return instrument_from_data(questionnaire_as_data(Questionnaire.objects.get(pk=questionnaire_id)))


def instrument_for(questionnaire: Questionnaire | int) -> Instrument:
    """The scoring snapshot of a questionnaire version, cached until the data changes."""
    pk = questionnaire if isinstance(questionnaire, int) else questionnaire.pk
    return _instrument(pk, data_version())


def questionnaires_in_force(on: dt.date | None = None) -> list[Questionnaire]:
    """One questionnaire per code: the version in force on ``on`` (the latest to take effect)."""
    on = on or clock.today()
    chosen: dict[str, Questionnaire] = {}
    for q in Questionnaire.objects.filter(effective_from__lte=on).order_by("code", "effective_from"):
        if q.effective_to is None or on < q.effective_to:
            chosen[q.code] = q
    return sorted(chosen.values(), key=lambda q: (q.sort_order, q.code))


def questionnaire_for(
    code: str, version: str | None = None, on: dt.date | None = None
) -> Questionnaire | None:
    """A version by code (and version), or the one in force on ``on`` (default today)."""
    if version:
        return Questionnaire.objects.filter(code=code, version=version).first()
    return next((q for q in questionnaires_in_force(on) if q.code == code), None)


def response_filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """For the officers' list filter: every questionnaire ``(code, name)`` once, and every level
    ``(key, label)`` any version's level rules give (the "below" level too)."""
    questionnaires = list(Questionnaire.objects.order_by("code", "-effective_from"))
    codes = list(dict.fromkeys((q.code, q.name) for q in questionnaires))
    levels: dict[str, str] = {}
    for q in questionnaires:
        for rule in instrument_for(q).level_rules:
            levels.setdefault(rule.below_key, rule.below_label)
            for level in rule.levels:
                levels.setdefault(level.key, level.label)
    return codes, list(levels.items())


# --- who may take an assessment -------------------------------------------------------------------


def enterprises_of(user: Any) -> QuerySet[Organization]:
    """The enterprises ``user`` may assess: enterprise users, active members, enterprise kind."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role != Role.ENTERPRISE:
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            kind=OrganizationKind.ENTERPRISE,
            memberships__user=user,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("district")
        .order_by("name")
    )


# --- responses ---------------------------------------------------------------------------------------


def _base() -> QuerySet[AssessmentResponse]:
    return AssessmentResponse.objects.select_related(
        "organization", "organization__district", "questionnaire"
    )


def responses_visible_to(user: Any) -> QuerySet[AssessmentResponse]:
    qs = _base()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.role == Role.ENTERPRISE:
        return qs.filter(organization__in=enterprises_of(user).values("pk"))
    submitted = qs.filter(status=ResponseStatus.SUBMITTED)
    if user.is_platform_admin:
        return submitted
    if user.role in (Role.CITY_OFFICER, Role.DISTRICT_OFFICER):
        ids = jurisdiction_district_ids(user)
        return submitted.filter(organization__district_id__in=ids)
    return qs.none()


def response_for(user: Any, pk: int) -> AssessmentResponse | None:
    """One response if the user may see it, else None (views answer 404 either way)."""
    return responses_visible_to(user).filter(pk=pk).first()


def officer_response_list(
    user: Any,
    *,
    questionnaire_code: str = "",
    level_key: str = "",
    district_id: int | None = None,
    verified: str = "",
    q: str = "",
) -> QuerySet[AssessmentResponse]:
    """Submitted responses in the officer's scope, newest first, each with ``has_verified`` (an
    on-site score was recorded). Unknown filter values are ignored."""
    qs = (
        responses_visible_to(user)
        .filter(status=ResponseStatus.SUBMITTED)
        .annotate(has_verified=Exists(VerifiedScore.objects.filter(response=OuterRef("pk"))))
    )
    if questionnaire_code:
        qs = qs.filter(questionnaire_code=questionnaire_code)
    if level_key:
        qs = qs.filter(level_key=level_key)
    if district_id:
        qs = qs.filter(organization__district_id=district_id)
    if verified == "yes":
        qs = qs.filter(verified_scores__isnull=False).distinct()
    elif verified == "no":
        qs = qs.filter(verified_scores__isnull=True)
    q = q.strip()
    if q:
        qs = qs.filter(organization__name__contains=q)
    return qs.order_by("-submitted_at", "-id")


def drafts_of_member(user: Any) -> QuerySet[AssessmentResponse]:
    """The unfinished drafts of the enterprises ``user`` may assess, last saved first."""
    return (
        _base()
        .filter(organization__in=enterprises_of(user).values("pk"), status=ResponseStatus.DRAFT)
        .order_by("-updated_at")
    )


def has_submitted(user: Any) -> bool:
    """Whether any enterprise ``user`` may assess has submitted a response."""
    return AssessmentResponse.objects.filter(
        organization__in=enterprises_of(user).values("pk"), status=ResponseStatus.SUBMITTED
    ).exists()


def enterprise_of_member(user: Any, pk: int) -> Organization | None:
    """One enterprise ``user`` may assess, or None."""
    return enterprises_of(user).filter(pk=pk).first()


def responses_of(
    organization: Organization, questionnaire_code: str | None = None
) -> QuerySet[AssessmentResponse]:
    """An enterprise's responses (drafts and submitted), newest first."""
    qs = _base().filter(organization=organization)
    if questionnaire_code:
        qs = qs.filter(questionnaire_code=questionnaire_code)
    return qs.order_by("-created_at", "-id")


def draft_of(organization: Organization, questionnaire: Questionnaire) -> AssessmentResponse | None:
    return (
        _base()
        .filter(organization=organization, questionnaire=questionnaire, status=ResponseStatus.DRAFT)
        .first()
    )


def submitted_history(response: AssessmentResponse) -> list[AssessmentResponse]:
    """The organization's submitted responses to the same instrument (any version), oldest first:
    the first is T0."""
    return list(
        AssessmentResponse.objects.filter(
            organization_id=response.organization_id,
            questionnaire_code=response.questionnaire_code,
            status=ResponseStatus.SUBMITTED,
        )
        .only(
            "pk",
            "submitted_at",
            "total",
            "max_score",
            "level_label",
            "level_rank",
            "dimension_scores",
            "questionnaire_version",
            "result",
        )
        .order_by("submitted_at", "pk")
    )


def missing_items(response: AssessmentResponse) -> list[str]:
    """Keys of the items still unanswered, in questionnaire order."""
    instrument = instrument_for(response.questionnaire_id)
    return [k for k in instrument.items if response.answers.get(k) in (None, "", [])]


def verified_scores_of(response: AssessmentResponse) -> QuerySet[VerifiedScore]:
    """Every on-site score recorded for ``response``, newest first, with who recorded it."""
    return response.verified_scores.select_related("recorded_by").order_by("-created_at", "-id")


def latest_verified_score(response: AssessmentResponse) -> VerifiedScore | None:
    return verified_scores_of(response).first()
