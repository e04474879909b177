"""The risk-signal pages and API: who sees what (access matrix), the evidence laid out, the
review form, filters and query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.funding.enums import RiskKind, RiskStatus
from ortaq.funding.models import Application, RiskSignal
from ortaq.funding.risk import services
from ortaq.funding.risk.selectors import can_view_risks, risk_signals_visible_to
from tests.access import (
    ROLES,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)
from tests.factories import region

from . import risk_factories as rf

pytestmark = pytest.mark.django_db

READERS = frozenset({"official", "regional_admin", "other_regional_admin", "platform_admin"})
CONCERNED = frozenset({"official", "regional_admin", "platform_admin"})

TEXT_A = (
    "Проект обучает пожилых жителей сёл пользоваться смартфоном и порталом электронного "
    "правительства"
)
TEXT_B = "Курс обучает пожилых жителей сёл пользоваться смартфоном; занятия ведут студенты"


def _signal(
    cast: Cast, *, body: str = "state_body", code: str = "43", n: int = 1, **fields: Any
) -> RiskSignal:
    organiser = cast.objects[body]
    evidence = {
        "applications": [
            {
                "id": 100 + n,
                "title": "Цифровая грамотность",
                "description": TEXT_A,
                "programme": {"id": 0, "title": "Гранты 2024"},
                "organiser": {"id": organiser.pk, "name": organiser.name_ru},
                "competition": 1,
                "lot": {"id": 1, "number": 3},
                "region": region(code).pk,
                "year": 2024,
                "period": ["2024-01-01", "2024-12-31"],
                "period_from": "programme_year",
                "amount": 6_200_000,
            },
            {
                "id": 200 + n,
                "title": "Цифровая грамотность в сёлах",
                "description": TEXT_B,
                "programme": {"id": 0, "title": "Соцзаказ 2024"},
                "organiser": {"id": organiser.pk, "name": organiser.name_ru},
                "competition": 2,
                "lot": {"id": 2, "number": 7},
                "region": region(code).pk,
                "year": 2024,
                "period": ["2024-03-01", "2024-11-30"],
                "period_from": "contract",
                "amount": 6_300_000,
            },
        ],
        "overlap_days": 275,
        "text_similarity": 0.62,
        "texts_compared": True,
        "budget_similarity": 0.97,
        "shared_phrases": ["обучает пожилых жителей сёл пользоваться смартфоном"],
        "shared_lines": [
            {"item": "Оплата труда тренеров", "amount_a": 2_400_000, "amount_b": 2_448_000}
        ],
        "ignored_words": [],
    }
    signal = RiskSignal.objects.create(
        kind=fields.pop("kind", RiskKind.DOUBLE_FUNDING),
        fingerprint=f"test:{code}:{n}",
        region=region(code),
        year=2024,
        strength=fields.pop("strength", 0.97),
        evidence=fields.pop("evidence", evidence),
        **fields,
    )
    signal.organisers.set([organiser])
    signal.regions.set([region(code)])
    return signal


def test_permission_to_read_risks(cast: Cast) -> None:
    # The state side's, and the platform administrator's by name (he reads every signal).
    assert_permission_matrix(cast, [PermRow("funding.view_risks", None, READERS)])
    assert {role for role in ROLES if can_view_risks(cast.user(role))} == READERS


def test_visibility_by_body_and_by_region(cast: Cast) -> None:
    kyzylorda = _signal(cast)
    aktobe = _signal(cast, body="other_state_body", code="15", n=2)
    national = _signal(cast, body="fund", code="43", n=3)
    national.regions.set([])
    seen = {
        role: set(risk_signals_visible_to(user=cast.user(role)))
        for role in (
            "official",
            "regional_admin",
            "other_regional_admin",
            "platform_admin",
            "expert",
            "ngo_admin",
            "anonymous",
        )
    }
    assert seen == {
        "official": {kyzylorda},
        "regional_admin": {kyzylorda},
        "other_regional_admin": {aktobe},
        "platform_admin": {kyzylorda, aktobe, national},
        "expert": set(),
        "ngo_admin": set(),
        "anonymous": set(),
    }


def test_http_matrix_of_risk_pages_and_api(cast: Cast) -> None:
    signal = _signal(cast)

    def reopen(c: Cast) -> None:
        RiskSignal.objects.filter(pk=signal.pk).update(status="open", reviewed_at=None, note="")

    assert_http_matrix(
        cast,
        [
            HttpRow("risk list", "GET", lambda c: "/en/funding/manage/risks/", READERS),
            HttpRow(
                "risk detail",
                "GET",
                lambda c: f"/en/funding/manage/risks/{signal.pk}/",
                CONCERNED,
                status_of={"other_regional_admin": 404},
            ),
            HttpRow(
                "risk review",
                "POST",
                lambda c: f"/en/funding/manage/risks/{signal.pk}/",
                CONCERNED,
                data=lambda c: {"status": "confirmed", "note": "", "seen": ""},
                reset=reopen,
                status_of={"other_regional_admin": 404},
                ok=302,
            ),
            HttpRow("risk API list", "GET", lambda c: "/api/v1/risk-signals/", READERS),
            HttpRow(
                "risk API detail",
                "GET",
                lambda c: f"/api/v1/risk-signals/{signal.pk}/",
                CONCERNED,
                status_of={"other_regional_admin": 404},
            ),
        ],
    )


def test_detail_lays_the_evidence_out(cast: Cast) -> None:
    signal = _signal(cast)
    client = Client()
    client.force_login(cast.users["official"])
    html = client.get(f"/en/funding/manage/risks/{signal.pk}/").content.decode()
    assert "<mark>обучает пожилых жителей сёл пользоваться смартфоном</mark>" in html
    assert "The texts share 62% of their phrases" in html
    assert "the periods overlap by 275 days." in html
    assert "Оплата труда тренеров" in html
    assert html.count('<div class="col-lg-6">') == 2
    assert "Kyzylorda department" in html


def test_wholesaler_detail_lists_the_lots(cast: Cast) -> None:
    evidence = {
        "year": 2025,
        "regions": 2,
        "lots_won": 2,
        "mean_ratio": 0.55,
        "total_price": 11_000_000,
        "total_ceiling": 20_000_000,
        "lots": [
            {
                "application": 1,
                "title": "Сопровождение семей",
                "competition": 1,
                "lot": {"id": 1, "number": 4},
                "organiser": {"id": cast.objects["state_body"].pk, "name": "x"},
                "region": {"id": region(code).pk, "name": "y"},
                "ceiling": 10_000_000,
                "price": price,
                "ratio": price / 10_000_000,
            }
            for code, price in (("43", 5_000_000), ("15", 6_000_000))
        ],
    }
    signal = _signal(cast, kind=RiskKind.WHOLESALER, evidence=evidence, strength=0.45)
    client = Client()
    client.force_login(cast.users["regional_admin"])
    html = client.get(f"/en/funding/manage/risks/{signal.pk}/").content.decode()
    assert "2 lots won in 2 regions in 2025, at 55% of their ceilings on average." in html
    assert '<td class="text-end">50.0%</td>' in html
    assert '<td class="text-end">60.0%</td>' in html
    assert region("15").name in html


def test_review_form_keeps_input_and_saves(cast: Cast) -> None:
    signal = _signal(cast)
    client = Client()
    client.force_login(cast.users["official"])
    url = f"/en/funding/manage/risks/{signal.pk}/"
    response = client.post(url, {"status": "dismissed", "note": "  ", "seen": ""})
    assert response.status_code == 200
    assert "Say why the signal is dismissed." in response.content.decode()
    assert RiskSignal.objects.get().status == RiskStatus.OPEN

    # Someone reviews it in between: the second reviewer's note stays in the form.
    services.risk_review(
        actor=cast.users["regional_admin"], signal=signal, status="confirmed", note="Checked."
    )
    response = client.post(url, {"status": "dismissed", "note": "My reason", "seen": ""})
    html = response.content.decode()
    assert "Someone else reviewed this signal" in html
    assert "My reason</textarea>" in html
    assert RiskSignal.objects.get().status == RiskStatus.CONFIRMED

    seen = RiskSignal.objects.get().reviewed_at.isoformat()  # type: ignore[union-attr]
    response = client.post(url, {"status": "dismissed", "note": "Two stages", "seen": seen})
    assert response.status_code == 302
    saved = RiskSignal.objects.get()
    assert (saved.status, saved.note, saved.reviewed_by) == (
        RiskStatus.DISMISSED,
        "Two stages",
        cast.users["official"],
    )


def test_list_filters_and_counts(cast: Cast) -> None:
    _signal(cast, n=1)
    _signal(cast, n=2, kind=RiskKind.WHOLESALER, evidence={"lots": []}, status=RiskStatus.CONFIRMED)
    client = Client()
    client.force_login(cast.users["platform_admin"])
    page = client.get("/en/funding/manage/risks/?kind=wholesaler")
    assert [s.fingerprint for s in page.context["page_obj"]] == ["test:43:2"]
    assert page.context["counts"][:2] == [
        ("double_funding", "Possible double funding", 1),
        ("wholesaler", "Lots won in many regions far below the ceilings", 1),
    ]
    page = client.get("/en/funding/manage/risks/?status=open&region=43&year=2024")
    assert [s.fingerprint for s in page.context["page_obj"]] == ["test:43:1"]
    page = client.get("/en/funding/manage/risks/?region=15")
    assert list(page.context["page_obj"]) == []
    bad = client.get("/en/funding/manage/risks/?year=soon")
    assert bad.status_code == 200
    assert "Enter a whole number." in bad.content.decode()
    api = client.get("/api/v1/risk-signals/?kind=double_funding").json()
    assert [r["fingerprint"] for r in api["results"]] == ["test:43:1"]
    assert api["results"][0]["regions"] == ["43"]
    assert api["results"][0]["evidence"]["overlap_days"] == 275


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/en/funding/manage/risks/", "/api/v1/risk-signals/"])
def test_list_query_count_does_not_grow(cast: Cast, url: str) -> None:
    client = Client()
    client.force_login(cast.users["official"])
    _signal(cast, n=1)
    one = _count(client, url)
    _signal(cast, n=2)
    _signal(cast, n=3)
    assert _count(client, url) == one


def test_organiser_desk_links_to_the_risks(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["official"])
    html = client.get("/en/funding/manage/").content.decode()
    assert 'href="/en/funding/manage/risks/">Risk signals</a>' in html


def test_scanned_signal_detail_highlights_the_copied_phrases(cast: Cast) -> None:
    world = rf.ordinary_world()
    first, _second = rf.plant_duplicate(world)
    services.risk_scan(now=timezone.now() - dt.timedelta(hours=1))
    signal = RiskSignal.objects.get()
    client = Client()
    client.force_login(cast.users["platform_admin"])
    html = client.get(f"/en/funding/manage/risks/{signal.pk}/").content.decode()
    assert html.count("<mark>") >= 4
    assert "<mark>волонтёры из числа</mark>" not in html  # cut by the changed words
    assert "<mark>Цифровая грамотность для пожилых жителей</mark> сёл</h3>" in html
    assert first.title == "Цифровая грамотность для пожилых жителей сёл"
    assert "Информационная кампания в районных СМИ" in html


def test_reporting_detail_lists_the_reports_and_the_new_applications(
    cast: Cast, settings: Any
) -> None:
    settings.FUNDING_RISK_REPORT_MIN_LATE = 1  # the one late report of this world counts
    world = rf.ordinary_world()
    ngo = world.ngos["43"][0]
    funded = Application.objects.filter(ngo=ngo, lot__competition__programme__year=2024)[0]
    report = rf.late_report(funded, late_days=20)
    new = rf.sent_application(
        ngo, world.bodies["43"], world, when=dt.datetime(2025, 3, 10, 12, tzinfo=rf.TZ)
    )
    services.risk_scan(now=dt.datetime(2025, 6, 1, tzinfo=rf.TZ))
    signal = RiskSignal.objects.get(kind=RiskKind.REPORTING)
    client = Client()
    client.force_login(cast.users["regional_admin"])  # the late project was in Kyzylorda
    html = client.get(f"/en/funding/manage/risks/{signal.pk}/").content.decode()
    assert f"<td>{report.contract.number}</td>" in html
    assert '<td class="text-end">20</td>' in html
    assert f"№ {new.pk}: {new.title}" in html
