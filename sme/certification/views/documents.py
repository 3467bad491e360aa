"""Downloads of certification documents for those who may see them: an application's dossier (PDF)
and the officers' Excel export. Each download of restricted data is audited, and each is sent under
its Chinese name as RFC 5987 ``filename*`` (Django's ``content_disposition_header``, which
``FileResponse(filename=…)`` uses too)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sme.core import audit, clock
from sme.core.messages import msg
from sme.core.pdf import PDF_CONTENT_TYPE
from sme.core.typing import AuthenticatedRequest

from ..documents import (
    EXPORT_LIMIT,
    XLSX_CONTENT_TYPE,
    applications_xlsx,
    content_disposition,
    dossier_file_name,
    dossier_pdf,
    export_file_name,
)
from ..selectors import applications as selectors


@require_GET
@login_required
def application_dossier(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The dossier PDF for whoever can see the application (its applicant, the officers and experts
    it concerns); 404 for anyone else. Each download is audited."""
    application = selectors.application_for(request.user, pk)
    pdf = dossier_pdf(application)
    audit.record(
        "certification_application.dossier",
        actor=request.user,
        obj=application,
        summary=msg("下载申报材料汇编（PDF）"),
    )
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(dossier_file_name(application), attachment=True)
    return response


def _round_year(raw: str | None) -> int | None:
    try:
        year = int(raw or "")
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@require_GET
@login_required
def applications_export(request: AuthenticatedRequest) -> FileResponse:
    """The officer's applications as .xlsx, with the queue's filters (``status``, ``round_year``;
    ``status=all`` for everything in their scope). Audited with the filters and the row count."""
    user = request.user
    if not (user.is_officer or user.is_platform_admin):
        raise PermissionDenied(_("只有主管部门和平台管理员可以导出认定申请。"))
    status = request.GET.get("status", "")
    round_year = _round_year(request.GET.get("round_year"))
    export = applications_xlsx(selectors.applications_for_export(user, status=status, round_year=round_year))
    audit.record(
        "certification_application.export",
        actor=user,
        summary=msg("导出认定申请 %(n)s 条（已达上限 %(limit)s 条）", n=export.rows, limit=EXPORT_LIMIT)
        if export.capped
        else msg("导出认定申请 %(n)s 条", n=export.rows),
        changes={"filters": {"status": status, "round_year": round_year}, "rows": export.rows},
    )
    return FileResponse(
        export.file,
        as_attachment=True,
        filename=export_file_name(clock.today()),
        content_type=XLSX_CONTENT_TYPE,
    )
