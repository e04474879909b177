"""Pages of the competitions under /<lang>/funding/ (included by funding/urls.py, so the names
stay in the `funding:` namespace: no app_name here)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import feeds, views

urlpatterns: list[URLPattern] = [
    # Public
    path("", views.competition_list, name="competition_list"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/results/", views.competition_results, name="competition_results"),
    path("feed.atom", feeds.CompetitionFeed(), name="competition_feed"),
    path("deadlines.ics", feeds.deadlines_ical, name="deadlines_ical"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/comment/", views.topic_comment, name="topic_comment"),
    # NGO
    path("applications/", views.my_applications, name="my_applications"),
    path("lots/<int:lot_pk>/apply/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/attach/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="application_reopen"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    # Organiser
    path("manage/", views.organiser_home, name="organiser_home"),
    path("manage/programmes/new/", views.programme_create, name="programme_create"),
    path("manage/competitions/new/", views.competition_create, name="competition_create"),
    path("manage/competitions/<int:pk>/", views.competition_manage, name="competition_manage"),
    path("manage/competitions/<int:pk>/lots/", views.lot_add, name="lot_add"),
    path("manage/competitions/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("manage/documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("manage/competitions/<int:pk>/step/", views.competition_step, name="competition_step"),
    path(
        "manage/competitions/<int:pk>/applications/",
        views.organiser_applications,
        name="organiser_applications",
    ),
    path(
        "manage/applications/<int:pk>/compliance/",
        views.compliance_check,
        name="compliance_check",
    ),
    path(
        "manage/applications/<int:pk>/scores/", views.application_scores, name="application_scores"
    ),
    path("manage/draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("manage/experts/", views.expert_register, name="expert_register"),
    path("manage/experts/<int:pk>/active/", views.expert_toggle, name="expert_toggle"),
    path("manage/topics/new/", views.topic_create, name="topic_create"),
    path("manage/topics/<int:pk>/step/", views.topic_step, name="topic_step"),
    path("manage/comments/<int:pk>/answer/", views.topic_answer, name="topic_answer"),
    # Expert
    path("assignments/", views.my_assignments, name="my_assignments"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
]
