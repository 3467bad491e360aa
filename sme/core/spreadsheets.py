"""The platform's one spreadsheet writer: every export and report (.xlsx) goes through it.

Cells are safe: a text that a spreadsheet program would run as a formula (one beginning with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return: an organization named ``=HYPERLINK(…)``, an import
row ``=cmd|' /C calc'!A0``) is written as text, with the quote prefix Excel and WPS show as "text",
so it stays text even when someone edits the cell. Codes (credit codes, industry codes, numbers with
leading zeros) are given as ``str`` and stay text; dates and times are real dates in the form Chinese
officials read (``yyyy-mm-dd``), numbers stay numbers.

    book = Spreadsheet()
    sheet = book.sheet(_("审计日志"), [_("时间"), _("操作人"), …])
    sheet.append([row.created_at, row.actor_label, …])
    return book.response("audit-log-20261207.xlsx")

Workbooks are written row by row (openpyxl's write-only mode) to a temporary file: memory stays flat
whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "#,##0.00"
# Excel's limit for a cell's text; longer texts are cut (and say so) rather than corrupting the file.
CELL_TEXT_LIMIT = 32_767


@dataclass(frozen=True)
class Money:
    """A sum for a money cell: two decimals, thousands separated (the header names the unit, 元 or
    万元)."""

    amount: Decimal | int | float | None


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


class Sheet:
    def __init__(self, worksheet: Any):
        self._ws = worksheet
        self.rows = 0

    def _cell(self, value: Any) -> Any:
        ws = self._ws
        if value is None:
            return None
        if isinstance(value, Money):
            return self.money(None if value.amount is None else Decimal(str(value.amount)))
        if isinstance(value, bool):
            return WriteOnlyCell(ws, value=str(value))
        if isinstance(value, str) or not isinstance(value, (int, float, Decimal, dt.date)):
            text = str(value)
            if len(text) > CELL_TEXT_LIMIT:
                text = text[: CELL_TEXT_LIMIT - 1] + "…"
            cell = WriteOnlyCell(ws, value=text)
            if is_formula_like(text):
                cell.data_type = "s"
                cell.quotePrefix = True
            return cell
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            cell = WriteOnlyCell(ws, value=local.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value

    def append(self, values: Iterable[Any]) -> None:
        self._ws.append([self._cell(v) for v in values])
        self.rows += 1

    def money(self, value: Decimal | None) -> Any:
        """A money cell (two decimals, thousands separated); the header says the unit (元 or 万元)."""
        if value is None:
            return None
        cell = WriteOnlyCell(self._ws, value=value)
        cell.number_format = MONEY_FORMAT
        return cell


class Spreadsheet:
    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(self, title: Any, header: Sequence[Any] | None = None) -> Sheet:
        # Sheet titles: at most 31 characters, none of : \ / ? * [ ]
        clean = "".join(ch for ch in str(title) if ch not in ":\\/?*[]")[:31] or "Sheet"
        sheet = Sheet(self.workbook.create_sheet(clean))
        if header is not None:
            bold = Font(bold=True)
            cells = []
            for label in header:
                cell = sheet._cell(str(label))
                cell.font = bold
                cells.append(cell)
            sheet._ws.append(cells)
        return sheet

    def save(self, target: str | Path | IO[bytes]) -> None:
        self.workbook.save(target)

    def response(self, filename: str) -> FileResponse:
        """The workbook as a download (``filename`` may be Chinese: sent as RFC 5987 ``filename*``)."""
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.workbook.save(tmp)
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
