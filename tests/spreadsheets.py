"""Checks that an exported CSV or XLSX file holds a planted formula as inert text."""

from __future__ import annotations

import csv
import io
from typing import Any

PAYLOAD = '=HYPERLINK("http://x","y")'


def csv_text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def assert_inert_csv(text: str, payload: str = PAYLOAD) -> None:
    """The payload is in the file, only ever behind a `'`."""
    cells = [cell for line in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in line]
    planted = [cell for cell in cells if payload in cell]
    assert planted, "the planted text is not in the file"
    assert planted == ["'" + payload] * len(planted)


def assert_inert_xlsx(content: bytes, payload: str = PAYLOAD) -> None:
    """The payload is in the workbook as a text cell (not a formula) behind a `'`."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    planted = [
        cell
        for sheet in book.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if isinstance(cell.value, str) and payload in cell.value
    ]
    assert planted, "the planted text is not in the workbook"
    assert [(cell.data_type, cell.value) for cell in planted] == [("s", "'" + payload)] * len(
        planted
    )
