from __future__ import annotations

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "topic", "created_at", "read_at")
    list_filter = ("topic",)
    search_fields = ("subject", "recipient__email")
    readonly_fields = ("recipient", "subject", "body", "url", "topic", "created_at", "read_at")
