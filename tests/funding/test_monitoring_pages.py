"""Monitoring pages and API: the access matrix over the cast, the edit form (formsets, photo,
what was typed kept on a refusal), the public visit page and photos, the NGO's answer, query
counts of the lists."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, Image

from ortaq.funding.enums import VisitStatus
from ortaq.funding.models import MonitoringVisit, VisitFinding, VisitPhoto
from ortaq.funding.monitoring import services as monitoring
from tests.access import (
    EVERYONE,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)

from . import factories as f
from . import monitoring_factories as m

pytestmark = pytest.mark.django_db

SIDE = frozenset({"official", "regional_admin"})


@pytest.fixture
def private_media(settings: Any, tmp_path: Any) -> Any:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(cast: Cast, private_media: Any) -> Cast:
    """A contract of the cast's NGO, a draft and a published visit by the customer (each with
    a photo), councils with seated people (seat_cast)."""
    contract = f.contract(cast)
    m.seat_cast(cast)
    draft = m.visit(cast, contract)
    published = m.visit(cast, contract, publish=True)
    for visit in (draft, published):
        MonitoringVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.DRAFT)
        monitoring.visit_photo_add(
            actor=cast.users["official"], visit=visit, upload=m.upload(m.jpeg_with_gps())
        )
    MonitoringVisit.objects.filter(pk=published.pk).update(status=VisitStatus.PUBLISHED)
    cast.objects.update(
        contract=contract,
        draft_visit=MonitoringVisit.objects.get(pk=draft.pk),
        published_visit=MonitoringVisit.objects.get(pk=published.pk),
        draft_photo=draft.photos.get(),
        published_photo=published.photos.get(),
        finding=published.findings.get(),
    )
    return cast


def test_permission_matrix_of_monitoring(world: Cast) -> None:
    # The platform administrator neither monitors nor answers for an NGO (he is no superuser).
    assert_permission_matrix(
        world,
        [
            PermRow(
                "funding.visit_contract",
                "contract",
                frozenset({"official", "regional_admin", "citizen"}),
            ),
            PermRow("funding.view_visit", "draft_visit", SIDE),
            PermRow("funding.view_visit", "published_visit", EVERYONE),
            PermRow(
                "funding.view_visit_internal",
                "published_visit",
                SIDE | {"ngo_member", "ngo_admin"},
            ),
            PermRow("funding.change_visit", "draft_visit", SIDE),
            PermRow("funding.change_visit", "published_visit", frozenset()),
            PermRow("funding.answer_finding", "published_visit", frozenset({"ngo_admin"})),
            PermRow("funding.answer_finding", "draft_visit", frozenset()),
            PermRow(
                "funding.monitor",
                None,
                frozenset(
                    {
                        "official",
                        "regional_admin",
                        "other_regional_admin",
                        "citizen",
                        "ngo_admin",  # seated in a public council: he may visit other NGOs
                        "consultant",
                        "expert",  # in the expert register: evaluates
                    }
                ),
            ),
        ],
    )


def _draft(cast: Cast) -> MonitoringVisit:
    return MonitoringVisit.objects.get(pk=cast.objects["draft_visit"].pk)


def test_http_matrix_of_monitoring(world: Cast) -> None:
    c = world.objects
    finding = c["finding"]

    def reset_answer(cast: Cast) -> None:
        VisitFinding.objects.filter(pk=finding.pk).update(answer="")

    def reset_draft(cast: Cast) -> None:
        MonitoringVisit.objects.filter(pk=c["draft_visit"].pk).update(
            status=VisitStatus.DRAFT, published_at=None
        )

    assert_http_matrix(
        world,
        [
            HttpRow(
                "monitoring desk",
                "GET",
                lambda w: reverse("funding:visit_list"),
                frozenset(
                    {
                        "official",
                        "regional_admin",
                        "other_regional_admin",
                        "citizen",
                        "ngo_admin",
                        "consultant",
                        "expert",
                    }
                ),
            ),
            HttpRow(
                "record a visit",
                "GET",
                lambda w: reverse("funding:visit_create", args=[c["contract"].pk]),
                frozenset({"official", "regional_admin", "citizen"}),
            ),
            HttpRow(
                "draft visit",
                "GET",
                lambda w: reverse("funding:visit_detail", args=[c["draft_visit"].pk]),
                SIDE,
            ),
            HttpRow(
                "published visit",
                "GET",
                lambda w: reverse("funding:visit_detail", args=[c["published_visit"].pk]),
                EVERYONE,
            ),
            HttpRow(
                "edit the draft",
                "GET",
                lambda w: reverse("funding:visit_edit", args=[c["draft_visit"].pk]),
                SIDE,
            ),
            HttpRow(
                "edit a published visit",
                "GET",
                lambda w: reverse("funding:visit_edit", args=[c["published_visit"].pk]),
                frozenset(),
            ),
            HttpRow(
                "publish",
                "POST",
                lambda w: reverse("funding:visit_publish", args=[c["draft_visit"].pk]),
                SIDE,
                data=lambda w: {"version": _draft(w).version},
                reset=reset_draft,
                ok=302,
                done=lambda w, r: _draft(w).status == VisitStatus.PUBLISHED,
            ),
            HttpRow(
                "answer a finding",
                "POST",
                lambda w: reverse("funding:visit_detail", args=[c["published_visit"].pk]),
                frozenset({"ngo_admin"}),
                data=lambda w: {"finding": finding.pk, "answer": "Fixed", "previous": ""},
                reset=reset_answer,
                anonymous=403,
                ok=302,
            ),
            HttpRow(
                "draft photo",
                "GET",
                lambda w: reverse("funding:visit_photo", args=[c["draft_photo"].pk]),
                SIDE,
            ),
            HttpRow(
                "published photo",
                "GET",
                lambda w: reverse("funding:visit_photo", args=[c["published_photo"].pk]),
                EVERYONE,
            ),
            HttpRow(
                "API draft visit",
                "GET",
                lambda w: f"/api/v1/monitoring-visits/{c['draft_visit'].pk}/",
                SIDE,
                refused=404,
                anonymous=404,
            ),
            HttpRow(
                "API published visit",
                "GET",
                lambda w: f"/api/v1/monitoring-visits/{c['published_visit'].pk}/",
                EVERYONE,
            ),
        ],
    )
    # The answering is the NGO administrator's own; the API says the same.
    reset_answer(world)
    for role in ("platform_admin", "official", "ngo_member"):
        client = Client()
        client.force_login(world.users[role])
        response = client.post(
            f"/api/v1/monitoring-visits/{c['published_visit'].pk}/answer/",
            {"finding": finding.pk, "answer": "Fixed"},
            content_type="application/json",
        )
        assert response.status_code == 403, role
    assert VisitFinding.objects.get(pk=finding.pk).answer == ""
    client = Client()
    client.force_login(world.users["ngo_admin"])
    response = client.post(
        f"/api/v1/monitoring-visits/{c['published_visit'].pk}/answer/",
        {"finding": finding.pk, "answer": " Fixed "},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["answer"] == "Fixed"
    stale = client.post(
        f"/api/v1/monitoring-visits/{c['published_visit'].pk}/answer/",
        {"finding": finding.pk, "answer": "Other", "previous": "old"},
        content_type="application/json",
    )
    assert stale.status_code == 409


def _edit_data(visit: MonitoringVisit, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "visited_on": visit.visited_on.isoformat(),
        "summary": "Trainings are held.",
        "recommendations": "Keep a journal.",
        "caption": "",
        "version": str(visit.version),
        "check-TOTAL_FORMS": "7",
        "check-INITIAL_FORMS": "5",
        "find-TOTAL_FORMS": "2",
        "find-INITIAL_FORMS": "1",
        "find-0-severity": "major",
        "find-0-text": "Nobody at the door",
        "find-1-severity": "note",
        "find-1-text": "",
    }
    answers = ["yes", "no", "", "yes", "yes"]
    for i, row in enumerate(visit.checklist[:5]):
        data[f"check-{i}-item"] = row["item"]
        data[f"check-{i}-ok"] = answers[i]
        data[f"check-{i}-note"] = f"note {i}"
    data |= {"check-5-item": "Fire exit", "check-5-ok": "no", "check-5-note": "blocked"}
    data |= {"check-6-item": "", "check-6-ok": "", "check-6-note": ""}
    return data | overrides


def test_edit_page_saves_checklist_findings_and_a_stripped_photo(world: Cast) -> None:
    visit = world.objects["draft_visit"]
    client = Client()
    client.force_login(world.users["regional_admin"])
    url = reverse("funding:visit_edit", args=[visit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Activities carried out as planned" in page.content.decode()
    data = _edit_data(visit)
    data["photo"] = m.upload(m.jpeg_with_gps(), "gps.jpg")
    data["caption"] = "Door"
    response = client.post(url, data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.checklist == [
        {"item": "activities", "ok": True, "note": "note 0"},
        {"item": "beneficiaries", "ok": False, "note": "note 1"},
        {"item": "materials", "ok": None, "note": "note 2"},
        {"item": "visibility", "ok": True, "note": "note 3"},
        {"item": "documents", "ok": True, "note": "note 4"},
        {"item": "Fire exit", "ok": False, "note": "blocked"},
    ]
    assert [(x.severity, x.text) for x in visit.findings.all()] == [("major", "Nobody at the door")]
    photo = visit.photos.get(caption="Door")
    with photo.file.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_edit_page_keeps_what_was_typed_on_a_refusal(world: Cast) -> None:
    visit = world.objects["draft_visit"]
    client = Client()
    client.force_login(world.users["official"])
    url = reverse("funding:visit_edit", args=[visit.pk])
    # A photo that is no photo: the text is saved, the refusal shows with everything typed.
    data = _edit_data(visit, summary="Typed summary")
    data["photo"] = m.upload(b"%PDF-1.4 not a photo", "a.pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only JPEG, PNG and WebP photos are accepted." in html
    assert "Typed summary" in html
    assert 'value="Fire exit"' in html
    assert "Nobody at the door" in html
    # Someone else saved meanwhile: a conflict, nothing overwritten, the text still on the page.
    visit.refresh_from_db()
    stale = _edit_data(visit, summary="Mine", version=str(visit.version - 1))
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else changed this while you were editing it" in response.content.decode()
    assert "Mine" in response.content.decode()
    visit.refresh_from_db()
    assert visit.summary == "Typed summary"
    # A row with a result but no item is a form error, typed values kept.
    bad = _edit_data(visit, **{"check-6-ok": "yes", "check-6-note": "lost note"})
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Name the item you checked." in response.content.decode()
    assert "lost note" in response.content.decode()


def test_public_visit_page_hides_the_checklist_and_the_ngo_answers(world: Cast) -> None:
    visit = world.objects["published_visit"]
    url = reverse("funding:visit_detail", args=[visit.pk])
    public = Client().get(url).content.decode()
    assert "Занятия проходят по плану." in public
    assert "Finding 1" in public
    assert "Вести журнал посещаемости." in public
    assert 'data-testid="checklist"' not in public
    assert reverse("funding:visit_photo", args=[world.objects["published_photo"].pk]) in public
    assert "<textarea" not in public
    ngo = Client()
    ngo.force_login(world.users["ngo_admin"])
    page = ngo.get(url).content.decode()
    assert 'data-testid="checklist"' in page
    assert "Activities carried out as planned" in page
    finding = world.objects["finding"]
    empty = ngo.post(url, {"finding": finding.pk, "answer": "  ", "previous": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    answered = ngo.post(url, {"finding": finding.pk, "answer": "A second trainer", "previous": ""})
    assert answered.status_code == 302
    assert "A second trainer" in Client().get(url).content.decode()
    # The published photo is served to anyone, the draft one to nobody outside the side.
    photo = Client().get(reverse("funding:visit_photo", args=[world.objects["published_photo"].pk]))
    assert (photo.status_code, photo["Content-Type"]) == (200, "image/jpeg")
    assert b"SecretCam" not in photo.content


def test_record_a_visit_from_the_desk(world: Cast) -> None:
    client = Client()
    client.force_login(world.users["citizen"])
    contract = world.objects["contract"]
    desk = client.get(reverse("funding:visit_list")).content.decode()
    assert reverse("funding:visit_create", args=[contract.pk]) in desk
    url = reverse("funding:visit_create", args=[contract.pk])
    future = client.post(url, {"monitor_kind": "council", "visited_on": "2999-01-01"})
    assert "The date of the visit cannot be in the future." in future.content.decode()
    assert 'value="2999-01-01"' in future.content.decode()
    made = client.post(
        url, {"monitor_kind": "council", "visited_on": contract.start_date.isoformat()}
    )
    assert made.status_code == 302
    visit = MonitoringVisit.objects.get(inspector=world.users["citizen"])
    assert (visit.monitor_kind, visit.council) == ("council", world.objects["council"])
    assert made["Location"] == reverse("funding:visit_edit", args=[visit.pk])


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _visit_with_photo(cast: Cast, contract: Any, findings: int = 1) -> MonitoringVisit:
    made = m.visit(cast, contract, findings=findings)
    monitoring.visit_photo_add(
        actor=cast.users["official"], visit=made, upload=m.upload(m.jpeg_with_gps())
    )
    return monitoring.visit_publish(
        actor=cast.users["official"], visit=made, expected_version=made.version
    )


def test_lists_do_not_grow_in_queries(cast: Cast, private_media: Any) -> None:
    base = f.contract(cast)
    _visit_with_photo(cast, base)
    official = Client()
    official.force_login(cast.users["official"])
    desk = reverse("funding:visit_list")
    api = "/api/v1/monitoring-visits/"
    counts = (_count(official, desk), _count(Client(), api), _count(official, api))
    for n in (2, 3):
        _visit_with_photo(cast, m.another_contract(cast, base, n), findings=2)
    assert (MonitoringVisit.objects.count(), VisitPhoto.objects.count()) == (3, 3)
    page = official.get(desk)
    assert len(page.context["page_obj"]) == 3
    assert len(page.context["contracts"]) == 3
    results = Client().get(api).json()["results"]
    assert [len(v["photos"]) for v in results] == [1, 1, 1]
    assert (_count(official, desk), _count(Client(), api), _count(official, api)) == counts


def test_desk_filters_by_region_and_status(world: Cast) -> None:
    client = Client()
    client.force_login(world.users["official"])
    url = reverse("funding:visit_list")
    drafts = client.get(url, {"status": "draft"}).context["page_obj"]
    assert [v.pk for v in drafts] == [world.objects["draft_visit"].pk]
    aktobe = m.region("15")
    elsewhere = client.get(url, {"region": aktobe.pk})
    assert list(elsewhere.context["page_obj"]) == []
    assert list(elsewhere.context["contracts"]) == []
    bad = client.get(url, {"region": "nonsense", "status": "bogus"})
    assert len(bad.context["page_obj"]) == 2


def test_back_office_shows_visits_and_evaluations_read_only(
    world: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(world.users["platform_admin"])
    visit = world.objects["published_visit"]
    assert client.get("/en/admin/funding/monitoringvisit/").status_code == 200
    assert client.get("/en/admin/funding/evaluation/").status_code == 200
    page = client.get(f"/en/admin/funding/monitoringvisit/{visit.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Finding 1" in html
    assert 'name="summary"' not in html  # read-only
    assert 'name="findings-0-answer"' not in html
    assert client.get("/en/admin/funding/monitoringvisit/add/").status_code == 403
    # Moderation: a photo can be removed; the visit itself cannot be deleted.
    assert client.get(f"/en/admin/funding/monitoringvisit/{visit.pk}/delete/").status_code == 403
    photo = world.objects["published_photo"]
    data = {
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "1",
        "findings-0-id": str(world.objects["finding"].pk),
        "findings-0-visit": str(visit.pk),
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "1",
        "photos-0-id": str(photo.pk),
        "photos-0-visit": str(visit.pk),
        "photos-0-DELETE": "on",
    }
    stored = photo.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/admin/funding/monitoringvisit/{visit.pk}/change/", data)
    assert response.status_code == 302
    assert not VisitPhoto.objects.filter(pk=photo.pk).exists()
    assert not os.path.exists(stored)
    assert MonitoringVisit.objects.get(pk=visit.pk).summary == "Занятия проходят по плану."
