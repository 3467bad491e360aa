"""The certification state machines, as tables. Mirrored in docs/workflows/certification.md.

Roles here are relationships, computed per (user, record) by ``permissions.roles_for``:

- ``applicant``: an owner or administrator of the applying organization;
- ``district_reviewer``: a district officer whose jurisdiction covers the application's district;
- ``city_reviewer``: an officer of the authority that decides under the scheme — a city officer for
  city and national schemes; for a district-level scheme (第十七条) the district officer of that
  district, who then also takes the city's steps;
- ``system``: the scheduled job that closes public notices and flags overdue duties.

Guards that need the database (materials complete, experts scored, notice ended) are checked by the
services before they call ``apply_transition``; the table says who may move what, from where, to where.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Transition, Workflow

from .models import ApplicationStatus as A
from .models import CertificationStatus as C
from .models import ReReviewStatus as R
from .models import SpotCheckStatus as SC

APPLICANT = "applicant"
DISTRICT_REVIEWER = "district_reviewer"
CITY_REVIEWER = "city_reviewer"
SYSTEM = "system"

ROLE_LABELS = {
    APPLICANT: _("申报单位负责人或管理员"),
    DISTRICT_REVIEWER: _("所在区县主管部门"),
    CITY_REVIEWER: _("认定机关（市级主管部门）"),
    SYSTEM: _("平台定时任务"),
}


def _t(
    action: str, sources: set[str], target: str, roles: set[str], label: object, note: bool = False
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, note_required=note)


APPLICATION = Workflow(
    name="certification_application",
    status_labels={s.value: s.label for s in A},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("submit", {A.DRAFT}, A.SUBMITTED, {APPLICANT}, _("提交区县审查")),
        _t("resubmit", {A.RETURNED}, A.SUBMITTED, {APPLICANT}, _("补充后重新提交")),
        _t("withdraw", {A.DRAFT, A.SUBMITTED, A.RETURNED}, A.WITHDRAWN, {APPLICANT}, _("撤回申请")),
        _t("district_return", {A.SUBMITTED}, A.RETURNED, {DISTRICT_REVIEWER}, _("退回补充材料"), note=True),
        _t("district_reject", {A.SUBMITTED}, A.REJECTED, {DISTRICT_REVIEWER}, _("审查不通过"), note=True),
        _t("recommend", {A.SUBMITTED}, A.RECOMMENDED, {DISTRICT_REVIEWER}, _("推荐至市级")),
        _t("assign_experts", {A.RECOMMENDED}, A.CITY_REVIEW, {CITY_REVIEWER}, _("指派专家评审")),
        _t(
            "city_return",
            {A.RECOMMENDED, A.CITY_REVIEW},
            A.RETURNED,
            {CITY_REVIEWER},
            _("退回补充材料（市级）"),
            note=True,
        ),
        _t(
            "city_reject",
            {A.RECOMMENDED, A.CITY_REVIEW},
            A.REJECTED,
            {CITY_REVIEWER},
            _("评审不通过"),
            note=True,
        ),
        _t("approve_notice", {A.CITY_REVIEW}, A.NOTICE, {CITY_REVIEWER}, _("评审通过，发布公示")),
        _t(
            "uphold_objection",
            {A.NOTICE},
            A.CITY_REVIEW,
            {CITY_REVIEWER},
            _("异议成立，退回市级评审"),
            note=True,
        ),
        _t("grant", {A.NOTICE}, A.CERTIFIED, {CITY_REVIEWER, SYSTEM}, _("公示期满，授予称号")),
    ),
)

CERTIFICATION = Workflow(
    name="certification_title",
    status_labels={s.value: s.label for s in C},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("open_rereview", {C.ACTIVE}, C.REREVIEW, {APPLICANT, CITY_REVIEWER, SYSTEM}, _("开始三年复核")),
        _t("confirm", {C.REREVIEW}, C.ACTIVE, {CITY_REVIEWER}, _("复核合格，予以确认")),
        _t("revoke", {C.ACTIVE, C.REREVIEW}, C.REVOKED, {CITY_REVIEWER}, _("撤销称号"), note=True),
        _t("expire", {C.ACTIVE}, C.EXPIRED, {SYSTEM}, _("有效期满未复核")),
    ),
)

REREVIEW = Workflow(
    name="certification_rereview",
    status_labels={s.value: s.label for s in R},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("submit", {R.DRAFT}, R.SUBMITTED, {APPLICANT}, _("报送区县")),
        _t("district_return", {R.SUBMITTED}, R.DRAFT, {DISTRICT_REVIEWER}, _("退回修改"), note=True),
        _t("district_evaluate", {R.SUBMITTED}, R.DISTRICT_REVIEWED, {DISTRICT_REVIEWER}, _("区县测评后报市")),
        _t("confirm", {R.DISTRICT_REVIEWED}, R.CONFIRMED, {CITY_REVIEWER}, _("复核合格")),
        _t("fail", {R.DISTRICT_REVIEWED}, R.FAILED, {CITY_REVIEWER}, _("复核不合格，撤销称号"), note=True),
    ),
)

SPOT_CHECK = Workflow(
    name="certification_spot_check",
    status_labels={s.value: s.label for s in SC},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("pass", {SC.OPEN}, SC.PASSED, {CITY_REVIEWER}, _("整改合格")),
        _t("fail", {SC.OPEN}, SC.FAILED, {CITY_REVIEWER}, _("不合格，撤销称号"), note=True),
    ),
)
