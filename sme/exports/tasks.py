from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="exports.run", acks_late=True)
def run_export(job_id: int) -> dict[str, Any]:
    """Write a queued export (delivered twice, or already taken: nothing happens)."""
    from .models import ExportJob, ExportStatus
    from .services import export_run

    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return {"id": job.pk, "status": job.status}
    job = export_run(job)
    return {"id": job.pk, "status": job.status, "rows": job.rows_done}
