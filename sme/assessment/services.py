"""Writes to assessment responses. Submission, on-site scores and draft deletion are audited;
saving a draft page is not (it changes nothing anyone else relies on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import Organization
from sme.organizations.permissions import organization_people

from .models import AssessmentResponse, Questionnaire, ResponseStatus, VerifiedScore
from .peers import peer_keys_for
from .permissions import can_take, can_verify, roles_for
from .scoring import AnswerError, assign_level, score, validate_answers
from .selectors import draft_of, instrument_for
from .workflow import RESPONSE

NOTE_MAX_LENGTH = 2000


def _answer_errors(exc: AnswerError, message: str) -> InvalidInput:
    return InvalidInput(message, exc.by_item())


def _require_member(actor: Any, organization: Organization) -> None:
    if not can_take(actor, organization):
        raise NotAllowed(_("只有该企业的企业用户成员可以填写和提交评测。"))


@transaction.atomic
def response_start(
    *, actor: Any, organization: Organization, questionnaire: Questionnaire
) -> AssessmentResponse:
    """A new draft of ``questionnaire`` for the enterprise, or its unfinished draft if there is one
    (an enterprise has at most one draft per questionnaire version)."""
    _require_member(actor, organization)
    today = clock.today()
    if questionnaire.effective_from > today or (
        questionnaire.effective_to is not None and today >= questionnaire.effective_to
    ):
        raise InvalidInput(_("该问卷版本目前不在使用期内，请选择现行版本。"))
    existing = draft_of(organization, questionnaire)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            response = AssessmentResponse.objects.create(
                organization=organization,
                questionnaire=questionnaire,
                questionnaire_code=questionnaire.code,
                questionnaire_version=questionnaire.version,
                created_by=actor,
            )
    except IntegrityError:  # another member started the same draft a moment ago
        existing = draft_of(organization, questionnaire)
        if existing is None:
            raise
        return existing
    audit.record(
        "assessment_response.start",
        actor=actor,
        obj=response,
        summary=msg("开始填写评测：%(q)s", q=questionnaire.name),
    )
    return response


@transaction.atomic
def response_save_draft(
    *,
    actor: Any,
    response: AssessmentResponse,
    answers: Mapping[str, Any],
    item_keys: Iterable[str],
    expected_version: int,
) -> AssessmentResponse:
    """Replace the answers to ``item_keys`` (one page) with ``answers``; an item left out of
    ``answers`` becomes unanswered. Bad answers are refused item by item and nothing is saved.
    ``expected_version`` is the version the page was read at: if another member saved in between,
    nothing is written and the caller is told."""
    _require_member(actor, response.organization)
    if response.status != ResponseStatus.DRAFT:
        raise Conflict(_("该评测已提交，不能再修改。如需重新评测，请开始新的评测。"))
    instrument = instrument_for(response.questionnaire_id)
    page_keys = set(item_keys)
    unknown = page_keys - set(instrument.items)
    if unknown:
        raise InvalidInput(_("没有标识为“%(key)s”的题目。") % {"key": sorted(unknown)[0]})
    given = {k: v for k, v in answers.items() if k in page_keys}
    try:
        clean = validate_answers(instrument, given)
    except AnswerError as exc:
        raise _answer_errors(
            exc, _("有%(n)s处答案需要修改，本页未保存。") % {"n": len(exc.problems)}
        ) from exc
    merged = {k: v for k, v in response.answers.items() if k not in page_keys and k in instrument.items}
    merged.update(clean)
    # Submitting bumps the version too, so a page read before the submission cannot overwrite it.
    try:
        return update_versioned(
            response,
            expected_version=expected_version,
            conflict_message=_(
                "在您填写期间，其他成员修改了这份评测。您的修改未保存，请刷新后重新填写本页。"
            ),
            answers=merged,
        )
    except Conflict:
        response.refresh_from_db()
        if response.status != ResponseStatus.DRAFT:
            raise Conflict(_("该评测刚刚已由其他成员提交，您的修改未保存。")) from None
        raise


@transaction.atomic
def response_submit(*, actor: Any, response: AssessmentResponse, pledge: bool) -> AssessmentResponse:
    """Score the draft and submit it with the truthfulness pledge. From then on it never changes:
    the questionnaire version, the level rule in force today, the result and the peer keys are kept
    with it. It becomes the enterprise's latest response for peer averages."""
    _require_member(actor, response.organization)
    if not pledge:
        message = _("请阅读并勾选真实性承诺后再提交。")
        raise InvalidInput(message, {"pledge": [message]})
    if response.status != ResponseStatus.DRAFT:
        raise Conflict(_("该评测已提交，不能重复提交。"))
    instrument = instrument_for(response.questionnaire_id)
    today = clock.today()
    rule = instrument.level_rule_on(today)
    try:
        result = score(instrument, response.answers, rule=rule)
    except AnswerError as exc:
        raise _answer_errors(
            exc, _("还有%(n)s题未完成或需要修改，完成后才能提交。") % {"n": len(exc.problems)}
        ) from exc
    keys = peer_keys_for(response.organization)
    now = clock.now()
    AssessmentResponse.objects.filter(
        organization_id=response.organization_id,
        questionnaire_id=response.questionnaire_id,
        status=ResponseStatus.SUBMITTED,
        is_latest=True,
    ).update(is_latest=False)
    return apply_transition(
        workflow=RESPONSE,
        obj=response,
        action="submit",
        actor=actor,
        roles=roles_for(actor, response),
        note=_("总分 %(total)s / %(max)s，%(level)s")
        % {"total": result.total, "max": result.max, "level": result.level_label},
        updates={
            "submitted_at": now,
            "submitted_by": actor,
            "pledge_text": instrument.pledge,
            "questionnaire_code": instrument.code,
            "questionnaire_version": instrument.version,
            "level_rule_key": rule.key,
            "total": result.total,
            "max_score": result.max,
            "level_key": result.level_key,
            "level_label": result.level_label,
            "level_rank": result.level_rank,
            "result": result.as_dict(),
            "dimension_scores": {d.key: float(d.score) for d in result.dimensions},
            "is_latest": True,
            "district_code": keys.district_code,
            "size_class": keys.size_class,
            "size_group": keys.size_group,
            "industry_code": keys.industry_code,
            "version": F("version") + 1,
        },
    )


@transaction.atomic
def response_delete_draft(*, actor: Any, response: AssessmentResponse) -> None:
    """Discard an unfinished draft (a submitted response is never deleted)."""
    _require_member(actor, response.organization)
    if response.status != ResponseStatus.DRAFT:
        raise Conflict(_("已提交的评测不能删除。"))
    answered = len(response.answers)
    deleted, _rows = AssessmentResponse.objects.filter(pk=response.pk, status=ResponseStatus.DRAFT).delete()
    if not deleted:
        raise Conflict(_("该草稿刚刚已被提交或删除。"))
    audit.record(
        "assessment_response.delete",
        actor=actor,
        object_type=AssessmentResponse._meta.label_lower,
        object_id=response.pk,
        object_label=str(response),
        summary=msg("删除评测草稿（已答%(n)s题）", n=answered),
        changes={"status": [ResponseStatus.DRAFT, None]},
    )


@transaction.atomic
def verified_score_record(
    *, actor: Any, response: AssessmentResponse, total: Any, evaluated_on: dt.date | None, note: str
) -> VerifiedScore:
    """Record an officer's on-site evaluation (现场评定) of a submitted response. Pilot-city rule
    (工信厅企业〔2024〕56号): a pilot enterprise's level is decided on site, so the on-site score is
    kept beside the self-assessed one and graded by the same level rule; the newest one stands."""
    if not can_verify(actor, response):
        raise NotAllowed(_("只有企业所在区县或所在城市的主管部门可以录入现场评定结果。"))
    most = Decimal(format((response.max_score or Decimal(100)).normalize(), "f"))
    problems = parsing.Problems()
    value = parsing.number(
        total, "total", problems, label=_("现场评定得分"), places=3, maximum=most, required=True
    )
    today = clock.today()
    if evaluated_on is None:
        problems.add("evaluated_on", _("请填写现场评定日期。"))
    elif evaluated_on > today:
        problems.add("evaluated_on", _("现场评定日期不能晚于今天。"))
    elif response.submitted_at and evaluated_on < timezone.localdate(response.submitted_at):
        problems.add("evaluated_on", _("现场评定日期不能早于企业提交评测的日期。"))
    note = (note or "").strip()
    if not note:
        problems.add("note", _("请写明现场评定的依据和发现。"))
    elif len(note) > NOTE_MAX_LENGTH:
        problems.add("note", _("评定说明不能超过%(n)s字。") % {"n": NOTE_MAX_LENGTH})
    if problems:
        problems.raise_if_any(next(iter(problems.by_field.values()))[0])
    assert value is not None and evaluated_on is not None
    instrument = instrument_for(response.questionnaire_id)
    rule = instrument.level_rule(response.level_rule_key) or instrument.level_rule_on(evaluated_on)
    ratings = [
        v
        for k, v in response.answers.items()
        if k in instrument.items and instrument.items[k].kind == "scenario"
    ]
    key, label, rank = assign_level(rule, value, ratings)
    verified = VerifiedScore.objects.create(
        response=response,
        total=value,
        level_key=key,
        level_label=label,
        level_rank=rank,
        level_rule_key=rule.key,
        evaluated_on=evaluated_on,
        note=note,
        recorded_by=actor,
    )
    audit.record(
        "assessment_response.verified_score",
        actor=actor,
        obj=response,
        summary=msg(
            "录入现场评定：%(total)s 分，%(level)s（自评 %(self)s 分，%(self_level)s）",
            total=value,
            level=label,
            self=response.total,
            self_level=response.level_label,
        ),
        changes={"verified_total": [None, str(value)], "verified_level": [None, label]},
    )
    notify(
        organization_people(response.organization_id, managers_only=False),
        title=msg("主管部门已录入现场评定结果：%(level)s", level=label),
        url=reverse("assessment:report", args=[response.pk]),
        event="assessment",
    )
    return verified
