"""Reading query parameters that arrive as any string at all.

Pages and the API read ids, years and words from the address. A value that does not fit is
ignored (the list is shown unfiltered), never a server error: letters for a number, digits of
other scripts ("²" passes `str.isdigit` but not `int`), a number beyond a 64-bit column
(SQLite raises OverflowError), a NUL byte (PostgreSQL refuses it in text).
FilterSets use `core.filters`, built on the same bounds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField / bigint column

_INTEGER = re.compile(r"-?[0-9]{1,19}")


def int_param(
    params: Mapping[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_ID
) -> int | None:
    """The parameter as a whole number within [minimum, maximum] (ids by default), or None."""
    value = params.get(name)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def text_param(params: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    """The parameter as stripped text, or "" when absent, too long or holding a NUL byte."""
    value = params.get(name)
    if value is None:
        return ""
    text = str(value).strip()
    if "\x00" in text or len(text) > max_length:
        return ""
    return text
