"""Writes of spot checks (第十五条): the city opens one on a title in force with its findings and a
rectification deadline, the platform reports what it has rectified, the city passes or fails it
(``workflow.SPOT_CHECK``); a failure revokes a title still in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.workflow import apply_transition
from sme.notifications.services import notify

from ..models import Certification, RevocationBasis, SpotCheck, SpotCheckRectification, SpotCheckStatus
from ..permissions import certification_roles_for
from ..workflow import APPLICANT, CITY_REVIEWER, SPOT_CHECK
from . import people
from .titles import certification_transition


@transaction.atomic
def spot_check_open(
    *,
    actor: Any,
    certification: Certification,
    findings: str,
    rectification_due: dt.date | None,
    checked_on: dt.date | None = None,
) -> SpotCheck:
    """The city opens a spot check of a title in force, with its findings and a rectification deadline."""
    today = clock.today()
    checked_on = checked_on or today
    if CITY_REVIEWER not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定机关可以开展抽查。"))
    if not certification.in_force:
        raise Conflict(
            _("称号当前状态为「%(status)s」，不能抽查。") % {"status": certification.get_status_display()}
        )
    problems = Problems()
    findings = (findings or "").strip()
    if not findings:
        problems.add("findings", _("请填写抽查发现的问题。"))
    if checked_on > today:
        problems.add("checked_on", _("抽查日期不能晚于今天。"))
    if rectification_due is None:
        problems.add("rectification_due", _("请填写整改期限。"))
    elif rectification_due < checked_on:
        problems.add("rectification_due", _("整改期限不能早于抽查日期。"))
    problems.raise_if_any(_("抽查信息填写有误，请按提示修改。"))
    assert rectification_due is not None
    spot_check = SpotCheck.objects.create(
        certification=certification,
        checked_on=checked_on,
        findings=findings,
        rectification_due=rectification_due,
        opened_by=actor,
    )
    audit.record(
        "certification_spot_check.open",
        actor=actor,
        obj=spot_check,
        summary=msg("开展抽查，整改期限%(due)s", due=rectification_due),
        changes={"status": [None, SpotCheckStatus.OPEN]},
    )
    notify(
        people.title_managers(certification) + people.district_officers(certification),
        title=msg(
            "「%(name)s」被抽查，请于%(due)s前整改", name=certification.platform_name, due=rectification_due
        ),
        body=findings,
        url=people.spot_check_url(spot_check),
        event="certification",
    )
    return spot_check


@transaction.atomic
def spot_check_rectify(*, actor: Any, spot_check: SpotCheck, text: str) -> SpotCheckRectification:
    """The platform reports what it has rectified, while the spot check is open."""
    certification = spot_check.certification
    if APPLICANT not in certification_roles_for(actor, certification):
        raise NotAllowed(_("只有认定平台所属机构的负责人或管理员可以报送整改情况。"))
    text = (text or "").strip()
    problems = Problems()
    if not text:
        problems.add("text", _("请填写整改情况。"))
    problems.raise_if_any(_("请填写整改情况。"))
    # Lock the spot check, so the city cannot close it between our check and our write.
    still_open = SpotCheck.objects.select_for_update().filter(pk=spot_check.pk, status=SpotCheckStatus.OPEN)
    if not still_open.exists():
        raise Conflict(_("抽查已有结论，不能再报送整改情况。"))
    rectification = SpotCheckRectification.objects.create(spot_check=spot_check, text=text, created_by=actor)
    audit.record(
        "certification_spot_check.rectify",
        actor=actor,
        obj=spot_check,
        summary=msg("报送整改情况"),
    )
    notify(
        [spot_check.opened_by],
        title=msg("「%(name)s」报送了抽查整改情况", name=certification.platform_name),
        body=text,
        url=people.spot_check_url(spot_check),
        event="certification",
    )
    return rectification


@transaction.atomic
def spot_check_transition(*, actor: Any, spot_check: SpotCheck, action: str, note: str = "") -> SpotCheck:
    """The city closes a spot check: ``pass``, or ``fail`` (with the reason), which revokes a title
    still in force with basis "spot_check"."""
    certification = spot_check.certification
    moved = apply_transition(
        workflow=SPOT_CHECK,
        obj=spot_check,
        action=action,
        actor=actor,
        roles=certification_roles_for(actor, certification),
        note=note,
        updates={"result_note": (note or "").strip(), "closed_at": clock.now()},
    )
    if action == "fail" and certification.in_force:
        certification_transition(
            actor=actor,
            certification=certification,
            action="revoke",
            note=note,
            basis=RevocationBasis.SPOT_CHECK,
        )
        return moved
    # passed, or failed when the title had already left force (nothing left to revoke)
    notify(
        people.title_managers(certification) + people.district_officers(certification),
        title=msg("「%(name)s」抽查整改合格", name=certification.platform_name)
        if action == "pass"
        else msg("「%(name)s」抽查整改不合格", name=certification.platform_name),
        body=moved.result_note,
        url=people.spot_check_url(moved),
        event="certification",
    )
    return moved
