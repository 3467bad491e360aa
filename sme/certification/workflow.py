"""The certification state machines, as tables. Mirrored in docs/workflows/certification.md.

Roles here are relationships, computed per (user, record) by ``permissions.roles_for`` and
``permissions.certification_roles_for``:

- ``applicant``: an owner or administrator of the applying organization;
- ``district_reviewer``: a district officer whose jurisdiction covers the application's district;
- ``city_reviewer``: an officer of the authority that decides under the scheme — a city officer for
  city and national schemes; for a district-level scheme (第十七条) the district officer of that
  district, who then also takes the city's steps;
- ``public``: anyone, signed in or not (objections to a public notice);
- ``system``: the scheduled job that closes public notices and flags overdue duties.

The table says who may move what, from where, to where; a row's guard (``guards.py``) holds the rule
that needs the database or the clock (materials complete, experts scored, notice ended).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import START, Workflow, transition

from . import guards as g
from .models import ApplicationStatus as A
from .models import CertificationStatus as C
from .models import ObjectionStatus as O
from .models import ReReviewStatus as R
from .models import SpotCheckStatus as SC

APPLICANT = "applicant"
DISTRICT_REVIEWER = "district_reviewer"
CITY_REVIEWER = "city_reviewer"
PUBLIC = "public"
SYSTEM = "system"

ROLE_LABELS = {
    APPLICANT: _("申报单位负责人或管理员"),
    DISTRICT_REVIEWER: _("所在区县主管部门"),
    CITY_REVIEWER: _("认定机关（市级主管部门）"),
    PUBLIC: _("任何人（公示期间）"),
    SYSTEM: _("平台定时任务"),
}

APPLICATION = Workflow(
    name="certification_application",
    status_labels={s.value: s.label for s in A},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("submit", [A.DRAFT], A.SUBMITTED, [APPLICANT], _("提交区县审查"), guard=g.ready_to_submit),
        transition(
            "resubmit", [A.RETURNED], A.SUBMITTED, [APPLICANT], _("补充后重新提交"), guard=g.ready_to_submit
        ),
        transition("withdraw", [A.DRAFT, A.SUBMITTED, A.RETURNED], A.WITHDRAWN, [APPLICANT], _("撤回申请")),
        transition(
            "district_return", [A.SUBMITTED], A.RETURNED, [DISTRICT_REVIEWER], _("退回补充材料"), note=True
        ),
        transition(
            "district_reject", [A.SUBMITTED], A.REJECTED, [DISTRICT_REVIEWER], _("审查不通过"), note=True
        ),
        transition("recommend", [A.SUBMITTED], A.RECOMMENDED, [DISTRICT_REVIEWER], _("推荐至市级")),
        transition("assign_experts", [A.RECOMMENDED], A.CITY_REVIEW, [CITY_REVIEWER], _("指派专家评审")),
        transition(
            "city_return",
            [A.RECOMMENDED, A.CITY_REVIEW],
            A.RETURNED,
            [CITY_REVIEWER],
            _("退回补充材料（市级）"),
            note=True,
        ),
        transition(
            "city_reject",
            [A.RECOMMENDED, A.CITY_REVIEW],
            A.REJECTED,
            [CITY_REVIEWER],
            _("评审不通过"),
            note=True,
        ),
        transition(
            "approve_notice",
            [A.CITY_REVIEW],
            A.NOTICE,
            [CITY_REVIEWER],
            _("评审通过，发布公示"),
            guard=g.experts_have_scored,
        ),
        transition(
            "uphold_objection",
            [A.NOTICE],
            A.CITY_REVIEW,
            [CITY_REVIEWER],
            _("异议成立，退回市级评审"),
            note=True,
        ),
        transition(
            "grant",
            [A.NOTICE],
            A.CERTIFIED,
            [CITY_REVIEWER, SYSTEM],
            _("公示期满，授予称号"),
            guard=g.notice_ended_without_objection,
        ),
    ),
)

OBJECTION = Workflow(
    name="certification_objection",
    status_labels={s.value: s.label for s in O},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("file", [START], O.OPEN, [PUBLIC], _("提出公示异议"), guard=g.notice_open_for_objections),
        transition("uphold", [O.OPEN], O.UPHELD, [CITY_REVIEWER], _("异议成立"), note=True),
        transition("dismiss", [O.OPEN], O.DISMISSED, [CITY_REVIEWER], _("异议不成立，继续公示"), note=True),
    ),
)

CERTIFICATION = Workflow(
    name="certification_title",
    status_labels={s.value: s.label for s in C},
    role_labels=ROLE_LABELS,
    transitions=(
        transition(
            "open_rereview",
            [C.ACTIVE],
            C.REREVIEW,
            [APPLICANT, CITY_REVIEWER, SYSTEM],
            _("开始三年复核"),
            guard=g.rereview_window_open,
        ),
        transition(
            "confirm",
            [C.REREVIEW],
            C.ACTIVE,
            [CITY_REVIEWER],
            _("复核合格，予以确认"),
            guard=g.cycle_rereview_confirmed,
        ),
        transition("revoke", [C.ACTIVE, C.REREVIEW], C.REVOKED, [CITY_REVIEWER], _("撤销称号"), note=True),
        transition(
            "expire", [C.ACTIVE, C.REREVIEW], C.EXPIRED, [SYSTEM], _("有效期满未复核"), guard=g.validity_ended
        ),
    ),
)

_SCORED = g.all_of(g.title_under_rereview, g.annual_form_set)

REREVIEW = Workflow(
    name="certification_rereview",
    status_labels={s.value: s.label for s in R},
    role_labels=ROLE_LABELS,
    transitions=(
        transition(
            "submit",
            [R.DRAFT],
            R.SUBMITTED,
            [APPLICANT],
            _("报送区县"),
            guard=g.all_of(g.title_under_rereview, g.rereview_complete),
        ),
        transition(
            "district_return",
            [R.SUBMITTED],
            R.DRAFT,
            [DISTRICT_REVIEWER],
            _("退回修改"),
            note=True,
            guard=g.title_under_rereview,
        ),
        transition(
            "district_evaluate",
            [R.SUBMITTED],
            R.DISTRICT_REVIEWED,
            [DISTRICT_REVIEWER],
            _("区县测评后报市"),
            guard=_SCORED,
        ),
        transition(
            "confirm", [R.DISTRICT_REVIEWED], R.CONFIRMED, [CITY_REVIEWER], _("复核合格"), guard=_SCORED
        ),
        transition(
            "fail",
            [R.DISTRICT_REVIEWED],
            R.FAILED,
            [CITY_REVIEWER],
            _("复核不合格，撤销称号"),
            note=True,
            guard=_SCORED,
        ),
    ),
)

SPOT_CHECK = Workflow(
    name="certification_spot_check",
    status_labels={s.value: s.label for s in SC},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("pass", [SC.OPEN], SC.PASSED, [CITY_REVIEWER], _("整改合格")),
        transition("fail", [SC.OPEN], SC.FAILED, [CITY_REVIEWER], _("不合格，撤销称号"), note=True),
    ),
)
