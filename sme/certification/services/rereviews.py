"""Writes of the triennial re-review (第十四条): the platform's draft (three-year summary, audit report,
self-evaluation), then ``workflow.REREVIEW`` — submitted to the district, returned or scored and
forwarded, confirmed (the title's validity extended) or failed (the title revoked) by the city.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.uploads import inspect_upload
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition
from sme.notifications.services import notify

from .. import figures
from ..models import ReReview, ReReviewAuditReport, ReReviewStatus, RevocationBasis
from ..permissions import certification_roles_for
from ..workflow import APPLICANT, REREVIEW
from . import people
from .titles import certification_transition

SCORED_ACTIONS = ("district_evaluate", "confirm", "fail")
_EDITABLE = {"three_year_summary": _("三年工作总结"), "self_evaluation": _("年度运营情况测评表（自评）")}


def _stored_scores(cleaned: Mapping[str, Decimal]) -> dict[str, str]:
    return {key: figures.shown(value) for key, value in cleaned.items()}


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
    A plain edit, compare-and-set on ``version`` (every move of the re-review bumps it, so a draft
    read before its submission cannot overwrite it); partial self-evaluations are kept until submission."""
    certification = rereview.certification
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以填写复核材料。"))
    if rereview.status != ReReviewStatus.DRAFT:
        raise Conflict(_("复核材料已报送，不能再修改。"))
    problems = Problems()
    cleaned, _total = figures.clean_scores(
        figures.annual_form_items(rereview.scheme),
        self_evaluation,
        prefix="self_evaluation",
        problems=problems,
        complete=False,
    )
    info = None
    if audit_report is not None:
        try:
            info = inspect_upload(audit_report, field="audit_report")
        except InvalidInput as exc:
            for name, messages in exc.field_errors.items():
                for message in messages:
                    problems.add(name, message)
    problems.raise_if_any(_("复核材料填写有误，请按提示修改。"))
    values: dict[str, Any] = {
        "three_year_summary": (three_year_summary or "").strip(),
        "self_evaluation": _stored_scores(cleaned),
    }
    before = {k: getattr(rereview, k) for k in values}
    previous = rereview.audit_report
    update_versioned(
        rereview,
        expected_version=expected_version,
        conflict_message=_("在您编辑期间，复核材料已被他人修改或已报送。您的修改未保存，请刷新后重新填写。"),
        **values,
    )
    changed = [str(label) for name, label in _EDITABLE.items() if before[name] != getattr(rereview, name)]
    changes: dict[str, Any] = {}
    if info is not None and audit_report is not None:
        report = store_upload(
            ReReviewAuditReport,
            audit_report,
            prefix="certification/rereview",
            actor=actor,
            info=info,
            field="audit_report",
            rereview=rereview,
        )
        changed.append(str(_("上一年度服务收支专项审计报告")))
        changes["audit_report_sha256"] = [previous.sha256 if previous else "", report.sha256]
    audit.record(
        "certification_rereview.update",
        actor=actor,
        obj=rereview,
        summary=msg("填写复核材料：%(fields)s", fields="、".join(changed))
        if changed
        else msg("填写复核材料：%(fields)s", fields=msg("无变化")),
        changes=changes,
    )
    return rereview


def _scored_updates(
    rereview: ReReview, action: str, scores: Mapping[str, Any] | None, note: str
) -> dict[str, Any]:
    """The scores of a district or city step, checked against the scheme's annual form."""
    problems = Problems()
    items = figures.annual_form_items(rereview.scheme)
    cleaned, total = figures.clean_scores(items, scores, prefix="scores", problems=problems, complete=True)
    problems.raise_if_any(_("测评有误，请按提示修改。"))
    stored = _stored_scores(cleaned)
    if action == "district_evaluate":
        return {"district_scores": stored, "district_total": total}
    pass_score = figures.annual_form_pass_score(rereview.scheme)
    if action == "confirm" and items and pass_score is not None and total < pass_score:
        raise NotAllowed(
            _("市级测评总分%(total)s分，低于合格分%(pass)s分，不能确认为合格。")
            % {"total": figures.shown(total), "pass": figures.shown(pass_score)}
        )
    return {
        "city_scores": stored,
        "city_total": total,
        "decided_at": clock.now(),
        "decision_note": note.strip(),
    }


def _tell(rereview: ReReview, action: str, note: str) -> None:
    certification = rereview.certification
    name = certification.platform_name
    url = people.rereview_url(rereview)
    if action == "submit":
        notify(
            people.district_officers(certification),
            title=msg("三年复核材料待审查：%(name)s", name=name),
            url=url,
            event="certification",
        )
    elif action == "district_return":
        notify(
            people.title_managers(certification),
            title=msg("三年复核材料被退回修改：%(name)s", name=name),
            body=msg("退回理由：%(reason)s", reason=note.strip()),
            url=url,
            event="certification",
        )
    elif action == "district_evaluate":
        notify(
            people.deciders(certification.scheme),
            title=msg("三年复核待市级复核：%(name)s", name=name),
            body=msg(
                "区县测评总分 %(total)s 分。", total=figures.shown(rereview.district_total or Decimal(0))
            ),
            url=url,
            event="certification",
        )


@transaction.atomic
def rereview_transition(
    *,
    actor: Any,
    rereview: ReReview,
    action: str,
    note: str = "",
    scores: Mapping[str, Any] | None = None,
) -> ReReview:
    """Move a re-review along ``workflow.REREVIEW`` (the guards: the title still under re-review, the
    materials complete, the scheme's annual form set).

    ``submit`` (the platform), ``district_return`` (with a reason) or ``district_evaluate`` (the
    district scores every item of the annual form), ``confirm`` (the city scores; a total below the
    form's pass score cannot be confirmed; the title's validity is extended by ``validity_years`` from
    the old ``valid_until``) or ``fail`` (the city scores and gives the reason; the title is revoked
    with basis "rereview" and announced).
    """
    updates: dict[str, Any] = {"version": F("version") + 1}
    if action == "submit":
        updates["submitted_at"] = clock.now()
    elif action in SCORED_ACTIONS:
        updates.update(_scored_updates(rereview, action, scores, note or ""))
    certification = rereview.certification
    rereview = apply_transition(
        workflow=REREVIEW,
        obj=rereview,
        action=action,
        actor=actor,
        roles=certification_roles_for(actor, certification),
        note=note,
        updates=updates,
    )
    if action == "confirm":
        certification_transition(actor=actor, certification=certification, action="confirm")
    elif action == "fail":
        certification_transition(
            actor=actor,
            certification=certification,
            action="revoke",
            note=note,
            basis=RevocationBasis.REREVIEW,
        )
    else:
        _tell(rereview, action, note or "")
    return rereview
