from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_kazakh_dates_are_written_as_in_official_documents() -> None:
    day = dt.datetime(2026, 3, 21, 14, 5)
    with translation.override("kk"):
        assert _render("{{ d|date }} {{ d|time }}", d=day) == "21.03.2026 14:05"
        assert _render("{{ d|date:'SHORT_DATETIME_FORMAT' }}", d=day) == "21.03.2026 14:05"
    with translation.override("ru"):
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "21.03.2026"
