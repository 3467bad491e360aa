"""Reading registry files as a stream of rows: .xlsx (openpyxl read-only) and .csv (UTF-8 with or
without BOM, or GBK/GB18030, which Chinese spreadsheet programs write).

Nothing here holds more than a few rows in memory, so a million-row file reads in constant space.
Line numbers are the file's own: the spreadsheet row, or the CSV line where the record starts.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
HEADER_SCAN_ROWS = 20
PREVIEW_ROWS = 5
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

csv.field_size_limit(1024 * 1024)


class ImportFileError(Exception):
    """The file cannot be read as a registry file; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Scan:
    sha256: str
    size: int
    file_format: str  # csv / xlsx
    encoding: str  # for CSV: utf-8-sig or gb18030


def scan(stream: IO[bytes], name: str, sink: IO[bytes] | None = None) -> Scan:
    """Hash the file and decide its format (by content, checked against the name) and, for CSV, its
    encoding: UTF-8 if every byte decodes as UTF-8, else GB18030 (a superset of GBK). The bytes are
    copied to ``sink`` on the way, so the file is read once."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    gb = codecs.getincrementaldecoder("gb18030")()
    utf8_ok = gb_ok = True
    while chunk := stream.read(CHUNK):
        if not head:
            head = chunk[:8]
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
        if head.startswith((XLSX_MAGIC, OLE_MAGIC)):
            continue
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        if not utf8_ok and gb_ok:
            try:
                gb.decode(chunk)
            except UnicodeDecodeError:
                gb_ok = False
    lower = name.lower()
    if size == 0:
        raise ImportFileError(_("文件是空的。"))
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再上传。"))
    if head.startswith(XLSX_MAGIC):
        if not lower.endswith(".xlsx"):
            raise ImportFileError(_("文件内容是 Excel（.xlsx），但文件名不是 .xlsx，请核对后再上传。"))
        return Scan(digest.hexdigest(), size, "xlsx", "")
    if lower.endswith(".xlsx"):
        raise ImportFileError(_("文件名是 .xlsx，但内容不是 Excel 文件。"))
    if not lower.endswith(".csv"):
        raise ImportFileError(_("请上传 .xlsx 或 .csv 文件。"))
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        return Scan(digest.hexdigest(), size, "csv", "utf-8-sig")
    if gb_ok:
        try:
            gb.decode(b"", final=True)
        except UnicodeDecodeError:
            gb_ok = False
    if gb_ok:
        return Scan(digest.hexdigest(), size, "csv", "gb18030")
    raise ImportFileError(_("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK 编码后再上传。"))


# --- rows -----------------------------------------------------------------------------------------

Row = tuple[int, list[Any]]  # (line number in the file, cell values)


@dataclass
class Source:
    """The rows of a file from the first, with the merged ranges of its first rows (xlsx)."""

    rows: Iterator[Row]
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_col, min_row, max_col, max_row
    total_lines: int | None = None  # an estimate, for progress
    _close: Any = None

    def close(self) -> None:
        if self._close is not None:
            self._close()


def open_source(path: str | Path, file_format: str, encoding: str) -> Source:
    if file_format == "xlsx":
        return _xlsx_source(Path(path))
    return _csv_source(Path(path), encoding)


def _count_lines(path: Path) -> int:
    count = 0
    last = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (1 if last and last != b"\n" else 0)


def _csv_source(path: Path, encoding: str) -> Source:
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding or "utf-8-sig", newline="")
    sample = text.read(64 * 1024)
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[Row]:
        start = 1
        try:
            for values in reader:
                yield start, values
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("文件第 %(line)s 行附近的字符无法按所识别的编码读取。") % {"line": start}
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(
                _("CSV 文件第 %(line)s 行格式有误：%(error)s") % {"line": start, "error": exc}
            ) from exc

    return Source(rows(), [], _count_lines(path), text.close)


_NUMBER = re.compile(r"-?[\d,.]+")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def _merged_ranges(workbook: Any, worksheet: Any, max_row: int = 100) -> list[tuple[int, int, int, int]]:
    """The merged ranges that start in the first ``max_row`` rows. The read-only worksheet does not
    parse them, so the sheet's XML is scanned for ``<mergeCell ref="A1:B2"/>`` (they follow the cell
    data, so the whole part is read, in chunks, without building a tree)."""
    ranges: list[tuple[int, int, int, int]] = []
    try:
        part = workbook._archive.open(worksheet._worksheet_path)
    except (AttributeError, KeyError):
        return ranges
    tail = b""
    with part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                c1, r1, c2, r2 = m.groups()
                if int(r1) <= max_row:
                    ranges.append((_column_number(c1), int(r1), _column_number(c2), int(r2)))
            tail = data[-200:]
    return sorted(set(ranges))


def _xlsx_source(path: Path) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc
    worksheet = workbook.active or workbook.worksheets[0]
    total = worksheet.max_row if worksheet.max_row and worksheet.max_row > 1 else None
    merged = _merged_ranges(workbook, worksheet)
    # Some programs write a wrong <dimension>; read every row at its own width instead.
    worksheet.reset_dimensions()

    def rows() -> Iterator[Row]:
        for line, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield line, list(values)

    return Source(rows(), merged, total, workbook.close)


# --- header ---------------------------------------------------------------------------------------


def display(value: Any) -> str:
    """A cell as people read it: integral floats without ".0", dates as dates, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


@dataclass(frozen=True)
class Inspection:
    columns: list[str]
    header_row: int
    header_rows: int
    preview: list[list[str]]


def _filled(rows: dict[int, list[str]], merged: list[tuple[int, int, int, int]]) -> dict[int, list[str]]:
    """Cells covered by a merged range take the text of its top-left cell."""
    filled = {line: list(values) for line, values in rows.items()}
    for c1, r1, c2, r2 in merged:
        top = rows.get(r1, [])
        text = top[c1 - 1] if c1 - 1 < len(top) else ""
        for r in range(r1, r2 + 1):
            if r not in filled:
                continue
            row = filled[r]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                if not row[c - 1]:
                    row[c - 1] = text
    return filled


def _guess_header(rows: dict[int, list[str]], merged: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    header_row = next((line for line in sorted(rows) if sum(1 for v in rows[line] if v) >= 2), 1)
    for c1, r1, c2, r2 in merged:
        if r1 == header_row and (r2 > r1 or c2 > c1):
            return header_row, 2
    top, below = rows.get(header_row, []), rows.get(header_row + 1, [])
    width = max(len(top), len(below))
    top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
    gaps = [i for i in range(width) if not top[i]]
    # A CSV of a two-row header: the merged cells' text is only in the first cell of each merge, so
    # the top row has gaps the row below fills with titles, and is blank under the tall cells.
    if (
        not merged
        and gaps
        and all(below[i] and not _NUMBER.fullmatch(below[i]) for i in gaps)
        and any(top[i] and not below[i] for i in range(width))
    ):
        return header_row, 2
    return header_row, 1


def header_columns(
    rows: dict[int, list[str]], merged: list[tuple[int, int, int, int]], header_row: int, header_rows: int
) -> list[str]:
    filled = _filled(rows, merged)
    top = filled.get(header_row, [])
    if header_rows == 1:
        return [v.replace("\n", "") for v in top]
    below = filled.get(header_row + 1, [])
    width = max(len(top), len(below))
    top = top + [""] * (width - len(top))
    below = below + [""] * (width - len(below))
    if not merged:  # CSV: a group title stands over the blanks to its right
        last = ""
        for i in range(width):
            if top[i]:
                last = top[i]
            elif below[i]:
                top[i] = last
    columns = []
    for a, b in zip(top, below, strict=True):
        a, b = a.replace("\n", ""), b.replace("\n", "")
        columns.append(a if (a == b or not b) else b if not a else f"{a}/{b}")
    return columns


def inspect(
    path: str | Path,
    file_format: str,
    encoding: str,
    header_row: int | None = None,
    header_rows: int | None = None,
) -> Inspection:
    """The header (guessed unless given) and the first data rows, for the mapping page."""
    source = open_source(path, file_format, encoding)
    try:
        rows: dict[int, list[str]] = {}
        limit = max(HEADER_SCAN_ROWS, (header_row or 0) + 2 + PREVIEW_ROWS)
        for line, values in source.rows:
            rows[line] = [display(v) for v in values]
            if line >= limit:
                break
    finally:
        source.close()
    if not any(any(v for v in values) for values in rows.values()):
        raise ImportFileError(_("文件中没有数据。"))
    guessed_row, guessed_rows = _guess_header(rows, source.merged)
    header_row = header_row or guessed_row
    header_rows = header_rows or guessed_rows
    columns = header_columns(rows, source.merged, header_row, header_rows)
    first = header_row + header_rows
    preview = [rows[line] for line in sorted(rows) if line >= first and any(rows[line])][:PREVIEW_ROWS]
    return Inspection(columns, header_row, header_rows, preview)


def data_rows(source: Source, first_line: int) -> Iterator[Row]:
    """The rows from ``first_line`` on, skipping the wholly blank ones."""
    for line, values in source.rows:
        if line < first_line:
            continue
        if any(v is not None and v != "" for v in values):
            yield line, values
