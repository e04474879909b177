from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from .checks import host_refusal
from .models import Composition, Council, CouncilMember, Meeting, Recommendation


class CouncilAdminForm(forms.ModelForm):
    """The host rule of the services (checks.host_refusal) holds in the back office too,
    when a council is added or its kind or host changes; a council from before the rule can
    still be deactivated."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, host = data.get("kind"), data.get("organisation")
        changed = not self.instance.pk or {"kind", "organisation"} & set(self.changed_data)
        if kind and host and changed:
            refusal = host_refusal(kind, host.kind, host.name)
            if refusal:
                raise forms.ValidationError(refusal)
        return data


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ("user", "organisation")


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    form = CouncilAdminForm
    list_display = ("name_ru", "kind", "level", "region", "organisation")
    list_filter = ("kind", "level", "region")
    search_fields = ("name_ru", "name_kk", "name_en")
    raw_id_fields = ("organisation",)


@admin.register(Composition)
class CompositionAdmin(admin.ModelAdmin):
    list_display = ("council", "number", "status", "term_start", "term_end")
    list_filter = ("status",)
    raw_id_fields = ("council",)
    inlines = [MemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("council", "starts_at", "status")
    list_filter = ("status",)
    raw_id_fields = ("council", "composition")
    # As the site's form: a link typed without a scheme is https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("council", "addressee", "sent_on", "due_on", "status", "answer")
    list_filter = ("status", "answer")
    raw_id_fields = ("council", "meeting", "item", "addressee", "answered_by")
