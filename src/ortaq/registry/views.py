"""Pages of the NGO registry: directory, NGO page, editing, status, ownership claims, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.audit.services import audit_read
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.exports import FORMATS, export_response
from ortaq.core.panels import ngo_panels
from ortaq.core.web import (
    acting_for,
    paginate,
    query_string,
    rule_allows,
    rule_required,
    show_error,
)
from ortaq.lib.identifiers import is_valid_bin

from . import selectors, services
from .enums import ClaimStatus, TargetGroup
from .filters import FLAG_CHOICES, NgoFilter
from .forms import ClaimForm, DecisionForm, NgoProfileForm, RegisterNgoForm, StatusForm
from .models import NgoProfile, OwnershipClaim

PAGE_SIZE = 25


def _ngo(request: HttpRequest, pk: int) -> NgoProfile:
    return get_object_or_404(NgoProfile.objects.select_related("organisation"), pk=pk)


def _claim(request: HttpRequest, pk: int) -> OwnershipClaim:
    return get_object_or_404(
        OwnershipClaim.objects.select_related("ngo", "ngo__organisation"), pk=pk
    )


# --- the directory --------------------------------------------------------------------------


def ngo_directory(request: HttpRequest) -> HttpResponse:
    """Search and filter the registry; HTMX asks for the result list alone."""
    filterset = NgoFilter(data=request.GET, queryset=selectors.ngo_public_queryset())
    page_obj = paginate(request, filterset.qs, PAGE_SIZE)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "ngos": page_obj.object_list,
        "total": page_obj.paginator.count,
        "query_string": query_string(request, drop=("page",)),
    }
    template = "registry/_results.html" if request.htmx else "registry/directory.html"  # type: ignore[attr-defined]
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


EXPORT_COLUMNS = [
    ("bin", "BIN"),
    ("name_kk", "Атауы (қаз.)"),
    ("name_ru", "Наименование (рус.)"),
    ("name_en", "Name (en)"),
    ("legal_form", "Legal form"),
    ("region", "Region"),
    ("district", "District"),
    ("settlement", "Urban / rural"),
    ("status", "Status"),
    ("registration_year", "Year of registration"),
    ("verification", "Verification"),
    ("activity_areas", "Activity areas"),
    ("kinds", "Kind"),
    ("address", "Address"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("website", "Website"),
    ("leader_name", "Leader"),
]


def _export_header() -> list[str]:
    labels = {
        "bin": _("BIN"),
        "name_kk": _("Name (Kazakh)"),
        "name_ru": _("Name (Russian)"),
        "name_en": _("Name (English)"),
        "legal_form": _("Legal form"),
        "region": _("Region"),
        "district": _("District or city"),
        "settlement": _("Urban or rural"),
        "status": _("Status"),
        "registration_year": _("Year of registration"),
        "verification": _("Verification"),
        "activity_areas": _("Activity areas"),
        "kinds": _("Kind of organisation"),
        "address": _("Address"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "website": _("Website"),
        "leader_name": _("Leader"),
    }
    return [str(labels[key]) for key, _default in EXPORT_COLUMNS]


def _export_row(ngo: NgoProfile) -> list[Any]:
    organisation = ngo.organisation
    kinds = [str(label) for key, label in FLAG_CHOICES if getattr(ngo, f"is_{key}")]
    values = {
        "bin": organisation.bin,
        "name_kk": organisation.name_kk,
        "name_ru": organisation.name_ru,
        "name_en": organisation.name_en,
        "legal_form": ngo.legal_form.name,
        "region": organisation.region.name if organisation.region else "",
        "district": ngo.district,
        "settlement": ngo.get_settlement_display(),
        "status": ngo.get_status_display(),
        "registration_year": ngo.registration_year,
        "verification": ngo.get_verification_display(),
        "activity_areas": "; ".join(area.name for area in ngo.activity_areas.all()),
        "kinds": "; ".join(kinds),
        "address": ngo.address,
        "phone": ngo.phone,
        "email": ngo.email,
        "website": ngo.website,
        "leader_name": ngo.leader_name,
    }
    return [values[key] for key, _default in EXPORT_COLUMNS]


def ngo_export(request: HttpRequest, format: str) -> HttpResponseBase:
    """The directory's list for the same query string, as CSV (streamed) or XLSX."""
    if format not in FORMATS:
        raise Http404
    queryset = selectors.ngo_directory_queryset(request.GET)
    rows = (_export_row(ngo) for ngo in queryset.iterator(chunk_size=1000))
    stamp = timezone.localdate().isoformat()
    return export_response(rows, _export_header(), f"ngos-{stamp}", format, sheet=_("NGOs"))


# --- one NGO --------------------------------------------------------------------------------


def _render_ngo(request: HttpRequest, ngo: NgoProfile) -> HttpResponse:
    groups = dict(TargetGroup.choices)
    context = {
        "ngo": ngo,
        "organisation": ngo.organisation,
        "kinds": [label for key, label in FLAG_CHOICES if getattr(ngo, f"is_{key}")],
        "target_groups": [groups[g] for g in ngo.target_groups if g in groups],
        "reports": selectors.ngo_reports_filed(ngo),
        "panels": ngo_panels(ngo),
        "can_apply": selectors.ngo_can_apply(ngo),
        "can_edit": rule_allows(request, "registry.change_ngoprofile", ngo),
        "can_change_status": rule_allows(request, "registry.change_ngo_status", ngo),
        "founders_count": len([line for line in ngo.founders.splitlines() if line.strip()]),
    }
    return render(request, "registry/ngo_detail.html", context)


def ngo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ngo = selectors.ngo_get(pk=pk)
    except NgoProfile.DoesNotExist as error:
        raise Http404 from error
    return _render_ngo(request, ngo)


def ngo_detail_by_bin(request: HttpRequest, bin: str) -> HttpResponse:
    if not is_valid_bin(bin):
        raise Http404
    try:
        ngo = selectors.ngo_get_by_bin(bin=bin)
    except NgoProfile.DoesNotExist as error:
        raise Http404 from error
    return _render_ngo(request, ngo)


def _changed_fields(form: NgoProfileForm, current: NgoProfile) -> list[dict[str, Any]]:
    """What the other person saved that differs from what this user typed (to compare)."""
    fresh = NgoProfileForm(instance=current)
    differences = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        saved = fresh.initial.get(name, fresh.fields[name].initial)
        typed = form.cleaned_data[name]
        if hasattr(saved, "__iter__") and not isinstance(saved, str):
            saved = sorted(getattr(v, "pk", v) for v in saved)
            typed = sorted(getattr(v, "pk", v) for v in typed)
        elif hasattr(typed, "pk"):
            typed = typed.pk
        if (saved or "") != (typed or ""):
            differences.append({"label": field.label, "saved": fresh[name].value()})
    return differences


@login_required
@rule_required("registry.change_ngoprofile", fn=_ngo)
def ngo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ngo = get_object_or_404(selectors.ngo_detail_queryset(), pk=pk)
    form = NgoProfileForm(request.POST or None, instance=ngo)
    conflict: list[dict[str, Any]] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.ngo_update(
                actor=acting_user(request),
                ngo=ngo,
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
                **form.values(),
            )
        except ConflictError as error:
            current = get_object_or_404(selectors.ngo_detail_queryset(), pk=pk)
            conflict = _changed_fields(form, current)
            # The user's text stays; the next save compares with the version shown now.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = NgoProfileForm(data, instance=current)
            form.is_valid()
            form.add_error(None, str(error.message))
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("registry:detail", pk=ngo.pk)
    return render(
        request, "registry/ngo_form.html", {"form": form, "ngo": ngo, "conflict": conflict}
    )


@login_required
@rule_required("registry.change_ngo_status", fn=_ngo)
def ngo_status(request: HttpRequest, pk: int) -> HttpResponse:
    ngo = get_object_or_404(selectors.ngo_detail_queryset(), pk=pk)
    form = StatusForm(request.POST or None, ngo=ngo)
    if request.method == "POST" and form.is_valid():
        try:
            services.ngo_change_status(
                actor=acting_user(request),
                ngo=ngo,
                status=form.cleaned_data["status"],
                changed_on=form.cleaned_data["changed_on"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("registry:detail", pk=ngo.pk)
    return render(request, "registry/ngo_status_form.html", {"form": form, "ngo": ngo})


# --- ownership claims -----------------------------------------------------------------------


@login_required
def claim_existing(request: HttpRequest) -> HttpResponse:
    """Ask to administer a registered NGO, found by its BIN."""
    initial = {"bin": request.GET.get("bin", "")[:12]}
    form = ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_existing_ngo(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _(
                    "Your claim is sent to the regional administrator; "
                    "you will see the answer here."
                ),
            )
            return redirect("registry:my_claims")
    return render(request, "registry/claim_form.html", {"form": form})


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    """Register an NGO that is not in the registry yet, and ask to administer it."""
    form = RegisterNgoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_new_ngo(
                actor=request.user,  # type: ignore[arg-type]
                position=form.cleaned_data["position"],
                message=form.cleaned_data["message"],
                **form.registration(),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _(
                    "The NGO is registered and waits for verification by the regional "
                    "administrator; you will see the answer here."
                ),
            )
            return redirect("registry:my_claims")
    return render(request, "registry/register_form.html", {"form": form})


@login_required
def my_claims(request: HttpRequest) -> HttpResponse:
    claims = selectors.claims_of(user=request.user)
    return render(
        request, "registry/my_claims.html", {"claims": claims, "pending": ClaimStatus.PENDING}
    )


@require_POST
@login_required
@rule_required("registry.withdraw_ownershipclaim", fn=_claim)
def claim_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    try:
        services.claim_withdraw(actor=request.user, claim=claim)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your claim is withdrawn."))
    return redirect("registry:my_claims")


@login_required
@rule_required("registry.view_claim_queue")
def claim_queue(request: HttpRequest) -> HttpResponse:
    """Claims waiting for the regional administrator's decision, in his region only."""
    claims = selectors.claim_queue(user=request.user)
    page_obj = paginate(request, claims, PAGE_SIZE)
    return render(
        request,
        "registry/claim_queue.html",
        {"claims": page_obj.object_list, "page_obj": page_obj, "total": page_obj.paginator.count},
    )


@login_required
@rule_required("registry.decide_ownershipclaim", fn=_claim)
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and claim.status != ClaimStatus.PENDING:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.VERIFY:
                services.claim_verify(
                    actor=request.user,  # type: ignore[arg-type]
                    claim=claim,
                    acting_for=acting_for(request),
                )
                messages.success(request, _("The claim is verified."))
            else:
                services.claim_refuse(
                    actor=request.user,  # type: ignore[arg-type]
                    claim=claim,
                    reason=form.cleaned_data["reason"],
                    acting_for=acting_for(request),
                )
                messages.success(request, _("The claim is refused."))
        except DomainError as error:
            show_error(request, error, form)
        else:
            return redirect("registry:claim_queue")
    if request.method == "GET":
        # The page shows the claimant's e-mail.
        audit_read(
            actor=request.user,
            subject=claim.user,
            what="registry.claim_decide",
            organisation=acting_for(request),
        )
    return render(request, "registry/claim_decide.html", {"claim": claim, "form": form})
