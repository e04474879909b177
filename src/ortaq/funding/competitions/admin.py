"""Back office of funding.

Programmes (with their criteria), topics, competitions (with their lots) and the expert register
may be corrected here; every workflow field (statuses, dates of the stages, versions) is
read-only, because it changes only through services.py, which checks the transition tables,
writes the history, notifies people and writes the audit log. The expert register is written
through its services too (audited).

Applications are shown without their content (description, team, budget, indicators, files):
the back office needs to find an application and follow its status history, while the project
itself stays the NGO's and the organiser's. Individual expert scores are not here at all: only
the organiser and the expert himself see them (funding/rules.py); draws and decisions show
totals only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ortaq.accounts.actors import acting_user
from ortaq.accounts.admin_site import SiteRuleViewMixin

from ..models import (
    Application,
    ApplicationStatusChange,
    Competition,
    CompetitionStatusChange,
    ComplianceFailure,
    Criterion,
    Decision,
    DecisionLine,
    Expert,
    ExpertDraw,
    Lot,
    Programme,
    Topic,
    TopicComment,
    TopicStatusChange,
)
from . import services


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Programmes -------------------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "code", "name_kk", "name_ru", "name_en", "weight", "scale_max")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "year", "budget", "amount_unit", "second_approval")
    list_filter = ("kind", "year", "amount_unit", "blind_review", "second_approval")
    search_fields = ("title_kk", "title_ru", "title_en", "owner__name_ru", "owner__name_kk")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    filter_horizontal = ("activity_areas",)
    readonly_fields = ("version", "created_at")
    inlines = (CriterionInline,)


# --- Topics -----------------------------------------------------------------------------------


class TopicCommentInline(ReadOnlyInline):
    model = TopicComment
    fields = ("author", "organisation", "supports", "text", "answer", "answered_by", "created_at")
    readonly_fields = fields


class TopicStatusChangeInline(ReadOnlyInline):
    model = TopicStatusChange
    fields = ("from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "year", "region", "area", "budget_estimate", "status")
    list_filter = ("status", "year", "region", "area")
    search_fields = ("title_kk", "title_ru", "title_en", "owner__name_ru", "problem")
    list_select_related = ("owner", "region", "area")
    autocomplete_fields = ("owner",)
    readonly_fields = ("status", "consultation_ends", "created_by", "version", "created_at")
    inlines = (TopicCommentInline, TopicStatusChangeInline)


# --- Competitions -----------------------------------------------------------------------------


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = (
        "number",
        "title_kk",
        "title_ru",
        "title_en",
        "region",
        "area",
        "topic",
        "budget_ceiling",
    )
    raw_id_fields = ("topic",)


class CompetitionStatusChangeInline(ReadOnlyInline):
    model = CompetitionStatusChange
    fields = ("from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields


@admin.register(Competition)
class CompetitionAdmin(SiteRuleViewMixin, admin.ModelAdmin):
    list_display = ("title", "organiser", "programme", "status", "application_deadline")
    list_filter = ("status", "programme__kind", "programme__year")
    search_fields = ("title_kk", "title_ru", "title_en", "organiser__name_ru")
    list_select_related = ("organiser", "programme")
    date_hierarchy = "announced_at"
    raw_id_fields = ("programme",)
    autocomplete_fields = ("organiser",)
    readonly_fields = (
        "status",
        "announced_at",
        "application_deadline",
        "compliance_due",
        "evaluation_due",
        "published_at",
        "version",
        "created_at",
    )
    inlines = (LotInline, CompetitionStatusChangeInline)


# --- Applications (metadata and history only) -------------------------------------------------


class ApplicationStatusChangeInline(ReadOnlyInline):
    model = ApplicationStatusChange
    fields = ("from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields


class ComplianceFailureInline(ReadOnlyInline):
    model = ComplianceFailure
    fields = ("reason", "explanation", "checked_by", "created_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(SiteRuleViewMixin, ReadOnlyAdmin):
    list_display = ("reference", "title", "ngo", "competition", "status", "submitted_at")
    list_filter = ("status", "lot__competition__programme__kind", "region")
    search_fields = ("title", "ngo__organisation__name_ru", "ngo__organisation__bin")
    list_select_related = ("lot__competition", "ngo__organisation")
    fields = (
        "lot",
        "ngo",
        "title",
        "region",
        "status",
        "requested_amount",
        "institutional_amount",
        "submitted_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (ApplicationStatusChangeInline, ComplianceFailureInline)

    @admin.display(description="#")
    def reference(self, obj: Application) -> str:
        return obj.reference

    @admin.display(ordering="lot__competition")
    def competition(self, obj: Application) -> Competition:
        return obj.lot.competition


# --- The expert register and draws ------------------------------------------------------------


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """Adding and deactivating go through the register's services (audited)."""

    list_display = ("__str__", "email", "areas_list", "is_active", "created_at")
    list_filter = ("is_active", "areas")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("areas",)
    fields = ("user", "areas", "is_active", "created_at")
    readonly_fields = ("created_at",)
    actions = ("deactivate", "reactivate")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Expert]:
        return super().get_queryset(request).prefetch_related("areas")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The person of a register entry never changes; the entry keeps his assignments.
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    @admin.display(ordering="user__email")
    def email(self, obj: Expert) -> str:
        return obj.user.email

    @admin.display(description="areas")
    def areas_list(self, obj: Expert) -> str:
        return ", ".join(a.code for a in obj.areas.all())

    def save_model(self, request: HttpRequest, obj: Expert, form: Any, change: bool) -> None:
        data = form.cleaned_data
        user = data.get("user") or obj.user
        expert = services.expert_register(
            actor=acting_user(request), email=user.email, areas=data["areas"]
        )
        expert = services.expert_set_active(
            actor=acting_user(request), expert=expert, active=data.get("is_active", True)
        )
        obj.pk, obj.created_at, obj.is_active = expert.pk, expert.created_at, expert.is_active

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The areas were set by the service in save_model."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: drawn experts keep their assignments

    @admin.action(description="Take out of the register")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Expert]) -> None:
        for expert in queryset:
            services.expert_set_active(actor=acting_user(request), expert=expert, active=False)

    @admin.action(description="Bring back into the register")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Expert]) -> None:
        for expert in queryset:
            services.expert_set_active(actor=acting_user(request), expert=expert, active=True)


@admin.register(ExpertDraw)
class ExpertDrawAdmin(ReadOnlyAdmin):
    list_display = ("competition", "area", "seed", "algorithm", "drawn_by", "drawn_at")
    list_filter = ("area",)
    search_fields = ("competition__title_ru", "seed")
    list_select_related = ("competition", "area", "drawn_by")
    fields = (
        "competition",
        "area",
        "seed",
        "algorithm",
        "pool",
        "main",
        "reserves",
        "drawn_by",
        "drawn_at",
    )
    readonly_fields = fields


# --- Decisions --------------------------------------------------------------------------------


class DecisionLineInline(ReadOnlyInline):
    model = DecisionLine
    fields = (
        "application",
        "rank",
        "total_score",
        "divergent",
        "funded",
        "amount",
        "skip_reason",
        "remaining_before",
    )
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("competition", "status", "computed_at", "confirmed_by", "approved_by")
    list_filter = ("status",)
    search_fields = ("competition__title_ru", "competition__title_kk")
    list_select_related = ("competition", "confirmed_by", "approved_by")
    fields = (
        "competition",
        "status",
        "computed_by",
        "computed_at",
        "confirmed_by",
        "confirmed_at",
        "approved_by",
        "approved_at",
    )
    readonly_fields = fields
    inlines = (DecisionLineInline,)
