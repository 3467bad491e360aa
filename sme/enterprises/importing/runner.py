"""Running an import: stream the file, check every row, write in batches, keep the counters and the
report of bad rows up to date. Called by the Celery task ``tasks.run_import`` and by the
``import_enterprises`` command; both end in the same state whatever happens (done or failed).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.messages import msg
from sme.core.workflow import apply_transition
from sme.regions.selectors import covered_region_ids

from ..models import EnterpriseImport
from ..selectors import classifier_on
from ..workflow import IMPORT, RUNNER
from .reader import ImportFileError, data_rows, display, open_source
from .rows import ParsedRow, RowContext, build_context, parse_row
from .writer import BatchOutcome, Writer

logger = logging.getLogger(__name__)

# Rows per transaction. Large batches matter on SQLite: every batch rewrites each index page it
# touches (random credit codes touch most of the credit-code index), so fewer, larger batches write
# far less. 20,000 rows hold about 20 MB in memory.
BATCH_SIZE = 20_000
READ_AHEAD = 2  # batches the reading process may have ready before this one takes them
SQLITE_CACHE_KIB = 262144
REPORT_ERROR_LIMIT = 1_000_000  # rows listed in the report; the count is always exact

Progress = Callable[[EnterpriseImport], None]


@contextlib.contextmanager
def local_path(job: EnterpriseImport) -> Iterator[Path]:
    """The stored file as a local path (a temporary copy when the storage is remote, e.g. S3)."""
    try:
        local = Path(job.file.path)
    except NotImplementedError:  # remote storage has no local path
        local = None
    if local is not None:
        yield local
        return
    suffix = "." + job.file_format
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        with job.file.open("rb") as src:
            shutil.copyfileobj(src, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name)


class Report:
    """The .xlsx returned to the importer: bad rows (line, reasons, the row as it was) and notes."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.workbook: Any = None  # opened at the first bad row: a clean file costs nothing
        self.error_rows = 0
        self.note_rows = 0

    def _open(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.errors = self.workbook.create_sheet(_("错误行"))
        self.errors.append([_("行号"), _("错误原因"), *self.columns])
        self.notes = self.workbook.create_sheet(_("提示"))
        self.notes.append([_("行号"), _("统一社会信用代码"), _("企业名称"), _("提示")])

    def error(self, line: int, reasons: list[str], values: list[Any]) -> None:
        if self.workbook is None:
            self._open()
        if self.error_rows < REPORT_ERROR_LIMIT:
            self.errors.append([line, "；".join(reasons), *(display(v) for v in values)])
        self.error_rows += 1

    def note(self, row: ParsedRow, text: str) -> None:
        if self.workbook is None:
            self._open()
        self.notes.append([row.line, row.uscc, row.name, text])
        self.note_rows += 1

    def save(self, path: Path) -> None:
        self.workbook.save(path)


@dataclass
class Counters:
    processed: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    def add(self, outcome: BatchOutcome) -> None:
        self.inserted += outcome.inserted
        self.updated += outcome.updated
        self.unchanged += outcome.unchanged
        self.failed += len(outcome.errors)


def _transition(job: EnterpriseImport, action: str, **updates: Any) -> EnterpriseImport:
    return apply_transition(
        workflow=IMPORT,
        obj=job,
        action=action,
        actor=job.created_by,
        roles={RUNNER},
        note=updates.pop("note", ""),
        updates=updates,
    )


def run_import(job: EnterpriseImport, progress: Progress | None = None) -> EnterpriseImport:
    """Take a queued import to done (or failed, with the reason). Returns the job as it ended."""
    job = _transition(job, "begin", started_at=clock.now())
    try:
        with local_path(job) as path:
            return _run(job, path, progress)
    except ImportFileError as exc:
        return _fail(job, exc.message)
    except Exception:
        logger.exception("enterprise import %s failed", job.pk)
        return _fail(job, _("导入时发生内部错误，已记录，请联系平台管理员。"))


def _fail(job: EnterpriseImport, message: str) -> EnterpriseImport:
    job.refresh_from_db()
    job = _transition(job, "fail", error=message, finished_at=clock.now(), note=message)
    audit.record(
        "enterprise_import.fail",
        actor=job.created_by,
        obj=job,
        summary=msg("名录导入失败：%(file)s", file=job.file_name),
        changes={"sha256": job.sha256, "error": message},
        result="failure",
    )
    return job


def _context(job: EnterpriseImport) -> RowContext:
    allowed = covered_region_ids(job.district_id) if job.district_id else None
    return build_context(
        mapping=job.mapping,
        default_year=job.default_year,
        allowed_ids=allowed,
        scope_label=job.district.name if job.district_id and job.district else "",
    )


@dataclass
class _Batch:
    rows: list[ParsedRow]  # checked and classified, ready to write
    lines: dict[int, list[Any]]  # the raw values of those rows, for the report (not sent by a child)
    errors: list[tuple[int, list[str], list[Any]]]  # rows the checks refused since the last batch
    processed: int  # rows read so far, this batch included


def _batches(source_rows: Iterator[Any], ctx: RowContext, writer: Writer) -> Iterator[_Batch]:
    """Read, check and classify: the pure-Python half of an import (no database)."""
    rows: list[ParsedRow] = []
    lines: dict[int, list[Any]] = {}
    errors: list[tuple[int, list[str], list[Any]]] = []
    processed = 0
    prepare = writer.prepare
    for line, values in source_rows:
        processed += 1
        parsed = parse_row(line, values, ctx)
        if isinstance(parsed, list):
            errors.append((line, parsed, values))
            continue
        prepare(parsed)
        rows.append(parsed)
        lines[line] = values
        if len(rows) >= BATCH_SIZE:
            yield _Batch(rows, lines, errors, processed)
            rows, lines, errors = [], {}, []
    yield _Batch(rows, lines, errors, processed)


def _forked(batches: Iterator[_Batch]) -> Iterator[_Batch]:
    """Run ``batches`` in a child process, so reading and checking the next batches (Python) runs on
    another core while this process writes (database). The child pickles each batch to a file of
    its own and announces it on a pipe; it stays at most ``READ_AHEAD`` batches ahead (it waits for
    an acknowledgement per batch on a second pipe). It never touches a database connection or the
    cache, and leaves with ``os._exit``, so nothing inherited is closed or flushed twice."""
    with tempfile.TemporaryDirectory(prefix="enterprise-import-") as tmp:
        news_read, news_write = os.pipe()
        ack_read, ack_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                os.close(news_read)
                os.close(ack_write)
                with (
                    os.fdopen(news_write, "wb", buffering=0) as news,
                    os.fdopen(ack_read, "rb", buffering=0) as acks,
                ):
                    try:
                        for number, batch in enumerate(batches):
                            if number >= READ_AHEAD:
                                acks.read(1)
                            path = os.path.join(tmp, f"{number}.pickle")
                            wire = ([row.as_wire() for row in batch.rows], batch.errors, batch.processed)
                            with open(path, "wb") as f:
                                pickle.dump(wire, f, protocol=pickle.HIGHEST_PROTOCOL)
                            news.write(pickle.dumps(("batch", path)))
                    except ImportFileError as exc:
                        news.write(pickle.dumps(("file_error", exc.message)))
                    except BaseException as exc:  # reported by the parent, which fails the import
                        news.write(pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
                        code = 1
            finally:
                os._exit(code)
        os.close(news_write)
        os.close(ack_read)
        try:
            with os.fdopen(news_read, "rb") as news, os.fdopen(ack_write, "wb", buffering=0) as acks:
                while True:
                    try:
                        kind, payload = pickle.load(news)
                    except EOFError:
                        break
                    if kind == "file_error":
                        raise ImportFileError(payload)
                    if kind != "batch":
                        raise RuntimeError(f"import reader process failed: {payload}")
                    with open(payload, "rb") as f:
                        rows, errors, processed = pickle.load(f)
                    os.unlink(payload)
                    yield _Batch([ParsedRow.from_wire(w) for w in rows], {}, errors, processed)
                    with contextlib.suppress(BrokenPipeError):
                        acks.write(b".")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _can_fork() -> bool:
    """Fork a reader only outside a transaction (the tests run inside one and read in-process) and
    where fork exists; ``ENTERPRISE_IMPORT_FORK = False`` turns it off."""
    return (
        hasattr(os, "fork")
        and getattr(settings, "ENTERPRISE_IMPORT_FORK", True)
        and not connection.in_atomic_block
    )


def _pass(
    job: EnterpriseImport,
    path: Path,
    ctx: RowContext,
    writer: Writer,
    report: Report,
    progress: Progress | None,
) -> Counters:
    source = open_source(path, job.file_format, job.encoding)
    first_line = job.header_row + job.header_rows
    total = max(0, source.total_lines - first_line + 1) if source.total_lines else None
    EnterpriseImport.objects.filter(pk=job.pk).update(total=total)
    job.total = total
    counters = Counters()
    batches = _batches(data_rows(source, first_line), ctx, writer)
    try:
        for batch in _forked(batches) if _can_fork() else batches:
            _write_batch(job, writer, report, counters, batch)
            if progress is not None:
                progress(job)
    finally:
        source.close()
    return counters


def _write_batch(job: EnterpriseImport, writer: Writer, report: Report, c: Counters, batch: _Batch) -> None:
    """One transaction: the batch's rows, the report lines, the counters."""
    for line, reasons, values in batch.errors:
        report.error(line, reasons, values)
    with transaction.atomic():
        outcome = writer.write(batch.rows, clock.now()) if batch.rows else BatchOutcome()
        c.add(outcome)
        c.failed += len(batch.errors)
        c.processed = batch.processed
        for row, message in outcome.errors:
            values = batch.lines.get(row.line) or row.as_values(job.mapping, len(job.columns))
            report.error(row.line, [message], values)
        for row, text in outcome.notes:
            report.note(row, text)
        _save_progress(job, c)


def _save_progress(job: EnterpriseImport, c: Counters) -> None:
    values = {
        "processed": c.processed,
        "inserted": c.inserted,
        "updated": c.updated,
        "unchanged": c.unchanged,
        "failed": c.failed,
    }
    EnterpriseImport.objects.filter(pk=job.pk).update(**values)
    for k, v in values.items():
        setattr(job, k, v)


@contextlib.contextmanager
def _bulk_session() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes a big import touches (the default 2 MB
    makes every insert into the credit-code index a disk read); restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _run(job: EnterpriseImport, path: Path, progress: Progress | None) -> EnterpriseImport:
    with _bulk_session():
        return _run_passes(job, path, progress)


def _run_passes(job: EnterpriseImport, path: Path, progress: Progress | None) -> EnterpriseImport:
    if not job.mapping:
        raise ImportFileError(_("尚未确认列对应。"))
    today = clock.today()
    classifier = classifier_on(today)
    ctx = _context(job)
    districts = {d.id: d for d in ctx.districts.values()}
    source_label = job.file_name
    report = Report(list(job.columns))
    note = ""
    if not job.keep_good_rows:
        checking = Writer(
            actor=job.created_by,
            classifier=classifier,
            districts=districts,
            allowed_ids=ctx.allowed_ids,
            source_label=source_label,
            dry_run=True,
        )
        checked = _pass(job, path, ctx, checking, report, progress)
        if checked.failed:
            counters = Counters(processed=checked.processed, failed=checked.failed)
            _save_progress(job, counters)
            note = _("有 %(n)s 行错误，按设置整个文件未导入。") % {"n": checked.failed}
            return _finish(job, counters, report, note)
        report = Report(list(job.columns))
        ctx = _context(job)
    writer = Writer(
        actor=job.created_by,
        classifier=classifier,
        districts=districts,
        allowed_ids=ctx.allowed_ids,
        source_label=source_label,
    )
    counters = _pass(job, path, ctx, writer, report, progress)
    return _finish(job, counters, report, note)


def _finish(job: EnterpriseImport, counters: Counters, report: Report, note: str) -> EnterpriseImport:
    if report.error_rows or report.note_rows:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "report.xlsx"
            report.save(target)
            stem = job.file_name.rsplit(".", 1)[0]
            with target.open("rb") as f:
                job.report.save(f"{job.pk}-{stem}-报告.xlsx", File(f), save=False)
        EnterpriseImport.objects.filter(pk=job.pk).update(report=job.report.name)
    job = _transition(job, "finish", total=counters.processed, finished_at=clock.now(), error=note, note=note)
    counts = {
        "total": counters.processed,
        "inserted": counters.inserted,
        "updated": counters.updated,
        "unchanged": counters.unchanged,
        "failed": counters.failed,
    }
    audit.record(
        "enterprise_import.run",
        actor=job.created_by,
        obj=job,
        summary=msg(
            "名录导入：%(file)s，新增 %(inserted)s，更新 %(updated)s，未变化 %(unchanged)s，错误 %(failed)s",
            file=job.file_name,
            **counts,
        ),
        changes={"file_name": job.file_name, "sha256": job.sha256, **counts},
    )
    return job
