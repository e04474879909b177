"""Councils (/<lang>/councils/...): public pages first, then the managing and recording ones."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "councils"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public.
    path("", views.council_list, name="list"),
    path("<int:pk>/", views.council_detail, name="detail"),
    path("compositions/<int:pk>/", views.composition_detail, name="composition"),
    path("calendar/", views.calendar, name="calendar"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("protocols/<int:pk>/<str:lang>.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("protocols/<int:pk>/<str:lang>.docx", views.protocol_docx, name="protocol_docx"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("tracker/", views.tracker, name="tracker"),
    path("elections/<int:pk>/", views.election_detail, name="election"),
    # Managing a council: its host's staff.
    path("new/", views.council_create, name="create"),
    path("<int:pk>/edit/", views.council_edit, name="edit"),
    path("<int:pk>/compositions/new/", views.composition_create, name="composition_create"),
    path("compositions/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("compositions/<int:pk>/approve/", views.composition_approve, name="composition_approve"),
    path(
        "compositions/<int:pk>/take-over/",
        views.composition_take_over,
        name="composition_take_over",
    ),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("<int:pk>/elections/new/", views.election_create, name="election_create"),
    path("elections/<int:pk>/edit/", views.election_edit, name="election_edit"),
    path("elections/<int:pk>/candidates/", views.candidate_add, name="candidate_add"),
    path("candidates/<int:pk>/remove/", views.candidate_remove, name="candidate_remove"),
    path("elections/<int:pk>/open/", views.election_open, name="election_open"),
    path("elections/<int:pk>/ballot/", views.ballot_record, name="ballot"),
    path("elections/<int:pk>/close/", views.election_close, name="election_close"),
    # Recording a meeting: the chair and the secretary.
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("items/<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("meetings/<int:pk>/invite/", views.invite, name="invite"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("items/<int:pk>/votes/", views.votes, name="votes"),
    path("items/<int:pk>/decision/", views.decision, name="decision"),
    path("items/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("meetings/<int:pk>/protocol/", views.protocol_generate, name="protocol_generate"),
    path("protocols/<int:pk>/approve/", views.protocol_approve, name="protocol_approve"),
    path("protocols/<int:pk>/publish/", views.protocol_publish, name="protocol_publish"),
    # The addressed state body.
    path("inbox/", views.inbox, name="inbox"),
    path("recommendations/<int:pk>/answer/", views.answer, name="answer"),
    path("recommendations/<int:pk>/report/", views.report, name="report"),
]
