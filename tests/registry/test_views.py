"""The directory, exports, NGO pages, forms and the API as people meet them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ortaq.reference.models import ActivityArea
from ortaq.registry.enums import ReportStatus
from ortaq.registry.models import NgoProfile
from tests.access import Cast
from tests.factories import OrganisationFactory, UserFactory, region

from .factories import AnnualReportFactory, NgoProfileFactory, OwnershipClaimFactory

pytestmark = pytest.mark.django_db
BAD_BIN_RU = "Это недействительный БИН: проверьте 12 цифр."


def _ngos(n: int) -> list[NgoProfile]:
    areas = list(ActivityArea.objects.all()[:2])
    return [NgoProfileFactory(areas=areas) for _ in range(n)]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/en/ngos/", None),
        ("/en/ngos/?q=организация&sort=-registration_year", None),
        ("/api/v1/ngos/", None),
        ("/api/v1/ngos/?q=организация&region=43", None),
    ],
)
def test_directory_and_api_list_queries_do_not_grow(url: str, role: str | None) -> None:
    client = Client()
    _ngos(1)
    one = _queries(client, url)
    _ngos(2)
    three = _queries(client, url)
    assert one == three


def test_queue_and_my_claims_queries_do_not_grow(ngo_cast: Cast) -> None:
    admin, claimant = Client(), Client()
    admin.force_login(ngo_cast.users["regional_admin"])
    person = ngo_cast.objects["claimant"]
    claimant.force_login(person)
    queue, mine = reverse("registry:claim_queue"), reverse("registry:my_claims")
    one = (_queries(admin, queue), _queries(claimant, mine))
    for _ in range(2):
        OwnershipClaimFactory(user=person, ngo=NgoProfileFactory())
    assert (_queries(admin, queue), _queries(claimant, mine)) == one
    assert len(claimant.get(mine).context["claims"]) == 3
    assert len(admin.get(queue).context["claims"]) == 3


def test_directory_counts_filters_and_renders_the_partial_for_htmx() -> None:
    youth = NgoProfileFactory(is_youth=True)
    NgoProfileFactory(is_youth=False, organisation=OrganisationFactory(region=region("15")))
    client = Client()
    page = client.get("/en/ngos/")
    assert page.context["total"] == 2
    assert "2 NGOs found" in page.content.decode()
    filtered = client.get("/en/ngos/?flag=youth", headers={"HX-Request": "true"})
    assert list(filtered.context["ngos"]) == [youth]
    assert "1 NGO found" in filtered.content.decode()
    assert "<html" not in filtered.content.decode()
    assert "/en/ngos/export/csv/?flag=youth" in filtered.content.decode()


def test_csv_export_is_the_filtered_list_with_a_bom() -> None:
    youth = NgoProfileFactory(is_youth=True)
    NgoProfileFactory(is_youth=False)
    response = Client().get("/en/ngos/export/csv/?flag=youth")
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeffBIN,Name (Kazakh),Name (Russian)")
    lines = body.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(youth.organisation.bin + ",")


def test_xlsx_export_is_the_filtered_list() -> None:
    ngo = NgoProfileFactory(is_disability=True)
    NgoProfileFactory()
    response = Client().get("/ru/ngos/export/xlsx/?flag=disability")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "БИН" or rows[0][0] == "BIN"
    assert [r[0] for r in rows[1:]] == [ngo.organisation.bin]
    assert Client().get("/en/ngos/export/json/").status_code == 404


def test_ngo_page_shows_the_whole_activity(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    AnnualReportFactory(
        ngo=ngo, year=2024, status=ReportStatus.ACCEPTED, submitted_at="2025-03-01T10:00Z"
    )
    AnnualReportFactory(ngo=ngo, year=2025, status=ReportStatus.DRAFT)
    client = Client()
    response = client.get(reverse("registry:detail", args=[ngo.pk]))
    html = response.content.decode()
    assert [r.year for r in response.context["reports"]] == [2024]
    assert [(p.key, p.items) for p in response.context["panels"]] == [
        ("funding", []),
        ("councils", []),
    ]
    assert "No published awards of state social order, grants or prizes yet." in html
    assert "The NGO has no representative in the current composition of any council." in html
    assert "Edit" not in html
    assert "Change status" not in html
    by_bin = client.get(reverse("registry:detail_by_bin", args=[ngo.organisation.bin]))
    assert by_bin.context["ngo"] == ngo
    assert client.get(reverse("registry:detail_by_bin", args=["123"])).status_code == 404
    client.force_login(ngo_cast.users["ngo_admin"])
    assert ">Edit<" in client.get(
        reverse("registry:detail", args=[ngo.pk])
    ).content.decode().replace('<i class="bi bi-pencil" aria-hidden="true"></i> ', "")
    client.force_login(ngo_cast.users["regional_admin"])
    assert "Change status" in client.get(reverse("registry:detail", args=[ngo.pk])).content.decode()


def test_edit_with_bad_input_keeps_what_was_typed(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    client = Client()
    client.force_login(ngo_cast.users["ngo_admin"])
    response = client.post(
        reverse("registry:edit", args=[ngo.pk]),
        {
            "name_kk": "",
            "name_ru": "Новое имя",
            "description_ru": "Мой длинный текст",
            "legal_form": ngo.legal_form_id,
            "settlement": "urban",
            "registration_year": 2015,
            "district_kato": "12",
            "version": ngo.version,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name_kk", "district_kato"}
    assert "Мой длинный текст" in response.content.decode()


def test_concurrent_edit_shows_a_conflict_and_keeps_the_users_text(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    client = Client()
    client.force_login(ngo_cast.users["ngo_admin"])
    data = {
        "name_kk": ngo.organisation.name_kk,
        "name_ru": ngo.organisation.name_ru,
        "legal_form": ngo.legal_form_id,
        "settlement": "urban",
        "registration_year": 2015,
        "version": ngo.version,
    }
    first = client.post(reverse("registry:edit", args=[ngo.pk]), {**data, "phone": "111"})
    assert first.status_code == 302
    second = client.post(
        reverse("registry:edit", args=[ngo.pk]), {**data, "phone": "222", "address": "Мой адрес"}
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert 'value="Мой адрес"' in html
    assert 'value="222"' in html
    assert [(str(i["label"]), i["saved"]) for i in second.context["conflict"]] == [
        ("Address", ""),
        ("Phone", "111"),
    ]
    assert NgoProfile.objects.get(pk=ngo.pk).phone == "111"
    third = client.post(
        reverse("registry:edit", args=[ngo.pk]),
        {**data, "phone": "222", "version": second.context["form"]["version"].value()},
    )
    assert third.status_code == 302
    assert NgoProfile.objects.get(pk=ngo.pk).phone == "222"


def test_claim_page_reports_bad_bins_in_the_users_language(ngo_cast: Cast) -> None:
    client = Client()
    client.force_login(UserFactory())
    response = client.post("/ru/ngos/claim/", {"bin": "940140000386", "position": "Директор"})
    assert response.status_code == 200
    assert response.context["form"].errors["bin"] == [BAD_BIN_RU]
    assert 'value="Директор"' in response.content.decode()


def test_refusal_without_reason_is_refused_on_the_page(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    client = Client()
    client.force_login(ngo_cast.users["regional_admin"])
    url = reverse("registry:claim_decide", args=[claim.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.context["form"].errors["reason"] == [
        "Say why the claim is refused: the person will read it."
    ]
    client.post(url, {"decision": "refuse", "reason": "Нет протокола"})
    claimant = Client()
    claimant.force_login(claim.user)
    assert "Нет протокола" in claimant.get(reverse("registry:my_claims")).content.decode()


def test_register_page_creates_an_unverified_ngo_and_a_claim() -> None:
    from ortaq.lib.identifiers import make_bin

    client = Client()
    person = UserFactory()
    client.force_login(person)
    data: dict[str, Any] = {
        "bin": make_bin(2020, 2, 4321),
        "name_kk": "«Ақ ниет» қоры",
        "name_ru": "Фонд «Ак ниет»",
        "legal_form": "",
        "region": region("43").pk,
        "settlement": "rural",
        "registration_year": 2020,
        "position": "Директор",
    }
    bad = client.post(reverse("registry:register"), data)
    assert set(bad.context["form"].errors) == {"legal_form"}
    from ortaq.reference.models import LegalForm

    data["legal_form"] = LegalForm.objects.get(code="public_foundation").pk
    assert client.post(reverse("registry:register"), data).status_code == 302
    ngo = NgoProfile.objects.get(organisation__bin=data["bin"])
    assert ngo.verification == "unverified"
    assert list(ngo.claims.values_list("user", "kind", "status")) == [(person.pk, "new", "pending")]


def test_api_list_detail_and_bin() -> None:
    ngo = NgoProfileFactory(founders="Иванов Иван Иванович")
    client = Client()
    listing = client.get("/api/v1/ngos/?q=" + ngo.organisation.name_ru.split()[-1]).json()
    assert listing["count"] == 1
    assert listing["results"][0]["bin"] == ngo.organisation.bin
    detail = client.get(f"/api/v1/ngos/{ngo.pk}/").json()
    assert detail["org_id"] == f"KZ-BIN-{ngo.organisation.bin}"
    assert "founders" not in detail
    assert "search_text" not in detail
    assert detail["can_apply_for_funding"] is True

    def by_bin(b: str) -> Any:
        return client.get(f"/api/v1/ngos/bin/{b}/")

    assert by_bin(ngo.organisation.bin).json()["id"] == ngo.pk
    assert by_bin("123").status_code == 404
