"""Pages of risk signals for organisers of funding and regional administrators: the list with
its filters and the detail with the evidence and the reviewer's form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ortaq.accounts.actors import acting_user
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.web import paginate, show_error

from ..models import RiskSignal
from . import selectors, services
from .forms import RiskReviewForm

PAGE_SIZE = 50


def _require_reader(request: HttpRequest) -> None:
    if not selectors.can_view_risks(request.user):
        raise PermissionDenied


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filterset, counts = selectors.risk_list(user=request.user, params=request.GET)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "funding/risk/list.html",
        {"filter": filterset, "counts": counts, "page_obj": page},
    )


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    try:
        signal = selectors.risk_signal_get(user=request.user, pk=pk)
    except RiskSignal.DoesNotExist as exc:
        raise Http404 from exc
    seen = signal.reviewed_at.isoformat() if signal.reviewed_at else ""
    form = RiskReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"status": signal.status, "note": signal.note, "seen": seen},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_review(
                actor=acting_user(request),
                signal=signal,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                seen_reviewed_at=form.cleaned_data["seen"],
            )
        except ConflictError as exc:
            messages.error(request, str(exc.message))
            signal.refresh_from_db()
            data = request.POST.copy()  # what the reviewer typed stays, against the new review
            data["seen"] = signal.reviewed_at.isoformat() if signal.reviewed_at else ""
            form = RiskReviewForm(data)
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The verdict is saved."))
            return redirect("funding:risk_detail", pk=signal.pk)
    return render(
        request,
        "funding/risk/detail.html",
        {
            "signal": signal,
            "evidence": selectors.risk_evidence(signal),
            "form": form,
        },
    )
