"""The back office's site: it has no login of its own and admits only two-factor sessions.

Django's admin login form checks the password alone, so it would skip allauth's flow and its
two-factor stage. Here the admin's login view only sends the person to allauth's login (or, when
he is logged in without the second factor, to allauth's confirmation of it), and
`has_permission` refuses a session of a person with TOTP that did not pass the MFA stage.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def passed_two_factor(request: HttpRequest) -> bool:
    """True unless the person has TOTP and this session was not confirmed with it."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.models import Authenticator

    user = request.user
    if not Authenticator.objects.filter(user_id=user.pk).exists():
        return True
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class OrtaqAdminSite(admin.AdminSite):
    site_header = "Ortaq"
    site_title = "Ortaq"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and passed_two_factor(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            target = resolve_url("account_login")
        elif not (user.is_active and user.is_staff):
            raise PermissionDenied
        elif not passed_two_factor(request):
            target = reverse("mfa_reauthenticate")
        else:
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(f"{target}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class OrtaqAdminConfig(AdminConfig):
    default_site = "ortaq.accounts.admin_site.OrtaqAdminSite"


class SiteRuleViewMixin:
    """For a model whose `<app>.view_<model>` is a rule of the site, asked there with an object
    (an application, a competition, a contract): without an object that rule answers no, and it
    says nothing about the back office. The back office asks
    `<app>.view_<model>_in_back_office` instead (registered in the app's rules.py)."""

    opts: Any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        perm = f"{self.opts.app_label}.view_{self.opts.model_name}_in_back_office"
        return request.user.has_perm(perm)
