"""CSV and XLSX downloads of the lists, written once.

Every list that exports (the NGO directory, compliance and statistics; funded projects,
contracts and funding statistics; council recommendations and the answer tracker) answers
through `export_response`: the same filtered rows the page shows, every row, not just a page.

- CSV is UTF-8 with a byte-order mark (Excel then opens the Cyrillic as UTF-8), `\\r\\n` line
  ends (the `csv` module's), `None` as an empty cell. It is streamed (`StreamingHttpResponse`)
  unless `stream=False` (the statistics and compliance pages, whose rows are already in memory).
- XLSX is written by openpyxl in write-only mode, one sheet per `Sheet` (the title cut to the
  31 characters Excel allows); `None` stays an empty cell, numbers and dates stay typed.
- Every cell goes through `lib.spreadsheets.safe_row`: text a spreadsheet would read as a
  formula gets a `'` in front.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from ortaq.lib.spreadsheets import safe_row

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"

Row = Sequence[Any]


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, the header (None: no header row) and the rows."""

    title: str
    header: Row | None
    rows: Iterable[Row]


class _Echo:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Row | None, rows: Iterable[Row]) -> Iterator[str]:
    """The text of the CSV file, line by line, the byte-order mark first."""
    writer = csv.writer(_Echo())
    yield BOM
    if header is not None:
        yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row("" if value is None else value for value in row))


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    header: Row | None, rows: Iterable[Row], filename: str, *, stream: bool = True
) -> HttpResponseBase:
    lines = csv_lines(header, rows)
    if stream:
        return _attachment(StreamingHttpResponse(lines, content_type=CSV_TYPE), filename)
    return _attachment(HttpResponse("".join(lines), content_type=CSV_TYPE), filename)


def xlsx_response(sheets: Iterable[Sheet], filename: str) -> HttpResponseBase:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:31])
        if sheet.header is not None:
            worksheet.append(safe_row(sheet.header))
        for row in sheet.rows:
            worksheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def export_response(
    rows: Iterable[Row],
    header: Row,
    filename: str,
    fmt: str,
    *,
    sheet: str = "",
    stream: bool = True,
) -> HttpResponseBase:
    """`rows` under `header` as `filename.<fmt>` (csv or xlsx; the sheet is titled `sheet`)."""
    if fmt not in FORMATS:
        raise Http404
    name = f"{filename}.{fmt}"
    if fmt == "csv":
        return csv_response(header, rows, name, stream=stream)
    return xlsx_response([Sheet(sheet or filename, header, rows)], name)


def export_format(request: HttpRequest, param: str = "export") -> str | None:
    """`?export=csv` or `?export=xlsx` on a list page; None without it, 404 for another."""
    value = request.GET.get(param)
    if value is None:
        return None
    if value not in FORMATS:
        raise Http404
    return value
