"""The expert register (services and the organiser's page) and the back office of funding."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import DomainError
from ortaq.funding.competitions import services
from ortaq.funding.models import Assignment, Expert, Score
from ortaq.reference.models import ActivityArea
from tests.access import Cast, HttpRow, PermRow, assert_http_matrix, assert_permission_matrix
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db

KEEPERS = frozenset({"official", "regional_admin", "other_regional_admin", "platform_admin"})
URL = "/en/funding/manage/experts/"


def _areas(n: int) -> list[ActivityArea]:
    return list(ActivityArea.objects.filter(is_active=True).order_by("position")[:n])


# --- Services ---------------------------------------------------------------------------------


def test_register_finds_the_person_by_email_and_records_it(cast: Cast) -> None:
    person = UserFactory(email="aigerim@example.kz")
    areas = _areas(2)
    expert = services.expert_register(
        actor=cast.users["official"], email="  AIGERIM@example.kz ", areas=areas
    )
    assert expert.user == person
    assert expert.is_active is True
    assert sorted(expert.areas.values_list("pk", flat=True)) == sorted(a.pk for a in areas)
    entry = AuditEntry.objects.get(action="funding.expert.register")
    assert entry.actor == cast.users["official"]
    assert entry.changes == {
        "is_active": [None, True],
        "areas": [None, sorted(a.code for a in areas)],
    }


def test_register_refuses_an_unknown_email_and_no_areas(cast: Cast) -> None:
    with pytest.raises(DomainError, match="Nobody with this e-mail") as exc:
        services.expert_register(
            actor=cast.users["official"], email="nobody@example.kz", areas=_areas(1)
        )
    assert exc.value.field == "email"
    with pytest.raises(DomainError, match="at least one activity area"):
        services.expert_register(actor=cast.users["official"], email="citizen@example.kz", areas=[])
    assert Expert.objects.count() == 0


def test_only_organisers_and_the_platform_admin_keep_the_register(cast: Cast) -> None:
    for role in ("ngo_admin", "expert", "citizen"):
        with pytest.raises(DomainError, match="Only an organiser"):
            services.expert_register(
                actor=cast.users[role], email="citizen@example.kz", areas=_areas(1)
            )
    expert = services.expert_register(
        actor=cast.users["platform_admin"], email="citizen@example.kz", areas=_areas(1)
    )
    with pytest.raises(DomainError, match="Only an organiser"):
        services.expert_set_active(actor=cast.users["ngo_admin"], expert=expert, active=False)


def test_registering_again_replaces_the_areas_and_reactivates(cast: Cast) -> None:
    first, second = _areas(2)
    official = cast.users["official"]
    expert = services.expert_register(actor=official, email="citizen@example.kz", areas=[first])
    services.expert_set_active(actor=official, expert=expert, active=False)
    again = services.expert_register(actor=official, email="citizen@example.kz", areas=[second])
    assert again.pk == expert.pk
    assert again.is_active is True
    assert list(again.areas.all()) == [second]
    assert list(
        AuditEntry.objects.filter(action__startswith="funding.expert").values_list(
            "action", flat=True
        )
    ) == ["funding.expert.register", "funding.expert.active", "funding.expert.register"]


def test_a_deactivated_expert_is_not_drawn(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    f.pass_deadline(comp)
    official = cast.users["official"]
    services.competition_close(actor=official, competition=comp)
    services.compliance_record(actor=official, application=application, failures=[])
    pool = f.experts(7)
    services.expert_set_active(actor=official, expert=pool[0], active=False)
    services.evaluation_start(actor=official, competition=comp)
    draw = comp.draws.get()
    assert sorted(draw.pool) == sorted(e.pk for e in pool[1:])
    assert not Assignment.objects.filter(expert=pool[0]).exists()


# --- The page ---------------------------------------------------------------------------------


def test_the_page_adds_an_expert_and_deactivates_him(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["official"])
    area = _areas(1)[0]
    response = client.post(URL, {"email": "citizen@example.kz", "areas": [area.pk]})
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert expert.user == cast.users["citizen"]
    page = client.get(URL).content.decode()
    assert "citizen@example.kz" in page
    assert area.name_en in page
    response = client.post(f"/en/funding/manage/experts/{expert.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.is_active is False
    assert list(client.get(URL, {"active": "1"}).context["page_obj"]) == []
    assert list(client.get(URL, {"active": "0"}).context["page_obj"]) == [expert]


def test_the_page_shows_why_a_person_cannot_be_added(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["official"])
    response = client.post(URL, {"email": "nobody@example.kz", "areas": [_areas(1)[0].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Nobody with this e-mail has an account on the platform: ask him to sign up."
    ]
    assert Expert.objects.count() == 0


def test_the_page_filters_by_area_and_name(cast: Cast) -> None:
    first, second = _areas(2)
    official = cast.users["official"]
    a = services.expert_register(actor=official, email="citizen@example.kz", areas=[first])
    b = services.expert_register(actor=official, email="member@example.kz", areas=[second])
    client = Client()
    client.force_login(official)
    assert list(client.get(URL, {"area": first.pk}).context["page_obj"]) == [a]
    assert list(client.get(URL, {"q": "member@"}).context["page_obj"]) == [b]


def test_access_to_the_register(cast: Cast) -> None:
    expert = services.expert_register(
        actor=cast.users["official"], email="citizen@example.kz", areas=_areas(1)
    )

    def reactivate(c: Cast) -> None:
        Expert.objects.filter(pk=expert.pk).update(is_active=True)

    assert_permission_matrix(cast, [PermRow("funding.keep_register", None, KEEPERS)])
    assert_http_matrix(
        cast,
        [
            HttpRow("expert register", "GET", lambda c: URL, KEEPERS),
            HttpRow(
                "add an expert",
                "POST",
                lambda c: URL,
                KEEPERS,
                data=lambda c: {"email": "member@example.kz", "areas": [_areas(1)[0].pk]},
                ok=302,
            ),
            HttpRow(
                "deactivate an expert",
                "POST",
                lambda c: f"/en/funding/manage/experts/{expert.pk}/active/",
                KEEPERS,
                data=lambda c: {"active": "0"},
                reset=reactivate,
                ok=302,
            ),
        ],
    )


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_register_query_count_does_not_grow(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["official"])
    f.experts(1)
    one = _count(client, URL)
    f.experts(2)
    assert _count(client, URL) == one


# --- Back office ------------------------------------------------------------------------------


def test_every_back_office_page_opens_and_hides_the_project_and_scores(cast: Cast) -> None:
    from tests.funding.test_ocds_and_pages import _published

    comp, application = _published(cast)
    client = Client()
    client.force_login(cast.users["platform_admin"])
    for model in (
        "programme",
        "topic",
        "competition",
        "application",
        "expert",
        "expertdraw",
        "decision",
    ):
        assert client.get(f"/en/admin/funding/{model}/").status_code == 200, model
    for url in (
        f"/en/admin/funding/programme/{comp.programme_id}/change/",
        f"/en/admin/funding/competition/{comp.pk}/change/",
        f"/en/admin/funding/decision/{comp.decision.pk}/change/",
        f"/en/admin/funding/expertdraw/{comp.draws.get().pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/en/admin/funding/application/{application.pk}/change/").content.decode()
    assert "Passed the compliance check" in page  # the status history
    assert "Проект для молодёжи" not in page  # the project's description
    assert "Тренинги" not in page  # its budget
    assert Score not in admin.site._registry
    assert Assignment not in admin.site._registry


def test_back_office_adds_and_deactivates_experts_through_the_services(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["platform_admin"])
    area = _areas(1)[0]
    person = cast.users["citizen"]
    response = client.post(
        "/en/admin/funding/expert/add/", {"user": person.pk, "areas": [area.pk], "is_active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = Expert.objects.get()
    assert (expert.user, list(expert.areas.all()), expert.is_active) == (person, [area], True)
    response = client.post(
        "/en/admin/funding/expert/",
        {"action": "deactivate", "_selected_action": [expert.pk]},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.is_active is False
    assert AuditEntry.objects.filter(action="funding.expert.active").count() == 1


def test_back_office_refuses_editing_applications(cast: Cast, settings: Any) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    client = Client()
    client.force_login(cast.users["platform_admin"])
    response = client.post(
        f"/en/admin/funding/application/{application.pk}/change/", {"title": "Changed"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.title == "Жастар орталығы"
