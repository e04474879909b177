"""Pages of funding: public competitions and results, the NGO's applications, the organiser's
desk and the expert's assignments. Views read through selectors and write through services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.accounts.models import Organisation
from ortaq.audit.services import audit_read
from ortaq.core.errors import DomainError
from ortaq.core.uploads import private_file_response
from ortaq.core.web import acting_for, paginate, rule_required, run_service, show_error
from ortaq.reference.selectors import region_list

from ..enums import (
    ApplicationStatus,
    AssignmentStatus,
    CompetitionStatus,
    TopicStatus,
)
from ..models import (
    Application,
    Assignment,
    Attachment,
    Competition,
    CompetitionDocument,
    Expert,
    ExpertDraw,
    Lot,
    Topic,
    TopicComment,
)
from ..rules import organiser_org_ids, topic_owner_ids
from . import selectors, services
from .forms import (
    AnswerForm,
    ApplicationForm,
    AttachmentForm,
    BudgetFormSet,
    CompetitionDocumentForm,
    CompetitionFilterForm,
    CompetitionForm,
    ComplianceForm,
    ConsultationForm,
    DeclarationForm,
    ExpertFilterForm,
    ExpertForm,
    IndicatorFormSet,
    LotForm,
    ProgrammeForm,
    ReasonForm,
    ScoreForm,
    TopicCommentForm,
    TopicForm,
)


def _competition(request: HttpRequest, pk: int) -> Competition:
    return get_object_or_404(Competition.objects.select_related("programme", "organiser"), pk=pk)


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "lot__competition__programme", "lot__competition__organiser", "ngo__organisation"
        ),
        pk=pk,
    )


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("expert", "application__lot__competition__programme"),
        pk=pk,
    )


def _topic(request: HttpRequest, pk: int) -> Topic:
    return get_object_or_404(Topic.objects.select_related("owner", "area", "region"), pk=pk)


# --- Public -----------------------------------------------------------------------------------


def competition_list(request: HttpRequest) -> HttpResponse:
    form = CompetitionFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.competitions_public(params), 20)
    return render(request, "funding/competition_list.html", {"form": form, "page_obj": page})


@rule_required("funding.view_competition", fn=_competition)
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = selectors.competition_detail(pk=pk)
    user = request.user
    return render(
        request,
        "funding/competition_detail.html",
        {
            "competition": competition,
            "lots": competition.lots.all(),
            "is_open": selectors.competition_is_open(competition),
            "can_apply": rules.has_perm("funding.apply", user),
            "is_organiser": rules.has_perm("funding.manage_competition", user, competition),
            "criteria": competition.programme.criteria.all(),
            "limits": selectors.programme_limits(competition.programme),
            "documents": competition.documents.all(),
        },
    )


@rule_required("funding.view_competition", fn=_competition)
def competition_results(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    lines = selectors.published_results(competition)
    return render(
        request,
        "funding/competition_results.html",
        {
            "competition": competition,
            "lines": lines,
            "totals": selectors.funded_totals(competition),
        },
    )


def topic_list(request: HttpRequest) -> HttpResponse:
    # The same year and region filters as the competition list, cleaned the same way: a value
    # typed into the address bar is ignored, not a server error.
    form = CompetitionFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.topics_public(params), 20)
    return render(
        request,
        "funding/topic_list.html",
        {"page_obj": page, "can_propose": rules.has_perm("funding.propose_topic", request.user)},
    )


def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    is_owner = rules.has_perm("funding.manage_topic", request.user, topic)
    if topic.status == TopicStatus.DRAFT and not is_owner:
        raise Http404
    return render(
        request,
        "funding/topic_detail.html",
        {
            "topic": topic,
            "comments": topic.comments.select_related("author", "organisation"),
            "is_owner": is_owner,
            "comment_form": TopicCommentForm(),
            "answer_form": AnswerForm(),
            "consultation_form": ConsultationForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def topic_comment(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    form = TopicCommentForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.topic_comment(
                actor=acting_user(request),
                topic=topic,
                text=form.cleaned_data["text"],
                supports=form.cleaned_data["supports"],
                acting_for=acting_for(request),
            ),
            _("Thank you: your comment is recorded."),
        )
    return redirect("funding:topic_detail", topic.pk)


# --- The NGO's applications -------------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.applications_of_user(user=request.user), 20)
    return render(request, "funding/my_applications.html", {"page_obj": page})


@login_required
@rule_required("funding.apply")
def application_start(request: HttpRequest, lot_pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("competition", "region"), pk=lot_pk)
    ngos = list(selectors.ngos_for_applying(user=request.user))
    # A national lot asks where the project will be carried out.
    regions = list(region_list()) if lot.region_id is None else []
    typed = {key: request.POST.get(key, "") for key in ("ngo", "title", "region")}
    if request.method == "POST":
        ngo = next((n for n in ngos if str(n.pk) == typed["ngo"]), None)
        region = next((r for r in regions if str(r.pk) == typed["region"]), None)
        if ngo is None:
            messages.error(request, _("Choose the NGO you apply for."))
        else:
            try:
                application = services.application_create(
                    actor=acting_user(request),
                    lot=lot,
                    ngo=ngo,
                    title=typed["title"].strip() or lot.title,
                    **({"region": region} if region else {}),
                )
            except DomainError as exc:
                show_error(request, exc)
            else:
                return redirect("funding:application_edit", application.pk)
    return render(
        request,
        "funding/application_start.html",
        {"lot": lot, "ngos": ngos, "regions": regions, "typed": typed},
    )


@login_required
@rule_required("funding.view_application", fn=_application)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(pk=pk)
    user = request.user
    is_applicant = rules.has_perm("funding.change_application", user, application)
    is_organiser = rules.has_perm("funding.manage_competition", user, application.lot.competition)
    # Blind review hides the applicant from experts; the NGO and the organiser see it.
    blind = application.lot.competition.programme.blind_review and not (
        is_organiser or rules.has_perm("funding.view_own_application", user, application)
    )
    return render(
        request,
        "funding/application_detail.html",
        {
            "application": application,
            "history": selectors.application_history(application),
            "failures": application.compliance_failures.all(),
            "is_applicant": is_applicant,
            "is_organiser": is_organiser,
            "is_open": selectors.competition_is_open(application.lot.competition),
            "problems": (
                services.submission_problems(application)
                if is_applicant and application.status == ApplicationStatus.DRAFT
                else []
            ),
            "blind": blind,
            "attachment_form": AttachmentForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@rule_required("funding.change_application", fn=_application)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(pk=pk)
    if application.status != ApplicationStatus.DRAFT:
        messages.error(request, _("A sent application cannot be edited."))
        return redirect("funding:application_detail", pk)
    budget_initial = [
        {"item": b.item, "kind": b.kind, "amount": b.amount} for b in application.budget_lines.all()
    ]
    indicator_initial = [
        {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target}
        for i in application.indicators.all()
    ]
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application)
        budget = BudgetFormSet(request.POST, prefix="budget")
        indicators = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and budget.is_valid() and indicators.is_valid():
            try:
                values = {k: form.cleaned_data[k] for k in services.APPLICATION_FIELDS}
                services.application_update(
                    actor=acting_user(request),
                    application=application,
                    expected_version=form.cleaned_data["version"],
                    **values,
                )
                services.application_set_budget(
                    actor=acting_user(request),
                    application=application,
                    lines=[
                        services.BudgetItem(d["item"], d["kind"], d["amount"])
                        for d in budget.cleaned_data
                        if d.get("item")
                    ],
                )
                services.application_set_indicators(
                    actor=acting_user(request),
                    application=application,
                    items=[
                        services.IndicatorItem(
                            d["name"], d["unit"], d.get("baseline") or Decimal(0), d["target"]
                        )
                        for d in indicators.cleaned_data
                        if d.get("name")
                    ],
                )
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("funding:application_detail", pk)
    else:
        form = ApplicationForm(instance=application, initial={"version": application.version})
        budget = BudgetFormSet(initial=budget_initial, prefix="budget")
        indicators = IndicatorFormSet(initial=indicator_initial, prefix="ind")
    return render(
        request,
        "funding/application_form.html",
        {
            "application": application,
            "form": form,
            "budget": budget,
            "indicators": indicators,
        },
    )


@login_required
@require_POST
@rule_required("funding.change_application", fn=_application)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.attachment_add(
                actor=acting_user(request),
                application=application,
                upload=form.cleaned_data["file"],
            ),
            _("The file is attached."),
        )
    else:
        messages.error(request, _("Choose a file."))
    return redirect("funding:application_detail", pk)


def _attachment(request: HttpRequest, pk: int) -> Application:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    return _application(request, attachment.application_id)


@login_required
@rule_required("funding.view_application", fn=_attachment)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    return private_file_response(
        attachment.file, content_type=attachment.content_type, filename=attachment.original_name
    )


@login_required
@require_POST
@rule_required("funding.change_application", fn=_application)
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    run_service(
        request,
        lambda: services.application_submit(actor=acting_user(request), application=application),
        _("The application is submitted."),
    )
    return redirect("funding:application_detail", pk)


@login_required
@require_POST
@rule_required("funding.change_application", fn=_application)
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.application_withdraw(
            actor=acting_user(request), application=application, reason=reason
        ),
        _("The application is withdrawn."),
    )
    return redirect("funding:application_detail", pk)


@login_required
@require_POST
@rule_required("funding.change_application", fn=_application)
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    run_service(
        request,
        lambda: services.application_reopen(actor=acting_user(request), application=application),
        _("The application is a draft again."),
    )
    return redirect("funding:application_detail", pk)


# --- The organiser's desk ---------------------------------------------------------------------


@login_required
@rule_required("funding.organise")
def organiser_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/organiser_home.html",
        {
            "programmes": selectors.programmes_of(user=request.user),
            "competitions": selectors.competitions_organised_by(user=request.user),
            "topics": selectors.topics_of(user=request.user),
        },
    )


def _owner_choices(request: HttpRequest) -> list[Any]:
    return list(Organisation.objects.filter(pk__in=organiser_org_ids(request.user)))


@login_required
@rule_required("funding.organise")
def programme_create(request: HttpRequest) -> HttpResponse:
    owners = _owner_choices(request)
    acting = acting_for(request)
    owner = next((o for o in owners if acting is not None and o.pk == acting.pk), owners[0])
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = data.pop("activity_areas")
        try:
            services.programme_create(
                actor=acting_user(request),
                owner=owner,
                kind=data.pop("kind"),
                year=data.pop("year"),
                title_kk=data.pop("title_kk"),
                title_ru=data.pop("title_ru"),
                title_en=data.pop("title_en"),
                budget=data.pop("budget"),
                areas=areas,
                **data,
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The programme is created."))
            return redirect("funding:organiser_home")
    return render(request, "funding/programme_form.html", {"form": form, "owner": owner})


@login_required
@rule_required("funding.organise")
def competition_create(request: HttpRequest) -> HttpResponse:
    form = CompetitionForm(
        request.POST or None, programmes=selectors.programmes_of(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.competition_create(
                actor=acting_user(request), **form.cleaned_data
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            return redirect("funding:competition_manage", competition.pk)
    return render(request, "funding/competition_form.html", {"form": form})


@login_required
@require_POST
@rule_required("funding.manage_competition", fn=_competition)
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = CompetitionDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.competition_document_add(
                actor=acting_user(request),
                competition=competition,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            ),
            _("The document is published."),
        )
    else:
        messages.error(request, _("Give the document a title and choose a file."))
    return redirect("funding:competition_manage", pk)


def _document_competition(request: HttpRequest, pk: int) -> Competition:
    document = get_object_or_404(CompetitionDocument, pk=pk)
    return _competition(request, document.competition_id)


@login_required
@require_POST
@rule_required("funding.manage_competition", fn=_document_competition)
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(CompetitionDocument, pk=pk)
    run_service(
        request,
        lambda: services.competition_document_remove(actor=acting_user(request), document=document),
        _("The document is removed."),
    )
    return redirect("funding:competition_manage", document.competition_id)


def _approved_topics(competition: Competition) -> Any:
    return Topic.objects.filter(owner=competition.organiser, status=TopicStatus.APPROVED)


@login_required
@rule_required("funding.manage_competition", fn=_competition)
def competition_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_page(request, pk)


def _manage_page(request: HttpRequest, pk: int, *, lot_form: LotForm | None = None) -> HttpResponse:
    """The organiser's page of a competition; `lot_form` brings back a lot form as typed."""
    competition = selectors.competition_detail(pk=pk)
    decision = getattr(competition, "decision", None)
    return render(
        request,
        "funding/competition_manage.html",
        {
            "competition": competition,
            "lots": competition.lots.all(),
            "lot_form": lot_form or LotForm(topics=_approved_topics(competition)),
            "draws": competition.draws.select_related("area"),
            "decision": decision,
            "lines": (
                decision.lines.select_related("application__lot", "application__ngo__organisation")
                if decision
                else []
            ),
            "sent": services.sent_application_count(competition),
            "is_open": selectors.competition_is_open(competition),
            "reason_form": ReasonForm(),
            "documents": competition.documents.all(),
            "document_form": CompetitionDocumentForm(),
            "documents_open": competition.status in services.DOCUMENT_STATUSES,
        },
    )


@login_required
@require_POST
@rule_required("funding.manage_competition", fn=_competition)
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = LotForm(request.POST, topics=_approved_topics(competition))
    if form.is_valid():
        try:
            services.lot_add(
                actor=acting_user(request), competition=competition, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The lot is added."))
            return redirect("funding:competition_manage", pk)
    messages.error(request, _("Check the lot's fields."))
    # The page again with the form as typed, so nothing is lost.
    return _manage_page(request, pk, lot_form=form)


@login_required
@require_POST
@rule_required("funding.manage_competition", fn=_competition)
def competition_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One button per stage: announce, close, start the evaluation, decide, publish."""
    competition = _competition(request, pk)
    step = request.POST.get("step", "")
    user = acting_user(request)
    decision = getattr(competition, "decision", None)
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "announce": (
            lambda: services.competition_announce(actor=user, competition=competition),
            _("The competition is announced."),
        ),
        "close": (
            lambda: services.competition_close(actor=user, competition=competition),
            _("The compliance check has started."),
        ),
        "evaluate": (
            lambda: services.evaluation_start(actor=user, competition=competition),
            _("The experts are drawn and the evaluation has started."),
        ),
        "compute": (
            lambda: services.decision_compute(actor=user, competition=competition),
            _("The trial allocation is computed."),
        ),
        "confirm": (
            lambda: services.decision_confirm(actor=user, decision=decision),  # type: ignore[arg-type]
            _("The decision is confirmed."),
        ),
        "approve": (
            lambda: services.decision_approve(actor=user, decision=decision),  # type: ignore[arg-type]
            _("The decision is approved."),
        ),
        "publish": (
            lambda: services.decision_publish(actor=user, decision=decision),  # type: ignore[arg-type]
            _("The results are published."),
        ),
        "cancel": (
            lambda: services.competition_cancel(
                actor=user, competition=competition, reason=request.POST.get("reason", "")
            ),
            _("The competition is cancelled."),
        ),
    }
    if step not in steps or (step in {"confirm", "approve", "publish"} and decision is None):
        messages.error(request, _("Unknown step."))
    else:
        action, success = steps[step]
        run_service(request, action, success)
    return redirect("funding:competition_manage", pk)


@login_required
@rule_required("funding.manage_competition", fn=_competition)
def organiser_applications(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    qs = selectors.applications_for_organiser(
        user=request.user, competition=competition, params=request.GET
    )
    page = paginate(request, qs, 50)
    aggregates = (
        selectors.competition_aggregates(competition, application_ids=[a.pk for a in page])
        if competition.status
        in (CompetitionStatus.EVALUATION, CompetitionStatus.DECISION, CompetitionStatus.PUBLISHED)
        else {}
    )
    rows = [(a, aggregates.get(a.pk)) for a in page]
    return render(
        request,
        "funding/organiser_applications.html",
        {
            "competition": competition,
            "page_obj": page,
            "rows": rows,
            "statuses": ApplicationStatus.choices,
        },
    )


@login_required
@rule_required("funding.check_application", fn=_application)
def compliance_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(pk=pk)
    form = ComplianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_record(
                actor=acting_user(request), application=application, failures=form.failures()
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The compliance check is recorded."))
            return redirect("funding:organiser_applications", application.lot.competition_id)
    return render(
        request,
        "funding/compliance_form.html",
        {
            "application": application,
            "form": form,
            "eligibility": selectors.ngo_eligibility(application.ngo),
            "problems": services.submission_problems(application),
        },
    )


@login_required
@rule_required("funding.view_scores", fn=_application)
def application_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Individual scores: the organiser's page (experts' names and their scores)."""
    application = _application(request, pk)
    criteria = selectors.criteria_of(application.lot.competition.programme)
    assignments = application.assignments.select_related("expert__user").prefetch_related("scores")
    rows = []
    for a in assignments:
        by_criterion = {s.criterion_id: s for s in a.scores.all()}
        rows.append((a, [by_criterion.get(c.pk) for c in criteria]))
    return render(
        request,
        "funding/application_scores.html",
        {
            "application": application,
            "criteria": criteria,
            "rows": rows,
            "aggregate": selectors.application_aggregate(application, criteria),
        },
    )


def _draw(request: HttpRequest, pk: int) -> Competition:
    draw = get_object_or_404(ExpertDraw, pk=pk)
    return _competition(request, draw.competition_id)


@login_required
@rule_required("funding.manage_competition", fn=_draw)
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_object_or_404(ExpertDraw.objects.select_related("competition", "area"), pk=pk)

    names = {e.pk: e for e in Expert.objects.select_related("user").filter(pk__in=draw.pool)}
    return render(
        request,
        "funding/draw_detail.html",
        {
            "draw": draw,
            "verifies": services.draw_verifies(draw),
            "main": [names.get(i) for i in draw.main],
            "reserves": [names.get(i) for i in draw.reserves],
        },
    )


# --- The expert register (organiser) ----------------------------------------------------------


@login_required
@rule_required("funding.keep_register")
def expert_register(request: HttpRequest) -> HttpResponse:
    """The register: filter the list; add a person by e-mail with his areas."""
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_register(
                actor=acting_user(request),
                email=form.cleaned_data["email"],
                areas=form.cleaned_data["areas"],
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(
                request,
                _("{person} is in the expert register.").format(person=expert.user),
            )
            return redirect("funding:expert_register")
    filters = ExpertFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.expert_register_list(params), 50)
    # The register shows each expert's e-mail.
    audit_read(
        actor=request.user,
        subject=[expert.user for expert in page.object_list],
        what="funding.expert_register",
    )
    return render(
        request,
        "funding/expert_register.html",
        {"form": form, "filters": filters, "page_obj": page},
    )


@login_required
@require_POST
@rule_required("funding.keep_register")
def expert_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(Expert.objects.select_related("user"), pk=pk)
    active = request.POST.get("active") == "1"
    run_service(
        request,
        lambda: services.expert_set_active(
            actor=acting_user(request), expert=expert, active=active
        ),
        (
            _("{person} is back in the expert register.")
            if active
            else _("{person} is taken out of the expert register.")
        ).format(person=expert.user),
    )
    return redirect("funding:expert_register")


# --- Topics (organiser) -----------------------------------------------------------------------


@login_required
@rule_required("funding.propose_topic")
def topic_create(request: HttpRequest) -> HttpResponse:
    owners = list(Organisation.objects.filter(pk__in=topic_owner_ids(request.user)))
    acting = acting_for(request)
    owner = next((o for o in owners if acting is not None and o.pk == acting.pk), owners[0])
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "indicators_text"}
        try:
            topic = services.topic_propose(
                actor=acting_user(request), owner=owner, indicators=form.indicators(), **data
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            return redirect("funding:topic_detail", topic.pk)
    return render(request, "funding/topic_form.html", {"form": form, "owner": owner})


@login_required
@require_POST
@rule_required("funding.manage_topic", fn=_topic)
def topic_step(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    step = request.POST.get("step")
    if step == "consult":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: services.topic_open_consultation(
                    actor=acting_user(request), topic=topic, until=form.cleaned_data["until"]
                ),
                _("The consultation is open."),
            )
        else:
            messages.error(request, _("Give the last day of the consultation."))
    elif step in ("approve", "drop"):
        run_service(
            request,
            lambda: services.topic_decide(
                actor=acting_user(request),
                topic=topic,
                approve=step == "approve",
                reason=request.POST.get("reason", ""),
            ),
            _("The decision on the topic is recorded."),
        )
    return redirect("funding:topic_detail", pk)


def _comment_topic(request: HttpRequest, pk: int) -> Topic:
    comment = get_object_or_404(TopicComment, pk=pk)
    return _topic(request, comment.topic_id)


@login_required
@require_POST
@rule_required("funding.manage_topic", fn=_comment_topic)
def topic_answer(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(TopicComment, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.topic_answer(
                actor=acting_user(request), comment=comment, answer=form.cleaned_data["answer"]
            ),
            _("The answer is recorded."),
        )
    return redirect("funding:topic_detail", comment.topic_id)


# --- The expert -------------------------------------------------------------------------------


@login_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.assignments_of(user=request.user), 30)
    return render(request, "funding/my_assignments.html", {"page_obj": page})


@login_required
@rule_required("funding.work_assignment", fn=_assignment)
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Declaration first; only then the application and the scoring form."""
    assignment = _assignment(request, pk)
    programme = assignment.application.lot.competition.programme
    criteria = selectors.criteria_of(programme)
    declaration = DeclarationForm()
    score_form = ScoreForm(criteria=criteria)
    if request.method == "POST" and request.POST.get("form") == "declare":
        declaration = DeclarationForm(request.POST)
        if declaration.is_valid() and run_service(
            request,
            lambda: services.assignment_declare(
                actor=acting_user(request),
                assignment=assignment,
                no_conflict=declaration.cleaned_data["no_conflict"],
                note=declaration.cleaned_data["note"],
            ),
            _("Your declaration is recorded."),
        ):
            return redirect("funding:assignment_detail", pk)
    elif request.method == "POST" and request.POST.get("form") == "score":
        score_form = ScoreForm(request.POST, criteria=criteria)
        if score_form.is_valid() and run_service(
            request,
            lambda: services.scores_submit(
                actor=acting_user(request),
                assignment=assignment,
                values=score_form.values(),
                comments=score_form.comments(),
                comment=score_form.cleaned_data["comment"],
            ),
            _("Your scores are submitted."),
        ):
            return redirect("funding:assignment_detail", pk)
    elif request.method == "POST":
        raise PermissionDenied
    can_read = assignment.status in (AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED)
    application = selectors.application_detail(pk=assignment.application_id) if can_read else None
    own_scores = (
        assignment.scores.select_related("criterion")
        if assignment.status == AssignmentStatus.SUBMITTED
        else []
    )
    return render(
        request,
        "funding/assignment_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "blind": programme.blind_review,
            "declaration": declaration,
            "score_form": score_form,
            "own_scores": own_scores,
            "lot": assignment.application.lot,
        },
    )
