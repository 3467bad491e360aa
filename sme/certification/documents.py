"""Documents made from certification records: the certificate and an application's dossier as PDF
(``sme.core.pdf.render_pdf``, Noto CJK embedded), and the authorities' Excel export of applications.

The generators take records the caller has already scoped; the views (``views.documents``) do the
scoping and audit every download of restricted data.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from sme.core import clock
from sme.core.pdf import render_pdf
from sme.core.workflow import history

from . import eligibility, figures
from .models import (
    Application,
    ApplicationStatus,
    ApplicationYear,
    Certification,
    CertificationStatus,
    Material,
)
from .selectors.applications import REPORT_FIELDS, eligibility_of, material_slots
from .workflow import APPLICATION

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 50_000
EXPORT_CHUNK = 2_000


# --- the names files are downloaded under -------------------------------------------------------
#
# Sent as FileResponse(filename=…): Django writes a non-ASCII name as RFC 5987 ``filename*=utf-8''…``,
# which every browser reads (a header encoded by RFC 2047, =?utf-8?b?…?=, is dropped by them).

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(text: str) -> str:
    """``text`` as a file name: no path separators, quotes or control characters, one line."""
    return _NOT_IN_FILE_NAMES.sub("_", " ".join(text.split())).strip(" ._") or "download"


def content_disposition(name: str, *, attachment: bool) -> str:
    """The ``Content-Disposition`` of a download named ``name`` (RFC 5987 when it is not ASCII)."""
    return content_disposition_header(attachment, file_name(name)) or (
        "attachment" if attachment else "inline"
    )


def certificate_file_name(certification: Certification) -> str:
    return file_name(
        _("%(number)s %(platform)s 证书.pdf")
        % {"number": certification.number, "platform": certification.platform_name}
    )


def dossier_file_name(application: Application) -> str:
    return file_name(
        _("%(reference)s %(platform)s 申报材料汇编.pdf")
        % {"reference": application.reference, "platform": application.platform_name}
    )


def export_file_name(day: dt.date) -> str:
    return file_name(_("认定申请清单 %(day)s.xlsx") % {"day": day.strftime("%Y%m%d")})


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- the certificate --------------------------------------------------------------------------


def certificate_pdf(certification: Certification) -> bytes:
    """An A4 landscape certificate. A title no longer in force is marked across the page (已撤销 /
    已过期), so a printed copy cannot pass for a valid one."""
    scheme = certification.scheme
    mark = ""
    if certification.status == CertificationStatus.REVOKED:
        mark = _("已撤销")
    elif certification.status == CertificationStatus.EXPIRED:
        mark = _("已过期")
    return render_pdf(
        "certification/pdf/certificate.html",
        {
            "cert": certification,
            "scheme": scheme,
            "organization": certification.organization,
            "mark": mark,
            "issued_by": scheme.issuing_authority,
        },
    )


# --- the dossier ------------------------------------------------------------------------------

DOSSIER_FIELDS = REPORT_FIELDS


@dataclass(frozen=True)
class Fact:
    label: str
    value: Any


@dataclass(frozen=True)
class FigureRow:
    label: str
    values: list[Any]


@dataclass(frozen=True)
class MaterialRow:
    slot_label: str
    material: Material


def _label(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _plain(value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def eligibility_for_dossier(application: Application) -> tuple[Any, list[tuple[str, str]]]:
    """``(result, problems)``: the scheme's check on the report's figures, or why it cannot run."""
    try:
        return eligibility_of(application), []
    except eligibility.EligibilityInputError as error:
        return None, list(error.problems)


def extra_figure_rows(application: Application) -> list[tuple[str, str]]:
    """The figures beyond the yearly table, named as the form names them; a share as a percent."""
    rows = []
    for spec in figures.extra_figure_specs(application.scheme):
        value = application.extra_figures.get(spec["key"])
        if value in (None, ""):
            continue
        if figures.is_share(spec):
            rows.append((str(spec["label"]), f"{figures.percent_of(value)}%"))  # label: reader's language
        else:
            rows.append((str(spec["label"]), f"{value} {spec.get('unit_label', '')}".strip()))
    return rows


def dossier_context(application: Application) -> dict[str, Any]:
    scheme = application.scheme
    years = sorted(application.years.all(), key=lambda y: y.year)
    figure_rows = [
        FigureRow(_label(ApplicationYear, name), [_plain(getattr(y, name)) for y in years])
        for name in ApplicationYear.FIGURE_FIELDS
    ]
    # In the order of the scheme's list (第八条), each file under the material it stands for.
    materials = [
        MaterialRow(f"{slot.article} {slot.label}".strip(), m)
        for slot in material_slots(application)
        for m in ([slot.current] if slot.current else []) + slot.past
    ]
    eligibility_result, eligibility_problems = eligibility_for_dossier(application)
    organization = application.organization
    return {
        "application": application,
        "scheme": scheme,
        "organization": organization,
        "header": [
            Fact(_("申报编号"), application.reference),
            Fact(
                _("认定办法"),
                f"{scheme.display_name}（{scheme.document_number or _('无文号')}，v{scheme.version}）",
            ),
            Fact(_("申报单位"), organization.name),
            Fact(_("统一社会信用代码"), organization.uscc),
            Fact(_("所在区县"), application.district.name),
            Fact(_("状态"), application.get_status_display()),
            Fact(_("评审年度"), _plain(application.round_year)),
            Fact(_("提交时间"), _plain(application.submitted_at)),
            Fact(_("推荐时间"), _plain(application.recommended_at)),
            Fact(_("决定时间"), _plain(application.decided_at)),
        ],
        "report": [Fact(_label(Application, f), _plain(getattr(application, f))) for f in DOSSIER_FIELDS],
        "categories": scheme.category_labels([str(k) for k in application.categories]),
        "years": [y.year for y in years],
        "figure_rows": figure_rows,
        "extra_figures": extra_figure_rows(application),
        "declaration": [
            Fact(_label(Application, "declaration_name"), _plain(application.declaration_name)),
            Fact(_label(Application, "declaration_date"), _plain(application.declaration_date)),
            Fact(_label(Application, "declared_at"), _plain(application.declared_at)),
        ],
        "eligibility": eligibility_result,
        "eligibility_problems": eligibility_problems,
        "materials": materials,
        "history": history(APPLICATION, application),
        "printed_at": _local(clock.now()),
    }


def dossier_pdf(application: Application) -> bytes:
    """Everything the file holds on one application: the report, the three years' figures, the
    categories, the declaration, the eligibility check, every material version with its SHA-256, and
    the transition history."""
    return render_pdf("certification/pdf/dossier.html", dossier_context(application))


# --- the Excel export -------------------------------------------------------------------------


@dataclass
class XlsxExport:
    """The workbook in a temporary file (positioned at 0), how many rows it holds and whether the
    cap cut it short."""

    file: IO[bytes]
    rows: int
    capped: bool


EXPORT_COLUMNS = (
    gettext_lazy("申报编号"),
    gettext_lazy("平台名称"),
    gettext_lazy("申报单位"),
    gettext_lazy("统一社会信用代码"),
    gettext_lazy("所在区县"),
    gettext_lazy("认定办法"),
    gettext_lazy("评审年度"),
    gettext_lazy("状态"),
    gettext_lazy("申报服务功能类别"),
    gettext_lazy("最近年度"),
    gettext_lazy("服务中小企业数（家）"),
    gettext_lazy("用户满意度（%）"),
    gettext_lazy("营业收入（万元）"),
    gettext_lazy("服务收入（万元）"),
    gettext_lazy("从业人员（人）"),
    gettext_lazy("其中大专及以上学历或中级及以上职称（人）"),
    gettext_lazy("资产总额（万元）"),
    gettext_lazy("创建时间"),
    gettext_lazy("提交时间"),
    gettext_lazy("推荐时间"),
    gettext_lazy("决定时间"),
)


def _number(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value


def applications_xlsx(queryset: QuerySet[Application], *, limit: int = EXPORT_LIMIT) -> XlsxExport:
    """One row per application of ``queryset`` (already scoped), with its latest reported year's
    figures; at most ``limit`` rows, the cap said in the workbook itself. Written row by row to a
    temporary file, so memory stays flat whatever the size."""
    statuses = dict(ApplicationStatus.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("认定申请"))
    ws.append([str(c) for c in EXPORT_COLUMNS])
    rows = queryset.select_related("organization", "district", "scheme").prefetch_related(
        Prefetch("years", queryset=ApplicationYear.objects.order_by("year"))
    )
    count = 0
    capped = False
    for app in rows[: limit + 1].iterator(chunk_size=EXPORT_CHUNK):
        if count == limit:
            capped = True
            break
        years = list(app.years.all())
        latest = years[-1] if years else None

        def figure(name: str, latest: ApplicationYear | None = latest) -> Any:
            return _number(getattr(latest, name)) if latest is not None else None

        ws.append(
            [
                app.reference,
                app.platform_name,
                app.organization.name,
                app.organization.uscc,
                app.district.name,
                f"{app.scheme.display_name}（v{app.scheme.version}）",
                app.round_year,
                str(statuses.get(app.status, app.status)),
                "、".join(app.scheme.category_labels([str(k) for k in app.categories])),
                latest.year if latest else None,
                *(figure(name) for name in ApplicationYear.FIGURE_FIELDS),
                _local(app.created_at),
                _local(app.submitted_at),
                _local(app.recommended_at),
                _local(app.decided_at),
            ]
        )
        count += 1
    if capped:
        ws.append([])
        ws.append([_("仅导出前 %(n)d 条，超出部分未导出。请用状态或评审年度筛选后分批导出。") % {"n": limit}])
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    wb.save(tmp)
    tmp.seek(0)
    return XlsxExport(file=tmp, rows=count, capped=capped)
