from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sme.core.errors import InvalidInput, NotAllowed
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest

from . import registry
from .models import ExportStatus
from .selectors import export_for, exports_of
from .services import export_request

POLL_SECONDS = 2


@login_required
@require_POST
def start(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """From a list page's 导出 button: ``query`` carries the list's filters as they are shown."""
    params = QueryDict(request.POST.get("query", ""))
    back = request.POST.get("back", "") or "/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    try:
        job = export_request(actor=request.user, kind=kind, params=params.dict())
    except (InvalidInput, NotAllowed) as error:
        messages.error(request, error.message)
        return redirect(back)
    if job.status == ExportStatus.DONE:
        return redirect(job.output.download_url)
    return redirect("exports:detail", job.pk)


@login_required
@require_GET
def detail(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = export_for(request.user, job_id)
    template = "exports/_progress.html" if request.headers.get("HX-Request") else "exports/detail.html"
    return render(request, template, {"job": job, "poll_seconds": POLL_SECONDS, "labels": _labels()})


@login_required
@require_GET
def mine(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(exports_of(request.user), request.GET.get("page"), per_page=20)
    return render(request, "exports/list.html", {"page": page, "labels": _labels()})


def _labels() -> dict[str, str]:
    return {e.kind: str(e.label) for e in registry.kinds()}
