"""Verification of an organization by the officer of its district.

Mirrored in docs/workflows/organization-verification.md.
"""

from django.utils.translation import gettext_lazy

from sme.core.workflow import Transition, Workflow

from .models import VerificationStatus as S

# Relationship roles: computed per (user, organization) by permissions.roles_for().
DISTRICT_OFFICER = "district_officer_in_scope"
ORG_MANAGER = "org_manager"

VERIFICATION = Workflow(
    name="organization_verification",
    status_labels={s.value: s.label for s in S},
    role_labels={
        DISTRICT_OFFICER: gettext_lazy("所在区县主管部门"),
        ORG_MANAGER: gettext_lazy("机构负责人或管理员"),
    },
    transitions=(
        Transition(
            "verify",
            frozenset({S.PENDING}),
            S.VERIFIED,
            frozenset({DISTRICT_OFFICER}),
            gettext_lazy("认证通过"),
        ),
        Transition(
            "reject",
            frozenset({S.PENDING}),
            S.REJECTED,
            frozenset({DISTRICT_OFFICER}),
            "退回",
            note_required=True,
        ),
        Transition(
            "resubmit", frozenset({S.REJECTED}), S.PENDING, frozenset({ORG_MANAGER}), "修改后重新提交"
        ),
    ),
)
