"""`{% funding_perm "funding.organise" user as can_organise %}`: ask the rule itself, as the
views do (core.web.rule_required). Django's `perms` in templates lets a superuser through
everything, so a tab shown with it could lead to a page that refuses him."""

from __future__ import annotations

from typing import Any

import rules
from django import template

register = template.Library()


@register.simple_tag
def funding_perm(perm: str, user: Any, obj: Any = None) -> bool:
    return bool(rules.has_perm(perm, user, obj))
