"""The organizations' two state machines, as tables.

- ``VERIFICATION``: an organization verified by the officer of its district
  (docs/workflows/organization-verification.md);
- ``MEMBERSHIP``: a person joining an organization — asks, and its owner or an administrator
  approves or declines; an organization without members (imported from the registry) is claimed:
  the district officer of its district decides, and the first person approved becomes its owner.
  The owner's own membership starts active when the organization is created
  (docs/workflows/membership.md).
"""

from django.utils.translation import gettext_lazy

from sme.core.workflow import START, Workflow, transition

from .guards import organization_has_no_members
from .models import MembershipStatus as M
from .models import VerificationStatus as S

# Relationship roles: computed per (user, organization) by permissions.roles_for() and per
# (user, membership) by permissions.membership_roles().
DISTRICT_OFFICER = "district_officer_in_scope"
ORG_MANAGER = "org_manager"
APPLICANT = "applicant"  # the person the membership is for

VERIFICATION = Workflow(
    name="organization_verification",
    status_labels={s.value: s.label for s in S},
    role_labels={
        DISTRICT_OFFICER: gettext_lazy("所在区县主管部门"),
        ORG_MANAGER: gettext_lazy("机构负责人或管理员"),
    },
    transitions=(
        transition("verify", {S.PENDING}, S.VERIFIED, {DISTRICT_OFFICER}, gettext_lazy("认证通过")),
        transition("reject", {S.PENDING}, S.REJECTED, {DISTRICT_OFFICER}, gettext_lazy("退回"), note=True),
        transition("resubmit", {S.REJECTED}, S.PENDING, {ORG_MANAGER}, gettext_lazy("修改后重新提交")),
    ),
)

# The audit codes are "membership.<action>", as before the table existed.
MEMBERSHIP = Workflow(
    name="membership",
    status_labels={START: gettext_lazy("新建"), **{s.value: s.label for s in M}},
    role_labels={
        APPLICANT: gettext_lazy("申请人本人"),
        ORG_MANAGER: gettext_lazy("机构负责人或管理员"),
        DISTRICT_OFFICER: gettext_lazy("所在区县主管部门"),
    },
    transitions=(
        transition("found", {START}, M.ACTIVE, {APPLICANT}, gettext_lazy("注册机构并成为负责人")),
        # Asking again after a refusal is the same request.
        transition("request", {START, M.DECLINED}, M.PENDING, {APPLICANT}, gettext_lazy("申请加入机构")),
        transition("approve", {M.PENDING}, M.ACTIVE, {ORG_MANAGER}, gettext_lazy("批准加入机构")),
        transition("decline", {M.PENDING}, M.DECLINED, {ORG_MANAGER}, gettext_lazy("拒绝加入机构")),
        # An organization nobody acts for yet (imported from the registry): its district officer
        # decides, and the person approved becomes its owner.
        transition(
            "approve_claim",
            {M.PENDING},
            M.ACTIVE,
            {DISTRICT_OFFICER},
            gettext_lazy("批准认领（成为负责人）"),
            guard=organization_has_no_members,
        ),
        transition(
            "decline_claim",
            {M.PENDING},
            M.DECLINED,
            {DISTRICT_OFFICER},
            gettext_lazy("拒绝认领"),
            note=True,
            guard=organization_has_no_members,
        ),
    ),
)
