"""Request guards that apply to every page and the API alike."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulInQueryMiddleware:
    """A NUL byte in the query string is a 400 before any view reads it.

    No legitimate address holds one, and PostgreSQL refuses it in every text it compares, so
    any parameter compared in a query (a region code, a search word) would be a server error.
    Forms already refuse it in submitted data (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest(
                    _("The address contains a character that is not allowed (NUL)."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
