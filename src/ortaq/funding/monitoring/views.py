"""Pages of monitoring visits and of the evaluation of effectiveness. Views read through
selectors.py and write through services.py / evaluation.py; permissions
are the rules themselves (`core.web.rule_required`: no superuser bypass)."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.core.errors import DomainError
from ortaq.core.uploads import private_file_response
from ortaq.core.web import paginate, rule_required, show_error
from ortaq.councils.models import Council

from ..enums import VisitStatus
from ..models import Contract, MonitoringVisit, VisitPhoto
from ..rules import monitor_councils, monitor_kinds
from . import evaluation, selectors, services
from .forms import (
    ChecklistFormSet,
    EvaluationForm,
    FindingAnswerForm,
    FindingFormSet,
    VisitCreateForm,
    VisitFilterForm,
    VisitForm,
    checklist_initial,
)


def _contract(request: HttpRequest, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related(
            "application__lot__competition__programme", "ngo__organisation", "organiser", "region"
        ),
        pk=pk,
    )


def _visit(request: HttpRequest, pk: int) -> MonitoringVisit:
    return get_object_or_404(
        MonitoringVisit.objects.select_related("contract__ngo", "contract__organiser"), pk=pk
    )


def _photo_visit(request: HttpRequest, pk: int) -> MonitoringVisit:
    photo = get_object_or_404(VisitPhoto, pk=pk)
    return _visit(request, photo.visit_id)


# --- The monitor's desk -----------------------------------------------------------------------


@login_required
@rule_required("funding.monitor")
def visit_list(request: HttpRequest) -> HttpResponse:
    """The monitor's visits (his side's, drafts included), the projects he may visit, and
    the projects whose evaluation he may write."""
    filters = VisitFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    visits = selectors.visits_of_monitor(user=request.user, params=params)
    contracts = selectors.contracts_to_visit(user=request.user, params=params)
    return render(
        request,
        "funding/monitoring/visit_list.html",
        {
            "filters": filters,
            "page_obj": paginate(request, visits, 30),
            "contracts": paginate(request, contracts, 30, param="cpage"),
            "to_evaluate": selectors.contracts_to_evaluate(user=request.user)[:50],
        },
    )


@login_required
@rule_required("funding.visit_contract", fn=_contract)
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    councils = Council.objects.filter(pk__in=monitor_councils(request.user, contract))
    form = VisitCreateForm(
        request.POST or None, kinds=monitor_kinds(request.user, contract), councils=councils
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(
                actor=acting_user(request),
                contract=contract,
                monitor_kind=form.cleaned_data["monitor_kind"],
                visited_on=form.cleaned_data["visited_on"],
                council=form.cleaned_data.get("council"),
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The visit is recorded as a draft."))
            return redirect("funding:visit_edit", visit.pk)
    return render(
        request, "funding/monitoring/visit_create.html", {"contract": contract, "form": form}
    )


@login_required
@rule_required("funding.change_visit", fn=_visit)
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft: date, checklist, findings, summary, recommendations and a photo, in one
    form; on a refusal everything typed stays on the page."""
    visit = selectors.visit_detail(pk=pk)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        checklist = ChecklistFormSet(request.POST, prefix="check")
        findings = FindingFormSet(request.POST, prefix="find")
        if form.is_valid() and checklist.is_valid() and findings.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_update(
                    actor=acting_user(request),
                    visit=visit,
                    checklist=[r for r in (f.row() for f in checklist) if r is not None],
                    summary=data["summary"],
                    recommendations=data["recommendations"],
                    findings=[
                        (f.cleaned_data["severity"], f.cleaned_data["text"])
                        for f in findings
                        if (f.cleaned_data.get("text") or "").strip()
                    ],
                    expected_version=data["version"],
                    visited_on=data["visited_on"],
                )
                if data.get("photo"):
                    services.visit_photo_add(
                        actor=acting_user(request),
                        visit=visit,
                        upload=data["photo"],
                        caption=data["caption"],
                    )
            except DomainError as exc:
                # Show the refusal with what was typed; carry the version saved now, so that
                # the next submit (after comparing) goes through.
                current = MonitoringVisit.objects.get(pk=pk)
                posted = request.POST.copy()
                posted["version"] = str(current.version)
                form = VisitForm(posted)
                form.is_valid()
                show_error(request, exc, form)
                visit = selectors.visit_detail(pk=pk)
            else:
                messages.success(request, _("The visit is saved."))
                return redirect("funding:visit_detail", pk)
    else:
        form = VisitForm(
            initial={
                "visited_on": visit.visited_on,
                "summary": visit.summary,
                "recommendations": visit.recommendations,
                "version": visit.version,
            }
        )
        checklist = ChecklistFormSet(initial=checklist_initial(visit.checklist), prefix="check")
        findings = FindingFormSet(
            initial=[{"severity": f.severity, "text": f.text} for f in visit.findings.all()],
            prefix="find",
        )
    return render(
        request,
        "funding/monitoring/visit_form.html",
        {"visit": visit, "form": form, "checklist": checklist, "findings": findings},
    )


@rule_required("funding.view_visit", fn=_visit)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit: public once published (its checklist for the people concerned only); the
    NGO's administrator answers each finding here."""
    visit = selectors.visit_detail(pk=pk)
    user = request.user
    can_answer = rules.has_perm(
        "funding.answer_finding", user, visit
    ) and not services.answers_closed(visit.contract)
    bound: dict[int, FindingAnswerForm] = {}
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        finding = next(
            (f for f in visit.findings.all() if str(f.pk) == request.POST.get("finding")), None
        )
        if finding is None:
            raise PermissionDenied
        form = FindingAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.finding_answer(
                    actor=acting_user(request),
                    finding=finding,
                    answer=form.cleaned_data["answer"],
                    expected=form.cleaned_data["previous"],
                )
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, _("Your answer is recorded."))
                return redirect("funding:visit_detail", pk)
        bound[finding.pk] = form
    findings = [
        (
            f,
            bound.get(f.pk)
            or FindingAnswerForm(initial={"answer": f.answer, "previous": f.answer}),
        )
        for f in visit.findings.all()
    ]
    return render(
        request,
        "funding/monitoring/visit_detail.html",
        {
            "visit": visit,
            "findings": findings,
            "checklist": (
                selectors.checklist_rows(visit)
                if rules.has_perm("funding.view_visit_internal", user, visit)
                else None
            ),
            "can_edit": rules.has_perm("funding.change_visit", user, visit),
            "can_answer": can_answer,
        },
    )


@login_required
@require_POST
@rule_required("funding.change_visit", fn=_visit)
def visit_publish(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    version = request.POST.get("version", "")
    try:
        services.visit_publish(
            actor=acting_user(request),
            visit=visit,
            expected_version=int(version) if version.isdigit() else -1,
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The visit is published."))
    return redirect("funding:visit_detail", pk)


@rule_required("funding.view_visit", fn=_photo_visit)
def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo, stored without its metadata; public with its published visit."""
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit"), pk=pk)
    # A download when opened on its own; an <img> of the visit page still shows it.
    return private_file_response(
        photo.file,
        content_type=photo.content_type,
        filename=photo.original_name,
        cache=(
            "public, max-age=86400"
            if photo.visit.status == VisitStatus.PUBLISHED
            else "private, no-store"
        ),
    )


# --- Evaluation of effectiveness --------------------------------------------------------------


def _evaluation_contract(request: HttpRequest, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("application__lot", "ngo", "organiser"), pk=pk
    )


@login_required
@rule_required("funding.evaluate_contract", fn=_evaluation_contract)
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for_evaluation(pk=pk)
    saved = selectors.evaluation_of(contract)
    scale = saved.scale_max if saved else evaluation.scale_max_setting()
    if request.method == "POST":
        form = EvaluationForm(request.POST, scale_max=scale)
        if form.is_valid():
            try:
                evaluation.evaluation_save(
                    actor=acting_user(request),
                    contract=contract,
                    scores=form.scores(),
                    conclusion=form.cleaned_data["conclusion"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                current = selectors.evaluation_of(contract)
                posted = request.POST.copy()
                posted["version"] = str(current.version if current else 0)
                form = EvaluationForm(posted, scale_max=scale)
                form.is_valid()
                show_error(request, exc, form)
            else:
                messages.success(request, _("The evaluation is saved."))
                return redirect("funding:evaluation_detail", pk)
    else:
        initial: dict[str, Any] = {
            "conclusion": saved.conclusion if saved else "",
            "version": saved.version if saved else 0,
        }
        for score in saved.scores.all() if saved else []:
            initial[f"score_{score.criterion}"] = str(score.value)
            initial[f"comment_{score.criterion}"] = score.comment
        form = EvaluationForm(initial=initial, scale_max=scale)
    return render(
        request,
        "funding/monitoring/evaluation_form.html",
        {
            "contract": contract,
            "evaluation": saved,
            "form": form,
            "scale_max": scale,
            "achievement": selectors.contract_achievement(contract),
        },
    )


@rule_required("funding.view_evaluation", fn=_evaluation_contract)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation with the computed achievement of the targets: public once published;
    the customer and the experts see the draft."""
    contract = selectors.contract_for_evaluation(pk=pk)
    saved = selectors.evaluation_of(contract)
    user = request.user
    return render(
        request,
        "funding/monitoring/evaluation_detail.html",
        {
            "contract": contract,
            "evaluation": saved,
            "summary": selectors.evaluation_summary(
                saved, scale_max=evaluation.scale_max_setting()
            ),
            "achievement": selectors.contract_achievement(contract),
            "can_edit": rules.has_perm("funding.evaluate_contract", user, contract),
            "can_publish": rules.has_perm("funding.publish_evaluation", user, contract),
            "visits": selectors.public_visits(contract),
        },
    )


@login_required
@require_POST
@rule_required("funding.publish_evaluation", fn=_evaluation_contract)
def evaluation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _evaluation_contract(request, pk)
    version = request.POST.get("version", "")
    try:
        evaluation.evaluation_publish(
            actor=acting_user(request),
            contract=contract,
            expected_version=int(version) if version.isdigit() else -1,
        )
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The evaluation is published."))
    return redirect("funding:evaluation_detail", pk)
