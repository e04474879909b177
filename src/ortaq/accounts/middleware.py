"""The organisation a person acts for, and the two-factor requirement for the state's roles."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from .enums import CONFIDENTIAL_ADMIN_KINDS, PRIVILEGED_ROLES, Role
from .models import Membership
from .rules import user_roles
from .selectors import memberships_of

SESSION_KEY = "ortaq_acting_for"


def acting_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships, read once per request (the header and the switch share them)."""
    cached = getattr(request, "_ortaq_memberships", None)
    if cached is None:
        cached = list(memberships_of(user=request.user))
        request._ortaq_memberships = cached  # type: ignore[attr-defined]
    return cached


def _acting_for(request: HttpRequest) -> object:
    memberships = acting_memberships(request)
    organisations = {m.organisation_id: m.organisation for m in memberships}
    chosen = request.session.get(SESSION_KEY)
    if chosen in organisations:
        return organisations[chosen]
    return memberships[0].organisation if memberships else None


class ActiveOrganisationMiddleware:
    """Sets `request.organisation`: the organisation the user acts for (chosen in the header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = SimpleLazyObject(lambda: _acting_for(request))  # type: ignore[attr-defined]
        return self.get_response(request)


_ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/")
_ALLOWED_SUFFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/")


def needs_two_factor(user: object) -> bool:
    """Everyone who can read confidential data: officials, regional administrators, experts
    (members of an expert commission, and anyone in the expert register, with or without a
    membership), administrators of state bodies and grant operators, platform administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    for _o, role, _r, kind in user_roles(user):
        if role in PRIVILEGED_ROLES:
            return True
        if role == Role.ADMIN and kind in CONFIDENTIAL_ADMIN_KINDS:
            return True
    # The expert register belongs to funding, a later app: looked up by name, not imported.
    expert_model = apps.get_model("funding", "Expert")
    return bool(expert_model.objects.filter(user_id=user.pk).exists())  # type: ignore[attr-defined]


class RequireTwoFactorMiddleware:
    """With ORTAQ_REQUIRE_2FA, officials, experts and administrators set up TOTP before acting."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.ORTAQ_REQUIRE_2FA and self._must_enrol(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        path = request.path
        if path.startswith(_ALLOWED_PREFIXES) or any(s in path for s in _ALLOWED_SUFFIXES):
            return False
        if not needs_two_factor(request.user):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
