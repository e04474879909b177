"""OCDS output validates against the official schema and holds no confidential data; the
access matrix of the funding pages; query counts of the list pages."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
import rules
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ortaq.funding.competitions import services
from ortaq.funding.enums import AssignmentStatus
from ortaq.funding.models import Application, Assignment, Criterion
from ortaq.funding.opendata import ocds
from ortaq.lib.money import format_tenge
from tests.access import (
    SIGNED_IN,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
)
from tests.funding.factories import read_json

from . import factories as f

pytestmark = pytest.mark.django_db

ORGANISERS = frozenset({"official", "regional_admin"})


def _published(cast: Cast) -> tuple[Any, Application]:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    f.pass_deadline(comp)
    services.competition_close(actor=cast.users["official"], competition=comp)
    services.compliance_record(actor=cast.users["official"], application=application, failures=[])
    f.experts(5)
    f.register_cast_expert(cast)
    services.evaluation_start(actor=cast.users["official"], competition=comp)
    criteria = list(Criterion.objects.filter(programme=comp.programme))
    for a in application.assignments.exclude(status=AssignmentStatus.RECUSED):
        services.assignment_declare(actor=a.expert.user, assignment=a, no_conflict=True)
        services.scores_submit(
            actor=a.expert.user, assignment=a, values={c.pk: 4 for c in criteria}
        )
    decision = services.decision_compute(actor=cast.users["official"], competition=comp)
    services.decision_confirm(actor=cast.users["official"], decision=decision)
    services.decision_publish(actor=cast.users["official"], decision=decision)
    comp.refresh_from_db()
    return comp, Application.objects.get(pk=application.pk)


def test_ocds_packages_validate_and_keep_scores_out(cast: Cast, client: Client) -> None:
    comp, _application = _published(cast)
    f.announced(cast)  # a second, still open competition
    releases = read_json(client.get("/opendata/ocds/releases.json"))
    records = read_json(client.get("/opendata/ocds/records.json"))
    assert ocds.validation_errors(releases) == []
    assert ocds.validation_errors(records, kind="record") == []
    tags = [r["tag"] for r in releases["releases"]]
    assert tags == [["tender"], ["award"], ["tender"]]
    award = releases["releases"][1]
    bin_ = cast.objects["own_ngo"].bin
    assert award["awards"][0]["suppliers"] == [
        {"id": f"KZ-BIN-{bin_}", "name": cast.objects["own_ngo"].name_ru}
    ]
    assert award["awards"][0]["value"] == {"amount": 5_000_000, "currency": "KZT"}
    assert award["tender"]["numberOfTenderers"] == 1
    text = json.dumps(releases, ensure_ascii=False)
    for secret in ("Тренинги", "Проект для молодёжи", "score", cast.users["expert"].email):
        assert secret not in text
    one = client.get(f"/opendata/ocds/competitions/{comp.pk}/records.json").json()
    assert [r["ocid"] for r in one["records"]] == [ocds.ocid(comp)]


def test_open_competition_names_no_applicant(cast: Cast) -> None:
    comp = f.announced(cast)
    f.submitted(cast, comp)
    package = ocds.release_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package) == []
    assert "tenderers" not in package["releases"][0]["tender"]


def test_export_command_writes_a_valid_package(cast: Cast, tmp_path: Any) -> None:
    _published(cast)
    path = tmp_path / "ocds.json"
    call_command("export_ocds", output=str(path), validate=True, stdout=io.StringIO())
    package = json.loads(path.read_text(encoding="utf-8"))
    assert ocds.validation_errors(package) == []
    assert len(package["releases"]) == 2


def test_permission_matrix(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    draft = f.competition(cast)
    cast.objects.update({"competition": comp, "draft": draft, "application": application})
    _assert_rules(
        cast,
        [
            PermRow("funding.view_competition", "competition", frozenset(EVERYONE_ROLES)),
            PermRow("funding.view_competition", "draft", ORGANISERS),
            PermRow("funding.manage_competition", "competition", ORGANISERS),
            # An NGO never sees another NGO's application; the organiser sees sent ones.
            PermRow(
                "funding.view_application",
                "application",
                frozenset({"ngo_member", "ngo_admin", *ORGANISERS}),
            ),
            PermRow("funding.change_application", "application", frozenset({"ngo_admin"})),
            PermRow("funding.view_scores", "application", ORGANISERS),
        ],
    )


def _assert_rules(cast: Cast, rows: list[PermRow]) -> None:
    """The rules themselves (as the views ask them): no superuser bypass for funding."""
    mismatches = []
    for row in rows:
        obj = cast.objects[row.target] if row.target else None
        for role in EVERYONE_ROLES:
            actual = rules.has_perm(row.perm, cast.user(role), obj)
            if actual != (role in row.allowed):
                mismatches.append(f"{row.perm} on {row.target} as {role}: got {actual}")
    assert not mismatches, "\n".join(mismatches)


EVERYONE_ROLES = (
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "outsider_ngo_admin",
    "official",
    "regional_admin",
    "other_regional_admin",
    "expert",
    "consultant",
    "platform_admin",
)


def test_expert_sees_only_what_he_is_assigned_after_declaring(cast: Cast) -> None:
    _comp, application = _published(cast)
    mine = Assignment.objects.filter(expert__user=cast.users["expert"]).first()
    # The cast's expert is in the register; whether drawn or not, only a declared assignment
    # opens the application to him.
    expert = cast.user("expert")
    assert expert.has_perm("funding.view_application", application) == (
        mine is not None and mine.status in ("declared", "submitted")
    )
    assert not expert.has_perm("funding.view_scores", application)


def test_http_matrix_of_application_pages(cast: Cast, settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.attachment_add(
        actor=cast.users["ngo_admin"],
        application=application,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "draft application",
                "GET",
                lambda c: f"/en/funding/applications/{application.pk}/",
                frozenset({"ngo_member", "ngo_admin"}),
            ),
            HttpRow(
                "edit draft",
                "GET",
                lambda c: f"/en/funding/applications/{application.pk}/edit/",
                frozenset({"ngo_admin"}),
            ),
            HttpRow(
                "private attachment",
                "GET",
                lambda c: f"/en/funding/attachments/{attachment.pk}/",
                frozenset({"ngo_member", "ngo_admin"}),
            ),
            HttpRow(
                "organiser's desk",
                "GET",
                lambda c: f"/en/funding/manage/competitions/{comp.pk}/",
                ORGANISERS,
            ),
            HttpRow(
                "organiser's application list",
                "GET",
                lambda c: f"/en/funding/manage/competitions/{comp.pk}/applications/",
                ORGANISERS,
            ),
            HttpRow("public list", "GET", lambda c: "/en/funding/", frozenset(EVERYONE_ROLES)),
            HttpRow("my applications", "GET", lambda c: "/en/funding/applications/", SIGNED_IN),
            HttpRow("inbox", "GET", lambda c: "/en/inbox/", SIGNED_IN),
        ],
    )


def test_nothing_editable_after_submission(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    client = Client()
    client.force_login(cast.users["ngo_admin"])
    response = client.post(
        f"/en/funding/applications/{application.pk}/edit/",
        {"title": "Changed", "description": "x", "region": application.region_id, "reach": 1},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Жастар орталығы"


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_competition_list_query_count_does_not_grow(cast: Cast) -> None:
    client = Client()
    f.announced(cast)
    one = _count(client, "/en/funding/")
    f.announced(cast)
    f.announced(cast)
    assert _count(client, "/en/funding/") == one


def test_organiser_application_list_query_count_does_not_grow(cast: Cast) -> None:
    comp = f.announced(cast, lots=1)
    f.submitted(cast, comp)
    client = Client()
    client.force_login(cast.users["official"])
    url = f"/en/funding/manage/competitions/{comp.pk}/applications/"
    one = _count(client, url)
    for i in range(2):
        ngo, admin = f.ngo_with_admin(cast, f"NGO {i}")
        f.submitted(cast, comp, ngo=ngo, admin=admin)
    assert _count(client, url) == one


def test_my_applications_query_count_does_not_grow(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["ngo_admin"])
    f.draft(cast, f.announced(cast))
    one = _count(client, "/en/funding/applications/")
    f.draft(cast, f.announced(cast))
    f.draft(cast, f.announced(cast))
    assert _count(client, "/en/funding/applications/") == one


def test_feed_and_calendar(cast: Cast) -> None:
    comp = f.announced(cast)
    client = Client()
    feed = client.get("/en/funding/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert comp.title_en.encode() in feed.content or comp.title_ru.encode() in feed.content
    ics = client.get("/en/funding/deadlines.ics").content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert f"UID:competition-{comp.pk}-deadline@" in ics


@pytest.mark.parametrize(
    ("role", "desk", "register"),
    [
        ("official", True, True),
        ("platform_admin", False, True),
        ("ngo_admin", False, False),
    ],
)
def test_tabs_shown_only_when_their_page_opens(
    cast: Cast, role: str, desk: bool, register: bool
) -> None:
    """The tab bar asks the same rules as the views: the platform administrator keeps the
    expert register but has no organiser's desk (it would refuse him with a 403)."""
    client = Client()
    client.force_login(cast.users[role])
    page = client.get("/en/funding/").content.decode()
    assert ('href="/en/funding/manage/">Organiser\'s desk</a>' in page) is desk
    assert ('href="/en/funding/manage/experts/">Expert register</a>' in page) is register
    assert (client.get("/en/funding/manage/").status_code == 200) is desk
    assert (client.get("/en/funding/manage/experts/").status_code == 200) is register


def test_results_page_shows_totals_and_total_scores(cast: Cast) -> None:
    comp, application = _published(cast)
    html = Client().get(f"/en/funding/competitions/{comp.pk}/results/").content.decode()
    line = application.decision_line
    assert line.funded
    assert f"1 projects funded for {format_tenge(line.amount)}." in html
    assert f'<td class="text-end">{line.total_score}</td>' in html
    assert line.total_score == Decimal("80.00")


def test_organiser_list_shows_the_total_of_each_application_on_the_page(cast: Cast) -> None:
    comp, application = _published(cast)
    client = Client()
    client.force_login(cast.users["official"])
    html = client.get(f"/en/funding/manage/competitions/{comp.pk}/applications/").content
    assert application.title in html.decode()
    assert '<td class="text-end">80.00' in html.decode()


def test_an_application_saved_without_its_version_overwrites_nothing(cast: Cast) -> None:
    """The edit page took a missing version for the current one, so a stale or hand-made
    form silently overwrote the application; it is a conflict now, the typing kept."""
    application = f.draft(cast, f.announced(cast))
    client = Client()
    client.force_login(cast.users["ngo_admin"])
    typed = {
        "title": "Чужая правка",
        "description": "x",
        "target_group": "y",
        "reach": 1,
        "region": application.region_id,
        "team": "",
        "budget-TOTAL_FORMS": 1,
        "budget-INITIAL_FORMS": 0,
        "budget-0-item": "Тренинги",
        "budget-0-kind": "project",
        "budget-0-amount": 5_000_000,
        "ind-TOTAL_FORMS": 1,
        "ind-INITIAL_FORMS": 0,
        "ind-0-name": "Участники",
        "ind-0-unit": "чел.",
        "ind-0-baseline": 0,
        "ind-0-target": 300,
    }
    response = client.post(f"/en/funding/applications/{application.pk}/edit/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert "Чужая правка" in html
    assert Application.objects.get(pk=application.pk).title == "Жастар орталығы"
