"""The break-glass account: the only Django superuser, for the back office only, always audited.

A superuser passes every permission check of Django's model backend, so he is nobody in
particular on the public site: the site refuses him (`BreakGlassMiddleware`) except for his
own account pages (log out, two-factor). Each of his logins (`record_login`) and each of his
back-office requests is an audit entry. Platform administrators are `is_staff` without
`is_superuser`: they get exactly the rights the rules give them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ortaq.audit.services import audit_record
from ortaq.core.errors import DomainError

from .models import User


def is_break_glass(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


@transaction.atomic
def breakglass_create(*, actor: User | None, email: str) -> tuple[User, str]:
    """A new active superuser with a random password (returned once, stored only hashed)."""
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with the e-mail {email} already exists.").format(email=email),
            field="email",
        )
    password = secrets.token_urlsafe(24)
    user = User.objects.create_superuser(email, password)
    audit_record(actor=actor, action="breakglass.create", obj=user)
    return user, password


def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: a superuser's login is an audit entry."""
    if is_break_glass(user):
        audit_record(actor=user, action="breakglass.login", obj=user)


def _is_back_office(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "admin" in match.namespaces


def _is_own_account_page(view_func: Callable[..., Any]) -> bool:
    """allauth's pages: log in and out, the second factor, the password."""
    module = getattr(view_func, "__module__", "") or ""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return module.startswith("allauth.")


class BreakGlassMiddleware:
    """Audits every back-office request of a superuser and refuses him the public site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not is_break_glass(user):
            return None
        if _is_back_office(request):
            audit_record(
                actor=user,
                action="breakglass.request",
                obj=user,
                changes={"method": request.method, "path": request.path},
            )
            return None
        if _is_own_account_page(view_func):
            return None
        return render(request, "accounts/breakglass_refused.html", status=403)
