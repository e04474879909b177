"""An import applies the rules of the single-NGO pages: a row matching an existing NGO is
refused when the importer may not change that NGO (another region's NGO), and a status
change follows the same steps as the status page. One refused row stops the whole file."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ortaq.accounts.models import Organisation
from ortaq.lib.identifiers import make_bin
from ortaq.registry import imports, report_services
from ortaq.registry.enums import NgoStatus, Verification
from ortaq.registry.models import ImportJob, NgoProfile, NgoStatusChange
from tests.access import Cast

from .factories import NgoProfileFactory
from .test_import import row

pytestmark = pytest.mark.django_db

NEW_BIN = make_bin(2019, 5, 71001)


def _upload(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    imports.write_table(rows, buffer, "csv")
    return SimpleUploadedFile("ngos.csv", buffer.getvalue(), content_type="text/csv")


def _import_as(actor: Any, rows: list[dict[str, str]]) -> report_services.ImportResult:
    return report_services.ngos_import(
        actor=actor, rows=rows, allowed_regions=report_services._import_regions(actor)
    )


def _state(ngo: NgoProfile) -> tuple[Any, ...]:
    ngo.refresh_from_db()
    org = Organisation.objects.get(pk=ngo.organisation_id)
    return (org.name_ru, org.region_id, ngo.status, ngo.version, org.version)


@pytest.fixture
def kyzylorda_ngo(cast: Cast) -> NgoProfile:
    """A verified Kyzylorda NGO (the regional_admin's region)."""
    return NgoProfileFactory(
        organisation=cast.objects["own_ngo"], verification=Verification.VERIFIED
    )


@pytest.fixture
def aktobe_ngo(cast: Cast) -> NgoProfile:
    """A verified Aktobe NGO (the other_regional_admin's region)."""
    return NgoProfileFactory(
        organisation=cast.objects["other_ngo"], verification=Verification.VERIFIED
    )


def test_another_regions_admin_cannot_take_over_an_ngo_by_its_bin(
    cast: Cast,
    client: Client,
    kyzylorda_ngo: NgoProfile,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The attack: Aktobe's administrator uploads a row with Aktobe's region code and the BIN
    of a verified Kyzylorda NGO, renaming it and marking it liquidated."""
    before = _state(kyzylorda_ngo)
    rows = [
        row(NEW_BIN, region="15", name_ru="Новая организация"),
        row(
            kyzylorda_ngo.organisation.bin,
            region="15",
            name_ru="Захваченная организация",
            status="liquidated",
        ),
    ]
    client.force_login(cast.users["other_regional_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/ngos/import/", {"file": _upload(rows)})
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors == [
        {
            "line": 3,
            "column": "bin",
            "message": (
                f"BIN {kyzylorda_ngo.organisation.bin} belongs to an NGO you may not change: "
                "only its region's administrator can update it."
            ),
        }
    ]
    assert _state(kyzylorda_ngo) == before
    assert not Organisation.objects.filter(bin=NEW_BIN).exists()  # nothing applied half-way
    assert list(kyzylorda_ngo.status_changes.values_list("to_status", flat=True)) == []


def test_an_organisation_of_another_region_without_a_profile_is_refused(cast: Cast) -> None:
    org = cast.objects["own_ngo"]  # Kyzylorda, no registry profile yet
    result = _import_as(cast.users["other_regional_admin"], [row(org.bin, region="15")])
    assert [(e.line, e.column) for e in result.errors] == [(2, "bin")]
    assert not NgoProfile.objects.filter(organisation=org).exists()
    assert Organisation.objects.get(pk=org.pk).region.code == "43"


def test_a_regional_admin_still_updates_his_own_regions_ngo(
    cast: Cast, aktobe_ngo: NgoProfile
) -> None:
    rows = [
        row(
            aktobe_ngo.organisation.bin,
            region="15",
            name_ru="Обновлённое название",
            status="suspended",
        )
    ]
    result = _import_as(cast.users["other_regional_admin"], rows)
    assert (result.errors, result.updated) == ([], 1)
    aktobe_ngo.refresh_from_db()
    org = Organisation.objects.get(pk=aktobe_ngo.organisation_id)
    assert (org.name_ru, org.region.code, aktobe_ngo.status) == (
        "Обновлённое название",
        "15",
        "suspended",
    )


def test_a_platform_admins_import_updates_any_region(cast: Cast, kyzylorda_ngo: NgoProfile) -> None:
    rows = [row(kyzylorda_ngo.organisation.bin, region="43", name_ru="Новое имя")]
    result = _import_as(cast.users["platform_admin"], rows)
    assert (result.errors, result.updated) == ([], 1)
    assert Organisation.objects.get(pk=kyzylorda_ngo.organisation_id).name_ru == "Новое имя"


def test_an_import_cannot_jump_from_active_to_liquidated(
    cast: Cast, kyzylorda_ngo: NgoProfile
) -> None:
    """The status page refuses active → liquidated (liquidation comes first); so does a file,
    whoever imports it."""
    before = _state(kyzylorda_ngo)
    rows = [row(kyzylorda_ngo.organisation.bin, region="43", status="liquidated")]
    for actor in (cast.users["regional_admin"], cast.users["platform_admin"], None):
        result = _import_as(actor, rows)
        assert [(e.line, e.column, e.message) for e in result.errors] == [
            (2, "status", "An NGO cannot go from “Active” to “Liquidated”.")
        ]
    assert _state(kyzylorda_ngo) == before


def test_an_import_liquidates_an_ngo_in_liquidation(cast: Cast, kyzylorda_ngo: NgoProfile) -> None:
    kyzylorda_ngo.status = NgoStatus.IN_LIQUIDATION
    kyzylorda_ngo.save(update_fields=["status"])
    rows = [row(kyzylorda_ngo.organisation.bin, region="43", status="liquidated")]
    result = _import_as(cast.users["regional_admin"], rows)
    assert result.errors == []
    kyzylorda_ngo.refresh_from_db()
    assert kyzylorda_ngo.status == "liquidated"
    assert list(
        NgoStatusChange.objects.filter(ngo=kyzylorda_ngo).values_list("from_status", "to_status")
    ) == [("in_liquidation", "liquidated")]


def test_a_regional_admin_cannot_move_his_ngo_to_another_region(
    cast: Cast, kyzylorda_ngo: NgoProfile
) -> None:
    before = _state(kyzylorda_ngo)
    rows = [row(kyzylorda_ngo.organisation.bin, region="15")]
    result = _import_as(cast.users["regional_admin"], rows)
    assert [(e.line, e.column) for e in result.errors] == [(2, "region")]
    assert _state(kyzylorda_ngo) == before


def test_the_refusal_is_in_the_importers_language(
    cast: Cast, kyzylorda_ngo: NgoProfile, settings: Any
) -> None:
    from django.utils import translation

    rows = [row(kyzylorda_ngo.organisation.bin, region="15")]
    for language, word in (("ru", "БИН"), ("kk", "БСН")):
        with translation.override(language):
            result = _import_as(cast.users["other_regional_admin"], rows)
        assert word in result.errors[0].message, language


@pytest.mark.parametrize("gone", ["deleted", "deactivated"])
def test_a_waiting_file_of_an_uploader_who_is_gone_imports_nothing(
    cast: Cast, client: Client, kyzylorda_ngo: NgoProfile, gone: str
) -> None:
    """A job runs with its uploader's rights; without him it must not run with everyone's."""
    uploader = cast.users["other_regional_admin"]
    client.force_login(uploader)
    client.post("/en/ngos/import/", {"file": _upload([row(NEW_BIN, region="15")])})
    job = ImportJob.objects.get()  # waiting: the on_commit callbacks were not run
    if gone == "deleted":
        uploader.delete()
    else:
        uploader.is_active = False
        uploader.save(update_fields=["is_active"])
    job = report_services.import_job_run(job_id=job.pk)
    assert (job.status, job.errors) == (
        "failed",
        [
            {
                "line": 0,
                "column": "",
                "message": "The person who uploaded this file can no longer import NGOs.",
            }
        ],
    )
    assert not Organisation.objects.filter(bin=NEW_BIN).exists()
