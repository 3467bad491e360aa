"""Registry files made in the tests (never binary fixtures), and a way to run an import end to end."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sme.organizations import uscc

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所在区县",
    "行业代码",
    "从业人员（人）",
    "营业收入（万元）",
    "资产总额（万元）",
    "年度",
]
_rng = random.Random(32100)


def code(region: str = "500101") -> str:
    return uscc.make(region, rng=_rng)


def csv_bytes(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(build: Any) -> bytes:
    """An .xlsx made by ``build(worksheet)``."""
    from openpyxl import Workbook

    wb = Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def run(
    actor: Any,
    name: str,
    content: bytes,
    *,
    mapping: dict[str, int] | None = None,
    default_year: int | None = None,
    keep_good_rows: bool = True,
    django_capture_on_commit_callbacks: Any = None,
) -> Any:
    """Upload, confirm the guessed (or given) mapping and run the import as the page does."""
    from sme.enterprises import services
    from sme.enterprises.models import EnterpriseImport

    job = services.enterprise_import_upload(actor=actor, upload=io.BytesIO(content), file_name=name)
    assert django_capture_on_commit_callbacks is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_import_start(
            actor=actor,
            job=job,
            mapping=mapping if mapping is not None else job.mapping,
            default_year=default_year if default_year is not None else job.default_year,
            keep_good_rows=keep_good_rows,
        )
    return EnterpriseImport.objects.get(pk=job.pk)


def report_rows(job: Any, sheet: int = 0) -> list[list[Any]]:
    from openpyxl import load_workbook

    with job.report.open("rb") as f:
        wb = load_workbook(io.BytesIO(f.read()))
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]
