from __future__ import annotations

from django.contrib import admin

from .models import Composition, Council, CouncilMember, Meeting, Recommendation


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ("user", "organisation")


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
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


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("council", "addressee", "sent_on", "due_on", "status", "answer")
    list_filter = ("status", "answer")
    raw_id_fields = ("council", "meeting", "item", "addressee", "answered_by")
