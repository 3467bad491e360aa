"""Writes to certification records, one module per seam: :mod:`.applications`, :mod:`.reviews`
(experts and the city's decision), :mod:`.notices` (notices and objections), :mod:`.titles` (grant,
re-review opened, confirmation, revocation, expiry), :mod:`.summaries`, :mod:`.rereviews`,
:mod:`.spot_checks` and :mod:`.schemes`.

Callers import the seam module. The names below stay importable from here for callers outside the
app that have not moved yet (the browser tests, the bench).
"""

from ..figures import report_years
from .applications import (
    application_create,
    application_district_decide,
    application_submit,
    application_update,
    application_withdraw,
    material_upload,
)
from .notices import objection_file, objection_resolve
from .reviews import (
    application_assign_experts,
    application_city_decide,
    expert_conflict_declare,
    expert_review_submit,
)
from .titles import application_grant

__all__ = [
    "application_assign_experts",
    "application_city_decide",
    "application_create",
    "application_district_decide",
    "application_grant",
    "application_submit",
    "application_update",
    "application_withdraw",
    "expert_conflict_declare",
    "expert_review_submit",
    "material_upload",
    "objection_file",
    "objection_resolve",
    "report_years",
]
