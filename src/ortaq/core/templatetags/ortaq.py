"""Template helpers: language links, tenge amounts, content in the active language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import translate_url
from django.utils.translation import get_language_info

from ortaq.core.i18n import pick
from ortaq.lib.money import format_tenge

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in each language (the URL prefix chooses the language)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "active": code == current,
            }
        )
    return links


@register.filter
def tenge(value: int | Decimal | None) -> str:
    return "" if value is None else format_tenge(value)


@register.filter
def localized(obj: object, field: str = "name") -> str:
    return pick(obj, field)


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int, param: str = "page") -> str:
    """The list's query string with `param` set to `number`: every filter kept, repeated keys
    (several ticked boxes) included; for the pager links (`core/pagination.html`)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop(param, None)
    params[param] = str(number)
    return params.urlencode()
