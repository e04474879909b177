"""Pages of the yearly NGO-database report, the regional compliance page, NGO imports and the
public regional statistics. Views read through selectors and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.exports import csv_response
from ortaq.core.web import paginate, rule_allows, rule_required, show_error

from . import report_selectors as selectors
from . import report_services as services
from . import stats as statistics
from .enums import NgoStatus, ReportStatus
from .forms_reports import (
    AnnualReportForm,
    ComplianceFilterForm,
    ImportUploadForm,
    ReviewForm,
    StatsFilterForm,
)
from .models import AnnualReport, ImportJob, NgoProfile
from .tasks import run_import_job


def _ngo(request: HttpRequest, ngo_pk: int, year: int | None = None) -> NgoProfile:
    return get_object_or_404(NgoProfile.objects.select_related("organisation"), pk=ngo_pk)


def _report(request: HttpRequest, pk: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.select_related("ngo__organisation"), pk=pk)


# --- The NGO's reports -----------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The NGO administrator's NGOs, each with its years: done, in progress, or to file."""
    today = timezone.localdate()
    deadline = selectors.deadline_of(selectors.due_year(today), today)
    ngos = []
    for ngo in selectors.ngos_administered_by(user=request.user):
        reports = {report.year: report for report in ngo.annual_reports.all()}
        years = [
            {
                "year": year,
                "report": reports.get(year),
                "deadline": selectors.deadline_of(year, today),
            }
            for year in selectors.report_years(ngo, today)
        ]
        ngos.append({"ngo": ngo, "years": years})
    return render(request, "registry/report_list.html", {"ngos": ngos, "deadline": deadline})


@login_required
@rule_required("registry.fill_annualreport", fn=_ngo)
def report_edit(request: HttpRequest, ngo_pk: int, year: int) -> HttpResponse:
    ngo = _ngo(request, ngo_pk)
    today = timezone.localdate()
    if year not in selectors.report_years(ngo, today):
        return redirect("registry_reports:report_list")
    report = AnnualReport.objects.filter(ngo=ngo, year=year).first()
    if report is not None and report.status not in services.EDITABLE_STATUSES:
        return redirect("registry_reports:report_detail", pk=report.pk)
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save_draft(
                actor=acting_user(request),
                ngo=ngo,
                year=year,
                expected_version=form.cleaned_data.get("version"),
                values=form.values(),
            )
            if request.POST.get("action") == "submit":
                services.report_submit(actor=acting_user(request), report=report)
                messages.success(
                    request, _("The report is submitted to the regional administrator.")
                )
                return redirect("registry_reports:report_detail", pk=report.pk)
        except services.ReportIncomplete as error:
            for name, problems in error.errors.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
            messages.error(request, str(error.message))
            form = _rebound(form, report)
        except ConflictError as error:
            form.add_error(None, str(error.message))
            form = _rebound(form, AnnualReport.objects.filter(ngo=ngo, year=year).first())
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("registry_reports:report_edit", ngo_pk=ngo.pk, year=year)
    return render(
        request,
        "registry/report_form.html",
        {
            "form": form,
            "ngo": ngo,
            "year": year,
            "report": report,
            "deadline": selectors.deadline_of(year, today),
            "income_fields": [form[name] for name in AnnualReport.INCOME_FIELDS],
            "spending_fields": [form[name] for name in AnnualReport.SPENDING_FIELDS],
        },
    )


def _rebound(form: AnnualReportForm, current: AnnualReport | None) -> AnnualReportForm:
    """The typed text stays; the version becomes the saved one, so that saving again is a
    deliberate choice to replace it."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(current.version) if current else ""
    rebound = AnnualReportForm(data, instance=current)
    rebound.is_valid()
    for name, errors in form.errors.items():
        for error in errors:
            if error not in rebound.errors.get(name, []):
                rebound.add_error(None if name == "__all__" else name, error)
    return rebound


@login_required
@rule_required("registry.view_annualreport", fn=_report)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_with_history(pk=pk)
    return render(
        request,
        "registry/report_detail.html",
        {
            "report": report,
            "ngo": report.ngo,
            "history": selectors.report_history(report=report),
            "deadline": selectors.deadline_of(report.year),
            "can_fill": rule_allows(request, "registry.fill_annualreport", report)
            and report.status in services.EDITABLE_STATUSES,
            "can_review": rule_allows(request, "registry.review_annualreport", report)
            and report.status == ReportStatus.SUBMITTED,
            "review_form": ReviewForm(),
            "income": [(_label(n), getattr(report, n)) for n in AnnualReport.INCOME_FIELDS],
            "spending": [(_label(n), getattr(report, n)) for n in AnnualReport.SPENDING_FIELDS],
        },
    )


def _label(name: str) -> str:
    return str(getattr(AnnualReport._meta.get_field(name), "verbose_name", name))


@require_POST
@login_required
@rule_required("registry.review_annualreport", fn=_report)
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.report_accept(
                    actor=acting_user(request), report=report, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The report is accepted."))
            else:
                services.report_return(
                    actor=acting_user(request), report=report, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The report is returned to the NGO."))
        except DomainError as error:
            show_error(request, error)
    else:
        messages.error(request, _("Choose to accept or to return the report."))
    return redirect("registry_reports:report_detail", pk=pk)


# --- Compliance ------------------------------------------------------------------------------


@login_required
@rule_required("registry.view_compliance")
def compliance(request: HttpRequest) -> HttpResponseBase:
    """Who filed, who is late, who was returned, who has not filed: one region or all."""
    today = timezone.localdate()
    regions = selectors.compliance_regions(user=request.user)
    form = ComplianceFilterForm(request.GET or None, regions=regions)
    region, year, state = None, selectors.closed_year(today), ""
    if form.is_valid():
        region = form.cleaned_data["region"]
        year = form.cleaned_data["year"] or year
        state = form.cleaned_data["state"] or ""
    base = selectors.compliance_queryset(user=request.user, year=year, region=region)
    qs = selectors.compliance_queryset(user=request.user, year=year, region=region, state=state)
    if request.GET.get("format") == "csv":
        header = [_("BIN"), _("NGO"), _("Region"), _("State"), _("Submitted")]
        return csv_response(header, _compliance_rows(qs), f"ngo-reports-{year}.csv", stream=False)
    page = paginate(request, qs, 50)
    rows = [
        {
            "ngo": ngo,
            "label": selectors.ComplianceState.LABELS[
                selectors.compliance_state(ngo.report_status, ngo.report_late)
            ],
            "state": selectors.compliance_state(ngo.report_status, ngo.report_late),
        }
        for ngo in page.object_list
    ]
    counts = selectors.compliance_counts(base)
    return render(
        request,
        "registry/compliance.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "counts": [
                (key, label, counts[key]) for key, label in selectors.ComplianceState.CHOICES
            ],
            "total": counts["total"],
            "year": year,
            "deadline": selectors.deadline_of(year, today),
            "awaiting": selectors.reports_awaiting_review(user=request.user)[:20],
        },
    )


def _compliance_rows(queryset: Any) -> Any:
    ngo: Any
    for ngo in queryset.iterator(chunk_size=2000):
        yield [
            ngo.organisation.bin,
            ngo.organisation.name,
            ngo.organisation.region.code if ngo.organisation.region else "",
            str(
                selectors.ComplianceState.LABELS[
                    selectors.compliance_state(ngo.report_status, ngo.report_late)
                ]
            ),
            ngo.report_submitted_at.date().isoformat() if ngo.report_submitted_at else "",
        ]


# --- Imports ---------------------------------------------------------------------------------


@login_required
@rule_required("registry.import_ngos")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=acting_user(request),
                file_name=upload.name,
                content=upload,
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            job_id = job.pk
            from django.db import transaction

            transaction.on_commit(lambda: run_import_job.delay(job_id))
            return redirect("registry_reports:import_job", pk=job_id)
    page = paginate(request, selectors.import_jobs_visible_to(user=request.user), 20)
    return render(request, "registry/import_upload.html", {"form": form, "page_obj": page})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk)


@login_required
@rule_required("registry.view_importjob", fn=_job)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "registry/import_progress.html" if request.htmx else "registry/import_job.html"  # type: ignore[attr-defined]
    done, total = selectors.import_job_progress(job)
    context = {"job": job, "running": _running(job), "done": done, "total": total}
    return render(request, template, context)


def _running(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


# --- Statistics ------------------------------------------------------------------------------


def ngo_stats(request: HttpRequest) -> HttpResponseBase:
    """Public: per region and national, as tables, charts, CSV and JSON."""
    form = StatsFilterForm(request.GET or None)
    region = form.cleaned_data["region"] if form.is_valid() else None
    stats = statistics.ngo_statistics_cached(region=region)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _stats_csv(stats)
    if fmt == "json":
        return JsonResponse(_stats_json(stats), json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "registry/stats_ngos.html",
        {
            "form": form,
            "stats": stats,
            "selected": stats.selected,
            "chart_data": statistics.chart_data(stats),
            "statuses": _status_labels(),
        },
    )


def _status_labels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in NgoStatus.choices]


def _stats_rows(stats: statistics.NgoStatistics) -> list[list[Any]]:
    rows = []
    for figures in [*stats.regions, stats.total]:
        rows.append(
            [
                figures.region.code if figures.region else "",
                figures.region.name if figures.region else _("Kazakhstan"),
                figures.registered,
                *[figures.statuses.get(value, 0) for value, _label in _status_labels()],
                figures.rural,
                statistics.share(figures.rural_share),
                figures.childrens,
                figures.ethnocultural,
                figures.party_branches,
                figures.trade_unions,
                figures.filed_on_time,
                statistics.share(figures.compliance),
            ]
        )
    return rows


def _stats_header() -> list[str]:
    return [
        _("Code"),
        _("Region"),
        _("Registered"),
        *[label for _value, label in _status_labels()],
        _("Rural"),
        _("Rural, %"),
        _("Children's organisations"),
        _("Ethnocultural centres"),
        _("Political party branches"),
        _("Trade unions"),
        _("Filed the report on time"),
        _("NGO-database compliance, %"),
    ]


def _stats_csv(stats: statistics.NgoStatistics) -> HttpResponseBase:
    return csv_response(
        _stats_header(), _stats_rows(stats), f"ngo-statistics-{stats.year}.csv", stream=False
    )


def _stats_json(stats: statistics.NgoStatistics) -> dict[str, Any]:
    header = [
        "code",
        "region",
        "registered",
        *[v for v, _l in _status_labels()],
        "rural",
        "rural_percent",
        "childrens",
        "ethnocultural",
        "party_branches",
        "trade_unions",
        "filed_on_time",
        "compliance_percent",
    ]
    return {
        "report_year": stats.year,
        "regions": [dict(zip(header, row, strict=True)) for row in _stats_rows(stats)],
        "legal_forms": {form.code: n for form, n in stats.legal_forms},
        "activity_areas": {area.code: n for area, n in stats.areas},
        "growth": [{"year": y, "registered": n, "cumulative": c} for y, n, c in stats.growth],
    }
