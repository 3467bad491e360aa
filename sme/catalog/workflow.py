"""The publication of a service, as tables. Mirrored in docs/workflows/service-publication.md.

Two records move: the :class:`~sme.catalog.models.Service` (what the public sees) and each of its
:class:`~sme.catalog.models.ServiceRevision` rows (every version of the five disclosures, kept).

Roles are relationships, computed per (user, service) by ``permissions.roles_for``:

- ``provider``: an active member of the organization offering the service;
- ``reviewer``: a district officer whose jurisdiction covers the provider's district, a city
  officer, or a platform administrator;
- ``system``: the services themselves (a revision replaced by a newer approved one).

A revision is submitted or published directly only when its five disclosures are complete and no
other change of the service waits for an officer: the guard of those two rows (``guards.py``) reads
that, so the services do not check it first. The service's own ``submit`` moves with the ``submit``
of its draft revision.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Workflow, transition

from .guards import ready_to_publish
from .models import RevisionStatus as R
from .models import ServiceStatus as S

PROVIDER = "provider"
REVIEWER = "reviewer"
SYSTEM = "system"

ROLE_LABELS = {
    PROVIDER: _("服务机构"),
    REVIEWER: _("机构所在区县主管部门（或市级主管部门）"),
    SYSTEM: _("平台"),
}

# The fields whose change needs an officer's approval once a service is public (收费公开、时间公开).
FEE_FIELDS = ("fee_type", "fee_amount", "fee_min", "fee_max", "fee_unit", "fee_note", "small_micro_price")
TIME_FIELDS = ("response_workdays", "delivery_workdays", "service_hours")
APPROVAL_FIELDS = frozenset(FEE_FIELDS + TIME_FIELDS)


SERVICE = Workflow(
    name="catalog_service",
    status_labels={s.value: s.label for s in S},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("submit", [S.DRAFT], S.PENDING, [PROVIDER], _("提交发布审核")),
        transition("approve", [S.PENDING], S.PUBLISHED, [REVIEWER], _("审核通过，发布")),
        transition("return", [S.PENDING], S.DRAFT, [REVIEWER], _("退回修改"), note=True),
        transition("suspend", [S.PUBLISHED], S.SUSPENDED, [REVIEWER], _("暂停服务"), note=True),
        transition("resume", [S.SUSPENDED], S.PUBLISHED, [REVIEWER], _("恢复服务")),
        transition("withdraw", [S.PUBLISHED], S.WITHDRAWN, [PROVIDER], _("下架")),
        transition("republish", [S.WITHDRAWN], S.PUBLISHED, [PROVIDER], _("重新上架")),
    ),
)

REVISION = Workflow(
    name="catalog_revision",
    status_labels={s.value: s.label for s in R},
    role_labels=ROLE_LABELS,
    transitions=(
        # First publication, or a change to the fee or the time of a public service.
        transition("submit", [R.DRAFT], R.PENDING, [PROVIDER], _("提交审核"), guard=ready_to_publish),
        # Any other change to a public service takes effect at once (needs_approval False).
        transition(
            "publish_directly",
            [R.DRAFT],
            R.APPROVED,
            [PROVIDER],
            _("直接发布（不涉及收费和时间）"),
            guard=ready_to_publish,
        ),
        transition("approve", [R.PENDING], R.APPROVED, [REVIEWER], _("审核通过")),
        transition("return", [R.PENDING], R.REJECTED, [REVIEWER], _("退回"), note=True),
        transition("supersede", [R.APPROVED], R.SUPERSEDED, [SYSTEM], _("被新版本替代")),
    ),
)
