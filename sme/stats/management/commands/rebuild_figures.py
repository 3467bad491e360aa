"""``manage.py rebuild_figures [--today YYYY-MM-DD] [--only key,key]``: rebuild the landing page's
figures now (the daily job does it every night)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.core import clock

from ...services import figures_rebuild


class Command(BaseCommand):
    help = "重新汇总工作台统计数（每日任务也会执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="统计日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--only", help="只汇总这些指标，逗号分隔")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: 日期应为 YYYY-MM-DD，收到 {options['today']!r}") from exc
        only = [k.strip() for k in options["only"].split(",") if k.strip()] if options.get("only") else None
        with clock.pinned(today) if today else _unchanged():
            report = figures_rebuild(today=today, only=only)
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if report.failed:
            raise CommandError(f"汇总失败：{', '.join(sorted(report.failed))}")


class _unchanged:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None
