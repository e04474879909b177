"""Pages of contracts: the customer's list (filters, CSV/XLSX, contracts to prepare), making a
contract from a funded application, its page (schedule, tranches, amendments, history), the
draft schedule, signing, amendments, completion and termination, releasing a tranche; the
NGO's "My contracts" and the same page read-only. Views read through contracts/selectors.py and
write through services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.accounts.rules import is_platform_admin
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.exports import export_format, export_response
from ortaq.core.params import int_param
from ortaq.core.web import paginate, query_string, rule_required, show_error

from ..enums import ContractStatus, TrancheStatus
from ..models import Application, Contract, Tranche
from ..monitoring.selectors import public_evaluation, public_visits
from . import selectors, services
from .forms import (
    AmendForm,
    ContractCreateForm,
    ReleaseForm,
    ReportFormSet,
    SignForm,
    TerminateForm,
    TrancheFormSet,
    VersionForm,
)


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("lot__competition__programme", "ngo__organisation"),
        pk=pk,
    )


def _contract(request: HttpRequest, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("ngo__organisation", "organiser", "region"), pk=pk
    )


def _tranche_contract(request: HttpRequest, pk: int) -> Contract:
    tranche = get_object_or_404(Tranche, pk=pk)
    return _contract(request, tranche.contract_id)


def may_read_internal(user: Any, contract: Contract) -> bool:
    """The customer, the NGO's people, the regional administrator of the project's region,
    and the platform administrator (read-only)."""
    return bool(
        rules.has_perm("funding.view_contract_internal", user, contract) or is_platform_admin(user)
    )


def _require_internal(request: HttpRequest, contract: Contract) -> None:
    if not may_read_internal(request.user, contract):
        raise PermissionDenied


# --- Lists --------------------------------------------------------------------------------------


def _export(format: str, queryset: Any) -> HttpResponseBase:
    """The filtered list, every row (not just the page), as CSV (streamed) or XLSX."""
    header = [
        _("Number"),
        _("Project"),
        _("NGO"),
        _("BIN"),
        _("Customer"),
        _("Programme"),
        _("Year"),
        _("Region"),
        _("Amount, ₸"),
        _("Start"),
        _("End"),
        _("Signed"),
        _("Status"),
    ]
    statuses = dict(ContractStatus.choices)

    def rows() -> Iterator[list[Any]]:
        contract: Contract
        for contract in queryset.iterator(chunk_size=1000):
            programme = contract.application.lot.competition.programme
            yield [
                contract.number,
                contract.title,
                contract.ngo.organisation.name,
                contract.ngo.organisation.bin,
                contract.organiser.name,
                programme.get_kind_display(),
                programme.year,
                contract.region.name if contract.region else _("National"),
                contract.amount,
                contract.start_date,
                contract.end_date,
                contract.signed_on,
                str(statuses.get(contract.status, contract.status)),
            ]

    return export_response(
        rows(),
        header,
        f"contracts-{timezone.localdate().isoformat()}",
        format,
        sheet=_("Contracts"),
    )


@login_required
def contract_list(request: HttpRequest) -> HttpResponseBase:
    """The customer's (or overseer's) contracts, filtered; the contracts still to prepare."""
    if not selectors.can_list_contracts(request.user):
        raise PermissionDenied
    filterset = selectors.contract_filter(user=request.user, params=request.GET)
    export = export_format(request)
    if export is not None:
        return _export(export, filterset.qs)
    page = paginate(request, filterset.qs, 30)
    to_prepare = selectors.contracts_to_prepare(
        user=request.user, competition_id=int_param(request.GET, "competition")
    )
    return render(
        request,
        "funding/contracts/contract_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query_string": query_string(request),
            "to_prepare": to_prepare,
        },
    )


@login_required
def my_contracts(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.contracts_of_ngo_user(user=request.user), 30)
    return render(request, "funding/contracts/my_contracts.html", {"page_obj": page})


# --- Making a contract --------------------------------------------------------------------------


@login_required
@rule_required("funding.manage_contract", fn=_application)
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    existing = Contract.objects.filter(application=application).first()
    if existing is not None:
        messages.info(request, _("This application already has a contract."))
        return redirect("funding:contract_detail", existing.pk)
    form = ContractCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(
                actor=acting_user(request),
                application=application,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                number=form.cleaned_data["number"],
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(
                request,
                _(
                    "Contract {number} is prepared with the default schedule: check it and sign."
                ).format(number=contract.number),
            )
            return redirect("funding:contract_detail", contract.pk)
    return render(
        request,
        "funding/contracts/contract_create.html",
        {"application": application, "form": form},
    )


# --- One contract -------------------------------------------------------------------------------


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        contract = selectors.contract_detail(pk=pk)
    except Contract.DoesNotExist as exc:
        raise Http404 from exc
    _require_internal(request, contract)
    user = request.user
    can_manage = rules.has_perm("funding.manage_contract", user, contract)
    can_release = rules.has_perm("funding.release_tranche", user, contract)
    tranches = []
    for tranche in contract.tranches.all():
        tranche.contract = contract  # already loaded: no query per row
        refusal = (
            services.release_refusal(tranche) if tranche.status == TrancheStatus.PLANNED else None
        )
        tranches.append((tranche, refusal))
    return render(
        request,
        "funding/contracts/contract_detail.html",
        {
            "contract": contract,
            "programme": contract.application.lot.competition.programme,
            "reports": contract.reports.all(),
            "tranches": tranches,
            "amendments": [(a, selectors.amendment_rows(a)) for a in contract.amendments.all()],
            "history": contract.status_changes.all(),
            "released_total": sum(
                t.amount for t, _r in tranches if t.status == TrancheStatus.RELEASED
            ),
            "can_manage": can_manage,
            "can_release": can_release and contract.status == ContractStatus.ACTIVE,
            "sign_form": SignForm(
                initial={"version": contract.version, "signed_on": timezone.localdate()}
            ),
            "version_form": VersionForm(initial={"version": contract.version}),
            "terminate_form": TerminateForm(initial={"version": contract.version}),
            "release_form": ReleaseForm(),
            # Links to the other parts of the project's life.
            "can_file": rules.has_perm("funding.file_report", user, contract),
            "can_visit": rules.has_perm("funding.visit_contract", user, contract),
            "can_evaluate": rules.has_perm("funding.evaluate_contract", user, contract),
            "visits": public_visits(contract),
            "evaluation": public_evaluation(contract),
        },
    )


def _with_version(data: Any, contract: Contract) -> Any:
    """After a conflict the page keeps what was typed but carries the current version, so
    saving again (after comparing) goes through."""
    data = data.copy()
    data["version"] = Contract.objects.values_list("version", flat=True).get(pk=contract.pk)
    return data


def _fresh_version(form: VersionForm, contract: Contract) -> VersionForm:
    fresh = VersionForm(_with_version(form.data, contract))
    fresh.is_valid()
    return fresh


def _plans_initial(contract: Contract) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reports = [
        {
            "number": r.number,
            "kind": r.kind,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "due_date": r.due_date,
        }
        for r in contract.reports.order_by("number")
    ]
    tranches = [
        {
            "number": t.number,
            "amount": t.amount,
            "due_date": t.due_date,
            "report": t.report.number if t.report else None,
        }
        for t in contract.tranches.select_related("report").order_by("number")
    ]
    return reports, tranches


@login_required
@rule_required("funding.manage_contract", fn=_contract)
def contract_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's reports and tranches; on an error everything typed stays on the page."""
    contract = _contract(request, pk)
    if contract.status != ContractStatus.DRAFT:
        messages.error(
            request, _("The schedule changes only by an amendment once the contract is signed.")
        )
        return redirect("funding:contract_detail", pk)
    if request.method == "POST":
        version_form = VersionForm(request.POST)
        reports = ReportFormSet(request.POST, prefix="reports")
        tranches = TrancheFormSet(request.POST, prefix="tranches")
        if version_form.is_valid() and reports.is_valid() and tranches.is_valid():
            try:
                services.contract_set_schedule(
                    actor=acting_user(request),
                    contract=contract,
                    reports=[p for p in (f.plan() for f in reports) if p is not None],
                    tranches=[p for p in (f.plan() for f in tranches) if p is not None],
                    expected_version=version_form.cleaned_data["version"],
                )
            except ConflictError as exc:
                version_form = _fresh_version(version_form, contract)
                version_form.add_error(None, str(exc.message))
            except DomainError as exc:
                target = tranches if exc.field == "tranches" else reports
                target._non_form_errors.append(str(exc.message))  # type: ignore[union-attr]
            else:
                messages.success(request, _("The schedule is saved."))
                return redirect("funding:contract_detail", pk)
    else:
        report_initial, tranche_initial = _plans_initial(contract)
        version_form = VersionForm(initial={"version": contract.version})
        reports = ReportFormSet(initial=report_initial, prefix="reports")
        tranches = TrancheFormSet(initial=tranche_initial, prefix="tranches")
    return render(
        request,
        "funding/contracts/contract_schedule.html",
        {
            "contract": contract,
            "version_form": version_form,
            "reports": reports,
            "tranches": tranches,
        },
    )


@login_required
@require_POST
@rule_required("funding.manage_contract", fn=_contract)
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of signing."))
        return redirect("funding:contract_detail", pk)
    try:
        services.contract_sign(
            actor=acting_user(request),
            contract=contract,
            signed_on=form.cleaned_data["signed_on"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The contract is signed and in force."))
    return redirect("funding:contract_detail", pk)


@login_required
@rule_required("funding.manage_contract", fn=_contract)
def contract_amend(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    if contract.status != ContractStatus.ACTIVE:
        messages.error(request, _("Only a contract in force is amended."))
        return redirect("funding:contract_detail", pk)
    tranches = list(contract.tranches.select_related("report").order_by("number"))
    if request.method == "POST":
        form = AmendForm(request.POST, tranches=tranches)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contract_amend(
                    actor=acting_user(request),
                    contract=contract,
                    reason=data["reason"],
                    expected_version=data["version"],
                    end_date=data["end_date"],
                    amount=data["amount"],
                    tranches=form.tranche_changes(),
                )
            except ConflictError as exc:
                form.data = _with_version(form.data, contract)
                form.add_error(None, str(exc.message))
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, _("The amendment is recorded."))
                return redirect("funding:contract_detail", pk)
    else:
        form = AmendForm(initial={"version": contract.version}, tranches=tranches)
    return render(
        request,
        "funding/contracts/contract_amend.html",
        {
            "contract": contract,
            "form": form,
            "released": [t for t in tranches if t.status == TrancheStatus.RELEASED],
        },
    )


@login_required
@require_POST
@rule_required("funding.manage_contract", fn=_contract)
def contract_complete(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.contract_complete(
            actor=acting_user(request), contract=contract, expected_version=version
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The contract is completed."))
    return redirect("funding:contract_detail", pk)


@login_required
@require_POST
@rule_required("funding.manage_contract", fn=_contract)
def contract_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the contract is terminated."))
        return redirect("funding:contract_detail", pk)
    try:
        services.contract_terminate(
            actor=acting_user(request),
            contract=contract,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The contract is terminated."))
    return redirect("funding:contract_detail", pk)


@login_required
@require_POST
@rule_required("funding.release_tranche", fn=_tranche_contract)
def tranche_release(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_object_or_404(Tranche, pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the payment order."))
        return redirect("funding:contract_detail", tranche.contract_id)
    try:
        services.tranche_release(
            actor=acting_user(request),
            tranche=tranche,
            payment_reference=form.cleaned_data["payment_reference"],
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Tranche {n} is released.").format(n=tranche.number))
    return redirect("funding:contract_detail", tranche.contract_id)
