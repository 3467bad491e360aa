"""Background jobs of the enterprises app (run in-process when no Celery broker is configured)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from .importing.runner import run_import as run
from .models import EnterpriseImport, ImportStatus


@shared_task(name="enterprises.run_import")
def run_import(import_id: int) -> dict[str, Any]:
    """Run a queued registry import to the end; progress is kept on the ``EnterpriseImport`` row."""
    job = EnterpriseImport.objects.select_related("created_by", "district").get(pk=import_id)
    if job.status != ImportStatus.QUEUED:  # delivered twice, or already taken by another worker
        return {"id": job.pk, "status": job.status}
    job = run(job)
    return {
        "id": job.pk,
        "status": job.status,
        "inserted": job.inserted,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "failed": job.failed,
    }
