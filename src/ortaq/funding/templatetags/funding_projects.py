"""Helpers of the public project pages and of the pages that link to them.

- `{% public_projects_of competition as projects %}` then `projects|project_of:application_id`:
  the public project page of a funded application, if its contract is public (one query);
- `amount|tenge_short`: "12,5 mln ₸" for the tiles of the map.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from ortaq.lib.money import NBSP, format_tenge

from ..projects import selectors

register = template.Library()


@register.simple_tag
def public_projects_of(competition: Any) -> dict[int, int]:
    return selectors.public_project_ids(competition_id=competition.pk)


@register.filter
def project_of(projects: dict[int, int], application_id: int) -> int | None:
    return projects.get(application_id)


def _one_decimal(value: Decimal) -> str:
    text = str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.removesuffix(".0").replace(".", ",")


@register.filter
def tenge_short(value: int | None) -> str:
    """An amount rounded to millions or billions of tenge (whole tenge below a million)."""
    if value is None:
        return ""
    if abs(value) >= 1_000_000_000:
        number = _one_decimal(Decimal(value) / 1_000_000_000)
        return _("{amount} bn ₸").format(amount=number).replace(" ", NBSP)
    if abs(value) >= 1_000_000:
        number = _one_decimal(Decimal(value) / 1_000_000)
        return _("{amount} mln ₸").format(amount=number).replace(" ", NBSP)
    return format_tenge(value)
