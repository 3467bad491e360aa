from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import ExportJob


def exports_of(user: Any) -> QuerySet[ExportJob]:
    """A person sees only the exports they asked for."""
    return ExportJob.objects.filter(requested_by=user).select_related("output")


def export_for(user: Any, job_id: int) -> ExportJob:
    job = exports_of(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
