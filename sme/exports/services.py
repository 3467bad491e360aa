"""Asking for an export and writing it. Small exports are written at once; above
``BACKGROUND_ABOVE`` rows the worker writes them, with progress the job page shows."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Mapping
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core import clock
from sme.core.errors import InvalidInput
from sme.core.files import store_upload
from sme.core.spreadsheets import XLSX_CONTENT_TYPE, Spreadsheet
from sme.core.uploads import UploadInfo
from sme.core.workflow import apply_transition, start_transition

from . import registry
from .models import ExportFile, ExportJob
from .workflow import EXPORT, REQUESTER, WORKER

log = logging.getLogger(__name__)

BACKGROUND_ABOVE = 10_000
PROGRESS_EVERY = 1_000
# No export holds more rows than this (an officer's whole city list stays well below it).
EXPORT_LIMIT = 1_000_000


def export_request(*, actor: Any, kind: str, params: Mapping[str, str]) -> ExportJob:
    """Count the rows of ``kind`` for ``actor`` with the list's ``params`` and start the export.

    Raises ``InvalidInput`` for an unknown kind, ``NotAllowed`` when the exporter refuses the actor
    (the same refusal as the list page), and ``InvalidInput`` when there is nothing to export.
    """
    exporter = registry.get(kind)
    if exporter is None:
        raise InvalidInput(_("没有这种导出。"))
    clean = {str(k): str(v)[:200] for k, v in params.items() if k not in ("page", "csrfmiddlewaretoken")}
    table = exporter.build(actor, clean)
    if table.count == 0:
        raise InvalidInput(_("当前筛选条件下没有可导出的记录。"))
    if table.count > EXPORT_LIMIT:
        raise InvalidInput(
            _("当前筛选条件下有%(n)s行，超过单次导出上限%(limit)s行，请缩小筛选范围。")
            % {"n": table.count, "limit": EXPORT_LIMIT}
        )
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=actor,
            kind=kind,
            params=clean,
            description=table.description[:300],
            rows_total=table.count,
        )
        start_transition(
            workflow=EXPORT,
            obj=job,
            action="request",
            actor=actor,
            roles=[REQUESTER],
            changes={"kind": kind, "params": clean, "rows": table.count},
        )
    if table.count <= BACKGROUND_ABOVE:
        return export_run(job)
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def export_run(job: ExportJob) -> ExportJob:
    """Write the workbook of ``job`` (queued), store it and mark it done — or failed, with why."""
    job = apply_transition(workflow=EXPORT, obj=job, action="start", actor=None, roles=[WORKER])
    output: dict[str, Any] = {}
    try:
        output = _write(job)
        with transaction.atomic():
            store_upload(
                ExportFile,
                output["file"],
                prefix="exports",
                actor=job.requested_by,
                info=output["info"],
                job=job,
            )
            job = apply_transition(
                workflow=EXPORT,
                obj=job,
                action="finish",
                actor=None,
                roles=[WORKER],
                updates={"finished_at": clock.now(), "rows_done": output["rows"]},
                changes={"rows": output["rows"], "sha256": output["info"].sha256},
            )
        return job
    except Exception as error:  # the job records why; the worker does not retry a broken export
        log.exception("export %s failed", job.pk)
        return apply_transition(
            workflow=EXPORT,
            obj=job,
            action="fail",
            actor=None,
            roles=[WORKER],
            note=_("生成失败：%(error)s") % {"error": str(error)[:300]},
            updates={"error": str(error)[:500], "finished_at": clock.now()},
        )
    finally:
        if "file" in output:
            output["file"].close()


def _write(job: ExportJob) -> dict[str, Any]:
    exporter = registry.get(job.kind)
    if exporter is None:
        raise LookupError(job.kind)
    table = exporter.build(job.requested_by, job.params)
    book = Spreadsheet()
    sheet = book.sheet(table.title, list(table.header))
    written = 0
    for values in table.rows():
        sheet.append(values)
        written += 1
        if written % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=written)
        if written >= EXPORT_LIMIT:
            break
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed after storing)
    book.save(handle)
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    label = f"{exporter.label}-{stamp}.xlsx"
    info = UploadInfo(
        kind="xlsx",
        content_type=XLSX_CONTENT_TYPE,
        extension=".xlsx",
        size=size,
        sha256=digest.hexdigest(),
        label=label,
    )
    return {"file": File(handle, name=label), "info": info, "rows": written}
