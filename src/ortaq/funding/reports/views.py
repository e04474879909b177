"""Pages of project reports: the NGO's reports, the report form with its evidence, a report
with its history, and the customer's review queue. Views read through reports/selectors.py and
write through reports/services.py.

Who may file or review is asked of the rule predicates themselves (is_contractor_admin, the
organiser's organisations), never of `has_perm`, which lets the break-glass superuser through:
nobody else files an NGO's report or approves one for a customer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.uploads import private_file_response
from ortaq.core.web import paginate, rule_required, run_service, show_error

from ..enums import ContractStatus, ProjectReportStatus
from ..models import Report, ReportEvidence
from ..rules import is_contractor_admin, organiser_org_ids
from . import selectors, services
from .filters import ReportFilter
from .forms import EvidenceForm, ReportForm, ReturnForm


def _report(pk: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("contract__ngo__organisation", "contract__application"),
        pk=pk,
    )


def _may_file(user: Any, report: Report) -> bool:
    return bool(is_contractor_admin(user, report.contract))


def _may_review(user: Any, report: Report) -> bool:
    return report.contract.organiser_id in organiser_org_ids(user)


def _filer_report(request: HttpRequest, pk: int) -> Report:
    report = _report(pk)
    if not _may_file(request.user, report):
        raise PermissionDenied
    return report


def _reviewer_report(request: HttpRequest, pk: int) -> Report:
    report = _report(pk)
    if not _may_review(request.user, report):
        raise PermissionDenied
    return report


# --- The NGO's reports ------------------------------------------------------------------------


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """Reports of the user's NGOs: returned, due and overdue first; filters as the API."""
    filterset = ReportFilter(
        request.GET or None, queryset=selectors.reports_of_ngo(user=request.user)
    )
    page = paginate(request, filterset.qs, 20)
    return render(
        request,
        "funding/reports/my_reports.html",
        {"filter": filterset, "page_obj": page, "due_soon": selectors.due_soon_date()},
    )


def _detail_context(request: HttpRequest, report: Report, **forms: Any) -> dict[str, Any]:
    user = request.user
    contract = report.contract
    in_force = contract.status == ContractStatus.ACTIVE
    can_file = in_force and report.status in selectors.OPEN_STATUSES and _may_file(user, report)
    can_review = (
        in_force and report.status == ProjectReportStatus.SUBMITTED and _may_review(user, report)
    )
    return {
        "report": report,
        "contract": contract,
        "targets": selectors.report_targets(report),
        "lines": selectors.report_spending_lines(report),
        "history": report.status_changes.all(),
        "evidence": report.evidence.all(),
        "can_file": can_file,
        "can_review": can_review,
        "problems": services.submission_problems(report) if can_file else [],
        "return_form": forms.get("return_form") or ReturnForm(),
        "due_soon": selectors.due_soon_date(),
    }


def _visible_report(request: HttpRequest, pk: int) -> Report:
    try:
        return selectors.report_detail(user=request.user, pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    return render(request, "funding/reports/report_detail.html", _detail_context(request, report))


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _filer_report(request, pk)
    if (
        report.status not in selectors.OPEN_STATUSES
        or report.contract.status != ContractStatus.ACTIVE
    ):
        messages.error(request, _("This report cannot be changed now."))
        return redirect("funding:report_detail", pk)
    targets = selectors.report_targets(report)
    lines = selectors.report_spending_lines(report)
    conflict = False
    if request.method == "POST":
        form = ReportForm(request.POST, targets=targets, lines=lines)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_save(
                    actor=acting_user(request),
                    report=report,
                    beneficiaries=data["beneficiaries"],
                    narrative=data["narrative"],
                    public_summary=data["public_summary"],
                    values=form.values(),
                    spending=form.spending(),
                    expected_version=data["version"],
                )
            except ConflictError as exc:
                # What the user typed stays; the form now carries the current version, so
                # saving again (after comparing with the saved values shown) goes through.
                conflict = True
                posted = request.POST.copy()
                posted["version"] = str(Report.objects.values_list("version").get(pk=pk)[0])
                form = ReportForm(posted, targets=targets, lines=lines)
                form.is_valid()
                form.add_error(None, str(exc.message))
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("funding:report_detail", pk)
    else:
        form = ReportForm(
            initial={
                "version": report.version,
                "beneficiaries": report.beneficiaries,
                "narrative": report.narrative,
                "public_summary": report.public_summary,
            },
            targets=targets,
            lines=lines,
        )
    return render(
        request,
        "funding/reports/report_form.html",
        {
            "report": report,
            "contract": report.contract,
            "form": form,
            "conflict": conflict,
            "evidence": report.evidence.all(),
            "evidence_form": EvidenceForm(),
        },
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _filer_report(request, pk)
    run_service(
        request,
        lambda: services.report_submit(actor=acting_user(request), report=report),
        _("The report is submitted to the customer."),
    )
    return redirect("funding:report_detail", pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _filer_report(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.evidence_upload(
                actor=acting_user(request),
                report=report,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            ),
            _("The file is attached to the report."),
        )
    else:
        messages.error(request, _("Choose a file."))
    return redirect("funding:report_edit", pk)


def _evidence(pk: int) -> ReportEvidence:
    return get_object_or_404(
        ReportEvidence.objects.select_related(
            "report__contract__ngo__organisation", "report__contract__application"
        ),
        pk=pk,
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(pk)
    if not _may_file(request.user, evidence.report):
        raise PermissionDenied
    run_service(
        request,
        lambda: services.evidence_remove(actor=acting_user(request), evidence=evidence),
        _("The file is removed from the report."),
    )
    return redirect("funding:report_edit", evidence.report_id)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is private: whoever sees the report sees its files, nobody else."""
    evidence = get_object_or_404(ReportEvidence, pk=pk)
    if not selectors.reports_visible_to(user=request.user).filter(pk=evidence.report_id).exists():
        raise Http404
    # A download, photos too: nothing uploaded is ever rendered as a page of the site.
    return private_file_response(
        evidence.file, content_type=evidence.content_type, filename=evidence.original_name
    )


# --- The customer's review --------------------------------------------------------------------


@login_required
@rule_required("funding.organise")
def report_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports waiting for review (the longest waiting first) and, below, reports
    the NGOs have not filed although they are overdue or due soon."""
    page = paginate(request, selectors.review_queue(user=request.user), 50)
    return render(
        request,
        "funding/reports/report_queue.html",
        {
            "page_obj": page,
            "overdue": selectors.organiser_reports_overdue(user=request.user),
            "due": selectors.organiser_reports_due(user=request.user),
        },
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _reviewer_report(request, pk)
    run_service(
        request,
        lambda: services.report_approve(actor=acting_user(request), report=report),
        _("The report is approved."),
    )
    return redirect("funding:report_detail", pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _reviewer_report(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                actor=acting_user(request), report=report, comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The report is returned to the NGO."))
            return redirect("funding:report_detail", pk)
    # The comment typed stays in the form, with the reason it was refused.
    shown = _visible_report(request, pk)
    return render(
        request,
        "funding/reports/report_detail.html",
        _detail_context(request, shown, return_form=form),
    )
