"""Cells of the CSV and XLSX files we let people download, made safe to open.

A spreadsheet treats text that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab
or carriage return before one of them) as a formula: `=HYPERLINK("http://evil","Open")` typed
into an NGO's address would become a live link, or worse, in the file an official opens. The
OWASP rule (CSV injection): put a `'` in front of such text, so the program shows it as text.

Every export of the project passes its rows through `safe_row` (or each value through
`safe_cell`); numbers, dates and None are left as they are, so they stay numbers and dates.
In XLSX the `'` also keeps openpyxl from storing the text as a formula: it writes a formula
only for a string that starts with `=`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with a `'` before text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every value of a row through `safe_cell`."""
    return [safe_cell(value) for value in values]


def unsafe_cell(value: str) -> str:
    """The text `safe_cell` was given back, for files we read again (the NGO import reads what
    the NGO export wrote)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
