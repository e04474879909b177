"""Pages of the councils: public lists and pages, the meeting record, protocols, answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortaq.accounts.actors import acting_user
from ortaq.accounts.enums import OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.accounts.rules import has_role_in, is_platform_admin
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.exports import export_format, export_response
from ortaq.core.params import int_param
from ortaq.core.web import (
    acting_for,
    paginate,
    query_string,
    rule_allows,
    rule_required,
    show_error,
)
from ortaq.reference.models import Region

from . import documents, exports, forms, selectors, services
from .enums import CompositionStatus, CouncilKind, ElectionStatus, MeetingStatus, VoteMode
from .models import (
    AgendaDocument,
    AgendaItem,
    CandidateCall,
    Composition,
    Council,
    CouncilMember,
    Election,
    ElectionCandidate,
    Meeting,
    Nomination,
    ProtocolVersion,
    Recommendation,
)
from .rules import HOSTING_KINDS, host_organisation_ids


# Objects the permission checks look at.
def _council(request: HttpRequest, pk: int) -> Council:
    return get_object_or_404(Council.objects.select_related("organisation"), pk=pk)


def _composition(request: HttpRequest, pk: int) -> Composition:
    return get_object_or_404(Composition.objects.select_related("council"), pk=pk)


def _member_composition(request: HttpRequest, pk: int) -> Composition:
    member = get_object_or_404(CouncilMember.objects.select_related("composition__council"), pk=pk)
    return member.composition


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("council"), pk=pk)


def _item_meeting(request: HttpRequest, pk: int) -> Meeting:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__council"), pk=pk)
    return item.meeting


def _version(request: HttpRequest, pk: int) -> ProtocolVersion:
    return get_object_or_404(
        ProtocolVersion.objects.select_related("protocol__meeting__council"), pk=pk
    )


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(Recommendation.objects.select_related("council"), pk=pk)


def _call(request: HttpRequest, pk: int) -> CandidateCall:
    return get_object_or_404(CandidateCall.objects.select_related("council"), pk=pk)


def _nomination_call(request: HttpRequest, pk: int) -> CandidateCall:
    return get_object_or_404(Nomination.objects.select_related("call__council"), pk=pk).call


def _election_council(request: HttpRequest, pk: int) -> Council:
    return get_object_or_404(Election.objects.select_related("council"), pk=pk).council


# --- public pages ---------------------------------------------------------------------------


def council_list(request: HttpRequest) -> HttpResponse:
    """Councils by region and by the body they are attached to."""
    councils = selectors.councils_public(request.GET)
    page_obj = paginate(request, councils)
    body = None
    if (body_pk := int_param(request.GET, "body")) is not None:
        body = Organisation.objects.filter(pk=body_pk).first()
    return render(
        request,
        "councils/list.html",
        {
            "page_obj": page_obj,
            "councils": page_obj.object_list,
            "total": page_obj.paginator.count,
            "regions": Region.objects.order_by("code"),
            "kinds": CouncilKind.choices,
            "body": body,
            "query_string": query_string(request),
            "can_add": rule_allows(request, "councils.add_council"),
        },
    )


def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        council = selectors.council_get(pk)
    except Council.DoesNotExist as error:
        raise Http404 from error
    current = selectors.current_composition(council)
    members = selectors.composition_members(current) if current else []
    meetings = list(selectors.meetings_of(council)[:10])
    now = timezone.now()
    return render(
        request,
        "councils/detail.html",
        {
            "council": council,
            "current": current,
            "members": members,
            "summary": selectors.composition_summary(members),
            "compositions": selectors.compositions_of(council),
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "call": selectors.open_call(council),
            "elections": selectors.elections_of(council),
            "recommendations": selectors.recommendations_public({"council": council.pk})[:10],
            "can_manage": rule_allows(request, "councils.manage_council", council),
            "can_record": rule_allows(request, "councils.record_meeting", council),
        },
    )


def composition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    composition = get_object_or_404(
        Composition.objects.select_related("council", "council__organisation"), pk=pk
    )
    members = selectors.composition_members(composition, with_ceased=True)
    active = [m for m in members if m.ceased_on is None]
    can_manage = rule_allows(request, "councils.manage_council", composition.council)
    return render(
        request,
        "councils/composition.html",
        {
            "composition": composition,
            "council": composition.council,
            "members": members,
            "summary": selectors.composition_summary(active),
            "problems": selectors.composition_problems_of(composition),
            "can_manage": can_manage and composition.status != CompositionStatus.PAST,
            "history": composition.status_changes.all(),
            "member_form": forms.MemberForm() if can_manage else None,
            "statuses": CompositionStatus,
        },
    )


def calendar(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_calendar(request.GET)
    page_obj = paginate(request, meetings)
    return render(
        request,
        "councils/calendar.html",
        {
            "page_obj": page_obj,
            "meetings": page_obj.object_list,
            "regions": Region.objects.order_by("code"),
            "start": request.GET.get("from") or timezone.localdate().isoformat(),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get(pk)
    except Meeting.DoesNotExist as error:
        raise Http404 from error
    members = selectors.meeting_members(meeting)
    present = set(selectors.present_member_ids(meeting))
    can_record = rule_allows(request, "councils.record_meeting", meeting)
    versions = selectors.protocol_versions(meeting)
    if not can_record:
        versions = [v for v in versions if v.is_published]
    quorum = selectors.meeting_quorum(meeting, members)
    return render(
        request,
        "councils/meeting.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "members": members,
            "present": present,
            "attendance_recorded": meeting.status == MeetingStatus.HELD,
            "quorum": quorum,
            "items": selectors.meeting_items(meeting),
            "versions": versions,
            "published": any(v.is_published for v in versions),
            "closed": bool(versions) and versions[0].is_published,
            "has_draft": any(not v.is_published for v in versions),
            "can_record": can_record,
            "agenda_form": forms.AgendaItemForm() if can_record else None,
            "document_form": forms.AgendaDocumentForm() if can_record else None,
            "document_max_mb": max(services.document_max_bytes() // 1048576, 1),
            "correction_form": forms.CorrectionForm() if can_record else None,
            "languages": documents.PROTOCOL_LANGUAGES,
        },
    )


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    response = HttpResponse(documents.meeting_ics(meeting), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _readable_version(request: HttpRequest, pk: int, lang: str) -> ProtocolVersion:
    if lang not in documents.PROTOCOL_LANGUAGES:
        raise Http404
    version = get_object_or_404(
        ProtocolVersion.objects.select_related("protocol__meeting__council"), pk=pk
    )
    if not rule_allows(request, "councils.view_protocolversion", version):
        raise Http404  # a draft is not public: as if it did not exist
    return version


def protocol_pdf(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    version = _readable_version(request, pk, lang)
    response = HttpResponse(documents.protocol_pdf(version, lang), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="protocol-{version.protocol.meeting_id}-v{version.number}-{lang}.pdf"'
    )
    return response


def protocol_docx(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    version = _readable_version(request, pk, lang)
    response = HttpResponse(
        documents.protocol_docx(version, lang),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"protocol-{version.protocol.meeting_id}-v{version.number}-{lang}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def recommendation_list(request: HttpRequest) -> HttpResponseBase:
    queryset = selectors.recommendations_public(request.GET)
    export = export_format(request)
    if export:
        return export_response(
            exports.recommendation_rows(queryset, timezone.localdate()),
            exports.recommendation_header(),
            f"recommendations-{timezone.localdate().isoformat()}",
            export,
            sheet=_("Recommendations"),
        )
    page_obj = paginate(request, queryset)
    body = None
    if (body_pk := int_param(request.GET, "body")) is not None:
        body = Organisation.objects.filter(pk=body_pk).first()
    return render(
        request,
        "councils/recommendations.html",
        {
            "page_obj": page_obj,
            "recommendations": page_obj.object_list,
            "total": page_obj.paginator.count,
            "body": body,
            "today": timezone.localdate(),
            "query_string": query_string(request),
        },
    )


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        recommendation = selectors.recommendation_get(pk)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    can_answer = rule_allows(request, "councils.answer_recommendation", recommendation)
    return render(
        request,
        "councils/recommendation.html",
        {
            "recommendation": recommendation,
            "reports": recommendation.reports.all(),
            "overdue": selectors.is_overdue(recommendation),
            "can_answer": can_answer,
        },
    )


def tracker(request: HttpRequest) -> HttpResponseBase:
    """For each state body: received, answered on time, accepted, implemented, overdue."""
    rows = selectors.tracker(request.GET)
    export = export_format(request)
    if export:
        return export_response(
            exports.tracker_rows(rows),
            exports.tracker_header(),
            f"tracker-{timezone.localdate().isoformat()}",
            export,
            sheet=_("Tracker"),
        )
    page_obj = paginate(request, rows)
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in (
            "received",
            "answered",
            "on_time",
            "accepted",
            "partial",
            "implemented",
            "overdue",
        )
    }
    return render(
        request,
        "councils/tracker.html",
        {
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "totals": totals,
            "regions": Region.objects.order_by("code"),
            "query_string": query_string(request),
        },
    )


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.election_result(pk)
    except Election.DoesNotExist as error:
        raise Http404 from error
    election = found.election
    can_manage = rule_allows(request, "councils.manage_council", election.council)
    preparing = election.status == ElectionStatus.DRAFT
    voting = election.status == ElectionStatus.OPEN
    electors = list(
        election.electors.annotate(
            voted=Count("ballot", filter=Q(ballot__election=election))
        ).order_by("name_ru", "pk")
    )
    return render(
        request,
        "councils/election.html",
        {
            "election": election,
            "council": election.council,
            "found": found,
            "rows": found.rows,
            "result": found.result,
            "elected": {c.pk for c in found.elected},
            "tied": {c.pk for c in found.tied},
            "ballots": found.ballots,
            "electors": found.electors,
            "elector_list": electors,
            "preparing": preparing,
            "can_manage": can_manage,
            "candidate_form": forms.CandidateForm() if can_manage and preparing else None,
            "ballot_form": forms.BallotForm(
                electors=election.electors.exclude(ballot__election=election),
                candidates=[c for c, _v in found.rows],
            )
            if can_manage and voting
            else None,
        },
    )


# --- managing a council ---------------------------------------------------------------------


def _hosts(request: HttpRequest) -> Any:
    """Organisations the user may attach a council to; the service checks the kind of it."""
    if is_platform_admin(request.user):
        return Organisation.objects.filter(is_active=True, kind__in=sorted(HOSTING_KINDS))
    return Organisation.objects.filter(pk__in=host_organisation_ids(request.user))


@login_required
@rule_required("councils.add_council")
def council_create(request: HttpRequest) -> HttpResponse:
    form = forms.CouncilForm(request.POST or None, hosts=_hosts(request))
    if request.method == "POST" and form.is_valid():
        try:
            values = form.values()
            council = services.council_create(
                actor=acting_user(request),
                organisation=form.cleaned_data["organisation"],
                acting_for=acting_for(request),
                **values,
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The council is created."))
            return redirect("councils:detail", pk=council.pk)
    return render(
        request, "councils/form.html", {"form": form, "title": _("New council"), "back": None}
    )


@login_required
@rule_required("councils.manage_council", fn=_council)
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    form = forms.CouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_update(
                actor=acting_user(request),
                council=council,
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
                **form.values(),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The council's rules are saved."))
            return redirect("councils:detail", pk=council.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("The council and its rules"), "back": council},
    )


@login_required
@rule_required("councils.manage_council", fn=_council)
def composition_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    form = forms.CompositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            composition = services.composition_create(
                actor=acting_user(request),
                council=council,
                term_start=form.cleaned_data["term_start"],
                term_end=form.cleaned_data["term_end"],
                acting_for=acting_for(request),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            return redirect("councils:composition", pk=composition.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("New composition"), "back": council},
    )


@login_required
@rule_required("councils.manage_council", fn=_composition)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_add(
                actor=acting_user(request),
                composition=composition,
                full_name=data["full_name"],
                category=data["category"],
                position=data["position"],
                organisation=data["organisation_bin"],
                user=data["account_email"],
                email=data["email"] or "",
                appointed_on=data["appointed_on"],
                acting_for=acting_for(request),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The member is added."))
            return redirect("councils:composition", pk=composition.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("Add a member"), "back": composition.council},
    )


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_member_composition)
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(CouncilMember.objects.select_related("composition"), pk=pk)
    form = forms.CeaseForm(request.POST)
    form.is_valid()
    try:
        services.member_remove(
            actor=acting_user(request),
            member=member,
            ceased_on=form.cleaned_data.get("ceased_on"),
            acting_for=acting_for(request),
        )
    except DomainError as error:
        show_error(request, error)
    return redirect("councils:composition", pk=member.composition_id)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_composition)
def composition_approve(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    try:
        services.composition_approve(
            actor=acting_user(request), composition=composition, acting_for=acting_for(request)
        )
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The composition is approved."))
    return redirect("councils:composition", pk=composition.pk)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_composition)
def composition_take_over(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    try:
        services.composition_take_over(actor=acting_user(request), composition=composition)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The composition is now the council's current one."))
    return redirect("councils:composition", pk=composition.pk)


# --- renewal and elections ------------------------------------------------------------------


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(
        CandidateCall.objects.select_related("council", "ending", "next_composition"), pk=pk
    )
    acting = acting_for(request)
    can_nominate = (
        rule_allows(request, "councils.nominate")
        and acting is not None
        and acting.kind == OrganisationKind.NGO
        and has_role_in(request.user, acting.pk, "admin")
    )
    return render(
        request,
        "councils/call.html",
        {
            "call": call,
            "council": call.council,
            "nominations": call.nominations.select_related("organisation"),
            "can_manage": rule_allows(request, "councils.manage_council", call.council),
            "can_nominate": can_nominate,
            "acting_for": acting,
            "form": forms.NominationForm() if can_nominate else None,
        },
    )


@require_POST
@login_required
@rule_required("councils.nominate")
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    acting = acting_for(request)
    if acting is None or not has_role_in(request.user, acting.pk, "admin"):
        raise PermissionDenied
    form = forms.NominationForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_create(
                actor=acting_user(request), call=call, organisation=acting, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The candidate is nominated."))
    return redirect("councils:call", pk=call.pk)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_nomination_call)
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(Nomination, pk=pk)
    try:
        services.nomination_decide(
            actor=acting_user(request),
            nomination=nomination,
            selected=request.POST.get("selected") == "1",
            acting_for=acting_for(request),
        )
    except DomainError as error:
        show_error(request, error)
    return redirect("councils:call", pk=nomination.call_id)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_election_council)
def ballot_record(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election, pk=pk)
    form = forms.BallotForm(
        request.POST,
        electors=election.electors.all(),
        candidates=election.candidates.all(),
    )
    if form.is_valid():
        try:
            services.ballot_record(
                actor=acting_user(request),
                election=election,
                organisation=form.cleaned_data["organisation"],
                candidate_ids=[int(c) for c in form.cleaned_data["choices"]],
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The ballot is recorded."))
    else:
        messages.error(request, _("Choose the organisation that votes."))
    return redirect("councils:election", pk=election.pk)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_election_council)
def election_close(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election, pk=pk)
    winners = [int(v) for v in request.POST.getlist("tie_winners") if v.isdigit()]
    try:
        _result, composition = services.election_close(
            actor=acting_user(request), election=election, tie_winners=winners
        )
    except DomainError as error:
        show_error(request, error)
        return redirect("councils:election", pk=election.pk)
    messages.success(request, _("The ballots are counted; the elected composition is drafted."))
    return redirect("councils:composition", pk=composition.pk)


def _election(request: HttpRequest, pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("council"), pk=pk)


def _candidate_council(request: HttpRequest, pk: int) -> Council:
    candidate = get_object_or_404(
        ElectionCandidate.objects.select_related("election__council"), pk=pk
    )
    return candidate.election.council


def _election_form_values(form: forms.ElectionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "held_on": data["held_on"],
        "seats": data["seats"],
        "max_choices": data["max_choices"],
        "term_start": data["term_start"],
        "electors": data["elector_bins"],
    }


@login_required
@rule_required("councils.manage_council", fn=_council)
def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare an election at a general meeting; the candidates follow on its page."""
    council = _council(request, pk)
    form = forms.ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(
                actor=acting_user(request),
                council=council,
                acting_for=acting_for(request),
                **_election_form_values(form),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The election is prepared; now add the candidates."))
            return redirect("councils:election", pk=election.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("New election at a general meeting"), "back": council},
    )


@login_required
@rule_required("councils.manage_council", fn=_election_council)
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    if election.status != ElectionStatus.DRAFT:
        messages.error(
            request, _("Voting has opened: the candidates and the member organisations are fixed.")
        )
        return redirect("councils:election", pk=election.pk)
    initial = {
        "held_on": election.held_on,
        "seats": election.seats,
        "max_choices": election.max_choices,
        "term_start": election.term_start,
        "elector_bins": "\n".join(
            election.electors.order_by("name_ru", "pk").values_list("bin", flat=True)
        ),
        "version": election.version,
    }
    form = forms.ElectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(
                actor=acting_user(request),
                election=election,
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
                **_election_form_values(form),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The election is saved."))
            return redirect("councils:election", pk=election.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("The election"), "back": election},
    )


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_election_council)
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    form = forms.CandidateForm(request.POST)
    if form.is_valid():
        try:
            services.election_candidate_add(
                actor=acting_user(request),
                election=election,
                full_name=form.cleaned_data["full_name"],
                organisation=form.cleaned_data["organisation_bin"],
                category=form.cleaned_data["category"],
                acting_for=acting_for(request),
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The candidate is added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("councils:election", pk=election.pk)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_candidate_council)
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(ElectionCandidate.objects.select_related("election"), pk=pk)
    try:
        services.election_candidate_remove(
            actor=acting_user(request), candidate=candidate, acting_for=acting_for(request)
        )
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The candidate is removed."))
    return redirect("councils:election", pk=candidate.election_id)


@require_POST
@login_required
@rule_required("councils.manage_council", fn=_election_council)
def election_open(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    try:
        services.election_open(
            actor=acting_user(request), election=election, acting_for=acting_for(request)
        )
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Voting is open: record the ballots of the organisations."))
    return redirect("councils:election", pk=election.pk)


# --- recording a meeting (the chair and the secretary) --------------------------------------


@login_required
@rule_required("councils.record_meeting", fn=_council)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=acting_user(request), council=council, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The meeting is scheduled; now set its agenda."))
            return redirect("councils:meeting", pk=meeting.pk)
    return render(
        request, "councils/form.html", {"form": form, "title": _("New meeting"), "back": council}
    )


@require_POST
@login_required
@rule_required("councils.record_meeting", fn=_meeting)
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = forms.AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(
                actor=acting_user(request), meeting=meeting, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The item is added to the agenda."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("councils:meeting", pk=meeting.pk)


def _document_meeting(request: HttpRequest, pk: int) -> Meeting:
    document = get_object_or_404(
        AgendaDocument.objects.select_related("item__meeting__council"), pk=pk
    )
    return document.item.meeting


@require_POST
@login_required
@rule_required("councils.record_meeting", fn=_item_meeting)
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__council"), pk=pk)
    form = forms.AgendaDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agenda_document_add(
                actor=acting_user(request), item=item, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The document is attached to the agenda item."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("councils:meeting", pk=item.meeting_id)


@require_POST
@login_required
@rule_required("councils.record_meeting", fn=_document_meeting)
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(AgendaDocument.objects.select_related("item__meeting"), pk=pk)
    meeting_id = document.item.meeting_id
    try:
        services.agenda_document_remove(actor=acting_user(request), document=document)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The document is removed."))
    return redirect("councils:meeting", pk=meeting_id)


@require_POST
@login_required
@rule_required("councils.record_meeting", fn=_meeting)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.invitations_send(actor=acting_user(request), meeting=meeting)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The invitations are sent by e-mail, with a calendar file."))
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
@rule_required("councils.record_meeting", fn=_meeting)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    members = selectors.meeting_members(meeting)
    initial = {"present": [str(i) for i in selectors.present_member_ids(meeting)]}
    form = forms.AttendanceForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_record(
                actor=acting_user(request),
                meeting=meeting,
                present_ids=[int(v) for v in form.cleaned_data["present"]],
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            (messages.success if result.present else messages.warning)(request, result.explanation)
            return redirect("councils:meeting", pk=meeting.pk)
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("Attendance"), "back": meeting, "subtitle": meeting},
    )


@login_required
@rule_required("councils.record_meeting", fn=_item_meeting)
def votes(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__council"), pk=pk)
    meeting = item.meeting
    present = set(selectors.present_member_ids(meeting))
    members = [m for m in selectors.meeting_members(meeting) if m.pk in present]
    by_name = item.vote_mode == VoteMode.BY_NAME
    form: Any
    initial: dict[str, Any]
    if by_name:
        initial = {f"m{v.member_id}": v.choice for v in item.votes.all()}
        form = forms.VotesByNameForm(request.POST or None, members=members, initial=initial)
    else:
        initial = {
            "votes_for": item.votes_for,
            "votes_against": item.votes_against,
            "votes_abstained": item.votes_abstained,
        }
        form = forms.VotesByCountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if by_name:
                services.votes_record(actor=acting_user(request), item=item, by_name=form.votes())
            else:
                d = form.cleaned_data
                services.votes_record(
                    actor=acting_user(request),
                    item=item,
                    counts=(d["votes_for"], d["votes_against"], d["votes_abstained"]),
                )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The votes are recorded."))
            return redirect("councils:meeting", pk=meeting.pk)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Votes"),
            "subtitle": item,
            "back": meeting,
            "quorum": selectors.meeting_quorum(meeting),
        },
    )


@login_required
@rule_required("councils.record_meeting", fn=_item_meeting)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__council"), pk=pk)
    initial = {"decision_kk": item.decision_kk, "decision_ru": item.decision_ru}
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(actor=acting_user(request), item=item, **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("councils:meeting", pk=item.meeting_id)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Decision"),
            "subtitle": item,
            "back": item.meeting,
            "quorum": selectors.meeting_quorum(item.meeting),
        },
    )


@login_required
@rule_required("councils.record_meeting", fn=_item_meeting)
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__council"), pk=pk)
    council = item.meeting.council
    bodies = selectors.state_bodies().filter(
        Q(region_id=council.region_id) | Q(region__isnull=True) | Q(pk=council.organisation_id)
    )
    form = forms.RecommendationForm(
        request.POST or None,
        bodies=bodies,
        initial={
            "addressee": council.organisation_id
            if council.organisation.kind == OrganisationKind.STATE_BODY
            else None
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_create(
                actor=acting_user(request), item=item, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The recommendation is sent to the state body."))
            return redirect("councils:meeting", pk=item.meeting_id)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Recommendation"),
            "subtitle": item,
            "back": item.meeting,
            "note": _("The answer is due {n} working days after sending.").format(
                n=council.answer_days
            ),
        },
    )


@require_POST
@login_required
@rule_required("councils.record_meeting", fn=_meeting)
def protocol_generate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = forms.CorrectionForm(request.POST)
    note = form.cleaned_data["correction_note"] if form.is_valid() else ""
    try:
        services.protocol_generate(
            actor=acting_user(request), meeting=meeting, correction_note=note
        )
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The protocol is drafted from the meeting record."))
    return redirect("councils:meeting", pk=meeting.pk)


@require_POST
@login_required
@rule_required("councils.approve_protocol", fn=_version)
def protocol_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        services.protocol_approve(actor=acting_user(request), version=version)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("You approved the protocol."))
    return redirect("councils:meeting", pk=version.protocol.meeting_id)


@require_POST
@login_required
@rule_required("councils.approve_protocol", fn=_version)
def protocol_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        services.protocol_publish(actor=acting_user(request), version=version)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The protocol is published."))
    return redirect("councils:meeting", pk=version.protocol.meeting_id)


# --- the state body's answers ---------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Recommendations the organisation the user acts for must answer or report on."""
    acting = acting_for(request)
    if acting is None or not has_role_in(request.user, acting.pk, "official", "regional_admin"):
        raise PermissionDenied
    page_obj = paginate(request, selectors.recommendations_to_answer(acting))
    return render(
        request,
        "councils/inbox.html",
        {
            "page_obj": page_obj,
            "recommendations": page_obj.object_list,
            "organisation": acting,
            "today": timezone.localdate(),
        },
    )


@login_required
@rule_required("councils.answer_recommendation", fn=_recommendation)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(pk)
    form = forms.AnswerForm(request.POST or None, initial={"version": recommendation.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_answer(
                actor=acting_user(request),
                recommendation=recommendation,
                answer=form.cleaned_data["answer"],
                reasons=form.cleaned_data["reasons"],
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
            )
        except ConflictError as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The answer is sent to the council and published."))
            return redirect("councils:recommendation", pk=recommendation.pk)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Answer the recommendation"),
            "subtitle": recommendation,
            "back": recommendation,
        },
    )


@login_required
@rule_required("councils.answer_recommendation", fn=_recommendation)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(pk)
    form = forms.ReportForm(
        request.POST or None,
        initial={"version": recommendation.version, "progress": recommendation.progress},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_report(
                actor=acting_user(request),
                recommendation=recommendation,
                progress=form.cleaned_data["progress"],
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The implementation report is published."))
            return redirect("councils:recommendation", pk=recommendation.pk)
    return render(
        request,
        "councils/form.html",
        {
            "form": form,
            "title": _("Report on implementation"),
            "subtitle": recommendation,
            "back": recommendation,
        },
    )
