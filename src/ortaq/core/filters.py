"""django-filter filters that bound what they accept, shared by every FilterSet.

`NumberFilter` cleans with a DecimalField: "99999999999999999999" passes and then breaks the
query of an integer column (OverflowError on SQLite). These clean with an IntegerField within
the column's range, so a value outside it is a form error: ignored on the pages, a 400 in the
API (django-filter's backend).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from .params import MAX_ID


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(IntegerFilter):
    """The id of a row: a positive 64-bit number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class YearFilter(IntegerFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)
