"""The life of an assessment response: a draft the enterprise fills page by page, then submitted
with the truthfulness pledge. A submitted response never changes; re-assessment is a new response.
Deleting a draft is not a transition (the row goes, with an audit row).

Mirrored in docs/workflows/assessment-response.md.
"""

from django.utils.translation import gettext_lazy

from sme.core.workflow import Workflow, transition

from .models import ResponseStatus as S

# Relationship role, computed per (user, response) by permissions.roles_for().
ENTERPRISE_MEMBER = "enterprise_member"

RESPONSE = Workflow(
    name="assessment_response",
    status_labels={s.value: s.label for s in S},
    role_labels={ENTERPRISE_MEMBER: gettext_lazy("企业的在册成员（企业用户）")},
    transitions=(
        transition("submit", {S.DRAFT}, S.SUBMITTED, {ENTERPRISE_MEMBER}, gettext_lazy("提交评测")),
    ),
)
