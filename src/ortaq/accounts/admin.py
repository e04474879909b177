"""The back office of people and organisations.

Memberships give access to confidential data (an official's role reads individual scores), so
granting, changing or removing one here goes through the same audited services as everywhere
else; the forms ask the services' rules first, so a refused role is a form error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.actors import acting_user
from ortaq.audit.services import audit_read
from ortaq.core.errors import DomainError

from .models import Membership, Organisation, User
from .services import membership_change, membership_check, membership_delete, membership_grant


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "position", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        if organisation is not None and cleaned.get("role"):
            try:
                membership_check(organisation=organisation, role=cleaned["role"])
            except DomainError as exc:
                self.add_error("role" if "role" in self.fields else None, str(exc.message))
        return cleaned


def save_membership(request: HttpRequest, obj: Membership, *, adding: bool) -> Membership:
    """Write one membership of an admin form through the audited services."""
    if adding:
        membership = membership_grant(
            actor=acting_user(request),
            user=obj.user,
            organisation=obj.organisation,
            role=obj.role,
            position=obj.position,
        )
        if membership.position != obj.position or not obj.is_active:
            membership = membership_change(
                actor=acting_user(request),
                membership=membership,
                position=obj.position,
                is_active=obj.is_active,
            )
    else:
        membership = membership_change(
            actor=acting_user(request),
            membership=obj,
            user=obj.user,
            organisation=obj.organisation,
            role=obj.role,
            position=obj.position,
            is_active=obj.is_active,
        )
    obj.pk = membership.pk
    obj._state.adding = False
    return membership


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class AuditedMembershipsMixin:
    """Inline memberships are saved by the services, never by the formset itself."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            membership_delete(actor=acting_user(request), membership=obj)
        for obj, _changed in formset.changed_objects:
            save_membership(request, obj, adding=False)
        for obj in formset.new_objects:
            save_membership(request, obj, adding=True)


@admin.register(User)
class UserAdmin(AuditedMembershipsMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # With the person: nobody but a superuser changes the break-glass account.
        return request.user.has_perm("accounts.change_user", obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        # Django's own permissions (superuser, groups) are granted by a superuser only.
        return (*readonly, "is_superuser", "groups")

    def render_change_form(
        self,
        request: HttpRequest,
        context: Any,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: User | None = None,
    ) -> Any:
        if change and obj is not None and request.method == "GET":
            audit_read(actor=request.user, subject=obj, what="admin.user_change")
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Organisation)
class OrganisationAdmin(AuditedMembershipsMixin, admin.ModelAdmin):
    list_display = ["name_ru", "kind", "level", "region", "bin", "is_active"]
    list_filter = ["kind", "level", "region", "is_active"]
    search_fields = ["name_kk", "name_ru", "name_en", "bin"]
    list_select_related = ["region"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def render_change_form(
        self,
        request: HttpRequest,
        context: Any,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Organisation | None = None,
    ) -> Any:
        # The memberships inline shows each member's e-mail.
        if change and obj is not None and request.method == "GET":
            members = [m.user for m in obj.memberships.select_related("user").order_by("user_id")]
            audit_read(actor=request.user, subject=members, what="admin.organisation_members")
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__email", "organisation__name_ru", "organisation__name_kk"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        save_membership(request, obj, adding=not change)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_delete(actor=acting_user(request), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            membership_delete(actor=acting_user(request), membership=membership)
