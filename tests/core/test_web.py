"""The web glue of core/web.py and core/exports.py, on their own."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import Http404, HttpRequest
from django.test import RequestFactory
from openpyxl import load_workbook

from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.exports import export_response
from ortaq.core.web import query_string, run_service, service_call


class NameForm(forms.Form):
    name = forms.CharField()


def _request(path: str = "/") -> HttpRequest:
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse(error: DomainError) -> None:
    raise error


def test_a_refusal_naming_a_field_goes_next_to_it() -> None:
    form = NameForm({"name": "x"})
    form.is_valid()
    with service_call(_request(), form=form) as outcome:
        _refuse(DomainError("Too short.", field="name"))
    assert (outcome.ok, form.errors) == (False, {"name": ["Too short."]})


def test_a_conflict_goes_on_the_form_even_when_it_names_a_field() -> None:
    form = NameForm({"name": "x"})
    form.is_valid()
    with service_call(_request(), form=form) as outcome:
        _refuse(ConflictError("Someone saved in between.", field="name"))
    assert outcome.conflict is not None
    assert form.errors == {"__all__": ["Someone saved in between."]}


def test_without_a_form_the_refusal_is_a_page_message() -> None:
    request = _request()
    assert run_service(request, lambda: _refuse(DomainError("No.")), "Done.") is False
    assert run_service(request, lambda: None, "Done.") is True
    assert [str(m) for m in get_messages(request)] == ["No.", "Done."]


def test_the_query_string_drops_the_page_and_keeps_repeated_keys() -> None:
    request = _request("/?area=a&area=b&page=3&export=csv")
    assert query_string(request) == "area=a&area=b"


def test_the_csv_export_is_utf8_with_a_bom_and_inert_formulas() -> None:
    response = export_response([["=1+1", None, 5]], ["Атауы", "b", "c"], "x-2026", "csv")
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="x-2026.csv"'
    assert body == "\ufeffАтауы,b,c\r\n'=1+1,,5\r\n"


def test_the_xlsx_export_names_its_sheet_and_keeps_numbers() -> None:
    response = export_response([["=1+1", None, 5]], ["a", "b", "c"], "x", "xlsx", sheet="Лист")
    book = load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    assert book.sheetnames == ["Лист"]
    assert list(book["Лист"].iter_rows(values_only=True)) == [("a", "b", "c"), ("'=1+1", None, 5)]


def test_an_unknown_export_format_is_not_found() -> None:
    with pytest.raises(Http404):
        export_response([], ["a"], "x", "pdf")
