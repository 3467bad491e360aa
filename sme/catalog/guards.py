"""The rules of the publication workflow that read the database (``workflow.py`` names them).

A guard answers why a move is refused, or ``None``; these raise the service error themselves, since a
missing disclosure is bad input (each field named) and a change already waiting is a conflict.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sme.core.errors import Conflict

from .disclosures import incomplete_error, missing_disclosures, revision_values
from .models import RevisionStatus, ServiceRevision


def ready_to_publish(revision: ServiceRevision, actor: Any, note: str) -> str | None:
    """A revision goes to the officer or straight to the public only with its five disclosures (and
    its category and districts) complete, and while no other change of the service is pending."""
    missing = missing_disclosures(revision_values(revision))
    if missing:
        raise incomplete_error(missing)
    waiting = (
        ServiceRevision.objects.filter(service_id=revision.service_id, status=RevisionStatus.PENDING)
        .exclude(pk=revision.pk)
        .exists()
    )
    if waiting:
        raise Conflict(_("该服务已有一项收费或时间变更待审核，审核结束后才能再次修改。"))
    return None
