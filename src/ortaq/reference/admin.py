from __future__ import annotations

from django.contrib import admin

from .models import ActivityArea, LegalForm, MciRate, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "kato", "name_kk", "name_ru", "name_en", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "kato", "name_kk", "name_ru", "name_en"]


@admin.register(LegalForm)
class LegalFormAdmin(admin.ModelAdmin):
    list_display = ["code", "short_ru", "name_kk", "name_ru", "name_en", "group", "position"]
    list_filter = ["group"]
    list_editable = ["position"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(ActivityArea)
class ActivityAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(MciRate)
class MciRateAdmin(admin.ModelAdmin):
    list_display = ["year", "value"]
