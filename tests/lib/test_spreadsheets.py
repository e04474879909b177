"""safe_cell: the OWASP rule against formulas in exported spreadsheets."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from ortaq.lib.spreadsheets import safe_cell, safe_row, unsafe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+7 701 000 00 00", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_a_spreadsheet_would_compute_gets_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert unsafe_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value",
    ["Ақниет", "", "'quoted", "a=b", 42, -5, 1.5, Decimal("-2.5"), dt.date(2024, 3, 1), None],
)
def test_other_values_are_left_as_they_are(value: object) -> None:
    assert safe_cell(value) is value
    if isinstance(value, str):
        assert unsafe_cell(value) == value


def test_an_xlsx_cell_holds_the_quoted_text_not_a_formula() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append(safe_row(['=HYPERLINK("http://x","y")', -5, dt.date(2024, 3, 1)]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(buffer).worksheets[0].iter_rows())
    assert [(c.data_type, c.value) for c in cells] == [
        ("s", '\'=HYPERLINK("http://x","y")'),
        ("n", -5),
        ("d", dt.datetime(2024, 3, 1)),
    ]
