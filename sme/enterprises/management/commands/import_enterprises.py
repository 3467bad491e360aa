"""``python manage.py import_enterprises FILE [--mapping JSON] [--district CODE] [--actor USERNAME]``

Does what the import page does, in the foreground with a progress bar: stores the file (with its
SHA-256, for the record), guesses the column mapping from the header (or takes ``--mapping``,
``{"field": column number from 1 or header text}``), checks every row, writes the good ones and
saves the report of bad rows on the import record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sme.accounts.models import User
from sme.core.errors import ServiceError
from sme.regions.models import Region

from ...importing.fields import FIELD_KEYS, IMPORT_FIELDS
from ...importing.runner import run_import
from ...models import EnterpriseImport, ImportStatus
from ...services import enterprise_import_set_header, enterprise_import_start, enterprise_import_upload
from ..progress import ProgressBar


class Command(BaseCommand):
    help = "Import an enterprise registry file (.xlsx or .csv) with a progress bar."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--mapping",
            help='JSON: {"uscc": 1, "name": "企业名称", …}: a column number (from 1) or header text per field. '
            f"Fields: {', '.join(FIELD_KEYS)}. Unnamed fields are guessed from the header.",
        )
        parser.add_argument(
            "--district", help="Only rows of this district (6-digit code), as a district officer."
        )
        parser.add_argument("--actor", help="Username recorded as the importer (default: none, the system).")
        parser.add_argument("--year", type=int, help="Data year for files without a year column.")
        parser.add_argument("--header-row", type=int, help="Line where the header starts (default: guessed).")
        parser.add_argument(
            "--header-rows", type=int, choices=[1, 2], help="Header lines (default: guessed)."
        )
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Import nothing when any row is bad (default: keep good rows).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"用户不存在：{options['actor']}")
        district = None
        if options["district"]:
            district = Region.objects.districts().current().filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"不是现行区县代码：{options['district']}")
        try:
            with path.open("rb") as f:
                job = enterprise_import_upload(
                    actor=actor, upload=f, file_name=path.name, district=district, system=True
                )
            if options["header_row"] or options["header_rows"]:
                job = enterprise_import_set_header(
                    actor=actor,
                    job=job,
                    header_row=options["header_row"] or job.header_row,
                    header_rows=options["header_rows"] or job.header_rows,
                    system=True,
                )
            mapping = dict(job.mapping)
            if options["mapping"]:
                mapping.update(self._mapping(options["mapping"], job))
            self.stdout.write(
                f"导入 {path.name}（{job.file_format}{'，' + job.encoding if job.encoding else ''}），列对应："
            )
            labels = {f.key: str(f.label) for f in IMPORT_FIELDS}
            for key, index in mapping.items():
                self.stdout.write(f"  {labels[key]} ← 第 {index + 1} 列 {job.columns[index]}")
            job = enterprise_import_start(
                actor=actor,
                job=job,
                mapping=mapping,
                default_year=options["year"] or job.default_year,
                keep_good_rows=not options["all_or_nothing"],
                system=True,
                background=False,
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        bar = ProgressBar(self.stdout)

        def progress(j: EnterpriseImport) -> None:
            bar.update(
                j.processed,
                j.total,
                f"新增 {j.inserted:,} 更新 {j.updated:,} 未变化 {j.unchanged:,} 错误 {j.failed:,}",
            )

        job = run_import(job, progress)
        bar.finish()
        if job.status == ImportStatus.FAILED:
            raise CommandError(f"导入失败：{job.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"完成（导入编号 {job.pk}）：共 {job.total or 0:,} 行，新增 {job.inserted:,}，更新 {job.updated:,}，"
                f"未变化 {job.unchanged:,}，错误 {job.failed:,}。"
            )
        )
        if job.error:
            self.stdout.write(job.error)
        if job.report:
            self.stdout.write(f"报告：{job.report.path if hasattr(job.report, 'path') else job.report.name}")

    def _mapping(self, text: str, job: EnterpriseImport) -> dict[str, int]:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"--mapping 不是 JSON：{exc}") from exc
        if not isinstance(raw, dict):
            raise CommandError('--mapping 应为 {"字段": 列} 形式的 JSON 对象。')
        out: dict[str, int] = {}
        for key, value in raw.items():
            if key not in FIELD_KEYS:
                raise CommandError(f"未知字段 {key}，可用：{', '.join(FIELD_KEYS)}")
            if isinstance(value, int):
                out[key] = value - 1
            elif isinstance(value, str) and value in job.columns:
                out[key] = job.columns.index(value)
            else:
                raise CommandError(f"字段 {key} 的列 {value!r} 不存在；文件的列：{job.columns}")
        return out
