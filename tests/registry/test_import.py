"""NGO files: every error reported with its row, nothing imported unless all rows are clean,
matching by BIN, export → import round trip, the commands and the upload page."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from ortaq.accounts.models import Organisation
from ortaq.audit.models import AuditEntry
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import ActivityArea
from ortaq.registry import imports, report_services
from ortaq.registry.models import ImportJob, NgoProfile, NgoStatusChange
from tests.access import Cast, HttpRow, assert_http_matrix

from .factories import NgoProfileFactory

pytestmark = pytest.mark.django_db

BIN_A = make_bin(2012, 3, 70001)
BIN_B = make_bin(2018, 7, 70002)
BIN_C = make_bin(2020, 1, 70003)


def row(bin_: str, **values: str) -> dict[str, str]:
    base = {
        "bin": bin_,
        "legal_form": "public_association",
        "name_kk": "«Ақниет» қоғамдық бірлестігі",
        "name_ru": "Общественное объединение «Акниет»",
        "name_en": "",
        "region": "43",
        "district": "Қазалы ауданы",
        "district_kato": "434000000",
        "settlement": "rural",
        "registration_year": "2012",
        "status": "active",
        "activity_areas": "youth;volunteering",
        "is_childrens": "0",
        "is_youth": "1",
        "email": "info@akniet.kz",
        "description_ru": "Поддержка молодёжи",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=imports.COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in imports.COLUMNS})
    return path


def clean_rows() -> list[dict[str, str]]:
    return [
        row(BIN_A),
        row(
            BIN_B,
            name_ru="Общественный фонд «Шапағат»",
            legal_form="public_foundation",
            region="75",
            settlement="urban",
            status="inactive",
            activity_areas="",
        ),
        row(
            BIN_C,
            name_ru="Филиал партии",
            legal_form="party_branch",
            region="27",
            registration_year="2020",
            is_childrens="1",
        ),
    ]


def test_bad_rows_are_all_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    wrong_digit = BIN_A[:-1] + str((int(BIN_A[-1]) + 1) % 10)
    rows = [row(BIN_A), row(wrong_digit), row(BIN_B, region="99"), row(BIN_A)]
    path = write_csv(tmp_path / "bad.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_ngos", str(path), "--no-progress", stderr=err)
    assert error.value.returncode == 1
    assert [(e.line, e.column) for e in _errors(rows)] == [(3, "bin"), (4, "region"), (5, "bin")]
    output = err.getvalue()
    for where in ("row 3 [bin]", "row 4 [region]", "row 5 [bin]"):
        assert where in output
    assert "row 2" in output.split("row 5 [bin]")[1]  # the duplicate names its first row
    assert not NgoProfile.objects.exists()
    assert not Organisation.objects.filter(bin=BIN_A).exists()


def _errors(rows: list[dict[str, str]]) -> list[imports.RowError]:
    return report_services.ngos_import(actor=None, rows=rows).errors


def test_every_kind_of_error_is_found() -> None:
    rows = [
        row(
            BIN_A,
            legal_form="llp",
            name_kk="",
            status="closed",
            registration_year="1850",
            settlement="town",
            is_youth="yes",
            activity_areas="youth;sports",
            district_kato="12",
            email="not-mail",
            website="ftp://x",
        ),
    ]
    assert sorted(e.column for e in _errors(rows)) == [
        "activity_areas",
        "district_kato",
        "email",
        "is_youth",
        "legal_form",
        "name_kk",
        "registration_year",
        "settlement",
        "status",
        "website",
    ]


def test_a_clean_file_imports_and_a_second_import_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clean.csv", clean_rows())
    out = io.StringIO()
    call_command("import_ngos", str(path), "--no-progress", stdout=out)
    assert "3 rows: 3 created, 0 updated, 0 unchanged." in out.getvalue()
    ngo = NgoProfile.objects.select_related("organisation__region").get(organisation__bin=BIN_A)
    assert (ngo.organisation.kind, ngo.organisation.level, ngo.organisation.region.code) == (
        "ngo",
        "region",
        "43",
    )
    assert (ngo.settlement, ngo.is_youth, ngo.is_childrens, ngo.district_kato) == (
        "rural",
        True,
        False,
        "434000000",
    )
    assert sorted(ngo.activity_areas.values_list("code", flat=True)) == ["volunteering", "youth"]
    assert " акниет" in ngo.search_text or "акниет" in ngo.search_text
    assert NgoStatusChange.objects.filter(ngo=ngo, to_status="active").count() == 1
    assert AuditEntry.objects.filter(action="registry.import").count() == 1
    before = list(NgoProfile.objects.order_by("pk").values_list("pk", "version", "updated_at"))

    out = io.StringIO()
    call_command("import_ngos", str(path), "--no-progress", stdout=out)
    assert "3 rows: 0 created, 0 updated, 3 unchanged." in out.getvalue()
    after = list(NgoProfile.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    assert after == before
    assert NgoStatusChange.objects.count() == 3


def test_changed_rows_are_updated(tmp_path: Path) -> None:
    report_services.ngos_import(actor=None, rows=clean_rows())
    rows = clean_rows()
    rows[0]["status"] = "suspended"
    rows[1]["activity_areas"] = "culture"
    result = report_services.ngos_import(actor=None, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    ngo = NgoProfile.objects.get(organisation__bin=BIN_A)
    assert (ngo.status, ngo.version) == ("suspended", 2)
    assert list(
        NgoStatusChange.objects.filter(ngo=ngo).values_list("from_status", "to_status")
    ) == [("", "active"), ("active", "suspended")]
    other = NgoProfile.objects.get(organisation__bin=BIN_B)
    assert list(other.activity_areas.values_list("code", flat=True)) == ["culture"]


def test_dry_run_counts_and_writes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clean.csv", clean_rows())
    out = io.StringIO()
    call_command("import_ngos", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "Check only, nothing written: 3 rows: 3 created" in out.getvalue()
    assert not NgoProfile.objects.exists()


def test_progress_is_written_to_stderr(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clean.csv", clean_rows())
    err = io.StringIO()
    import sys

    real, sys.stderr = sys.stderr, err
    try:
        call_command("import_ngos", str(path), stdout=io.StringIO())
    finally:
        sys.stderr = real
    assert "\r3/3" in err.getvalue()


def test_a_bin_of_a_state_body_is_refused(cast: Cast) -> None:
    state_bin = cast.objects["state_body"].bin
    errors = _errors([row(state_bin)])
    assert [(e.line, e.column) for e in errors] == [(2, "bin")]


def test_export_content_exactly(tmp_path: Path) -> None:
    ngo = NgoProfileFactory(
        organisation__bin=BIN_A,
        organisation__name_kk="Ақниет",
        organisation__name_ru="Акниет",
        organisation__name_en="Akniet",
        short_name_ru="Акниет",
        district="Қазалы",
        settlement="rural",
        registration_year=2012,
        is_youth=True,
        leader_name="Серікова Д.",
        description_ru="Молодёжь",
        description_kk="Жастар",
        phone="+7 724 000 00 00",
    )
    ngo.activity_areas.set(ActivityArea.objects.filter(code__in=["youth", "culture"]))
    path = tmp_path / "out.csv"
    call_command("export_ngos", str(path), stdout=io.StringIO())
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        ",".join(imports.COLUMNS),
        # A leading + would make a spreadsheet compute the phone: it is kept as text.
        f"{BIN_A},public_association,Ақниет,Акниет,Akniet,,Акниет,,43,Қазалы,,rural,,"
        "'+7 724 000 00 00,,,Серікова Д.,2012,active,culture;youth,0,1,0,0,0,Молодёжь,Жастар",
    ]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_is_a_round_trip(tmp_path: Path, suffix: str) -> None:
    report_services.ngos_import(actor=None, rows=clean_rows())
    path = tmp_path / f"all.{suffix}"
    call_command("export_ngos", str(path), stdout=io.StringIO())
    with path.open("rb") as handle:
        exported = imports.read_table(handle, path.name)
    assert [r["bin"] for r in exported] == sorted([BIN_A, BIN_B, BIN_C])
    out = io.StringIO()
    call_command("import_ngos", str(path), "--no-progress", stdout=out)
    assert "3 rows: 0 created, 0 updated, 3 unchanged." in out.getvalue()
    NgoProfile.objects.all().delete()
    Organisation.objects.filter(bin__in=[BIN_A, BIN_B, BIN_C]).delete()
    call_command("import_ngos", str(path), "--no-progress", stdout=io.StringIO())
    path2 = tmp_path / f"again.{suffix}"
    call_command("export_ngos", str(path2), stdout=io.StringIO())
    with path2.open("rb") as handle:
        assert imports.read_table(handle, path2.name) == exported


# --- The upload page -------------------------------------------------------------------------


def _upload(rows: list[dict[str, str]], name: str = "ngos.csv") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    imports.write_table(rows, buffer, "csv")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="text/csv")


def test_upload_page_imports_a_clean_file(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.users["regional_admin"])
    rows = [row(BIN_A), row(BIN_B, name_ru="Шапағат")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/ngos/import/", {"file": _upload(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/ngos/import/{job.pk}/"
    assert (job.status, job.created_count, job.total_rows, job.created_by_id) == (
        "done",
        2,
        2,
        cast.users["regional_admin"].pk,
    )
    page = client.get(f"/en/ngos/import/{job.pk}/")
    assert "Imported" in page.content.decode()
    partial = client.get(f"/en/ngos/import/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="import-progress"')
    assert "every 1s" not in partial.content.decode()  # finished: polling stops


def test_upload_page_lists_every_error(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.users["regional_admin"])
    rows = [row(BIN_A), row(BIN_B, region="99"), row(BIN_C, region="75")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/ngos/import/", {"file": _upload(rows)})
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(e["line"], e["column"]) for e in job.errors] == [(3, "region"), (4, "region")]
    assert "your own region" in job.errors[1]["message"]
    page = client.get(f"/en/ngos/import/{job.pk}/").content.decode()
    assert "2 errors: nothing was imported" in page
    assert not NgoProfile.objects.exists()


def test_running_job_polls_with_htmx(cast: Cast, client: Client) -> None:
    job = ImportJob.objects.create(
        file_name="x.csv",
        created_by=cast.users["regional_admin"],
        total_rows=10,
        processed_rows=4,
        status="running",
    )
    client.force_login(cast.users["regional_admin"])
    html = client.get(f"/en/ngos/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "4 of 10 rows" in html


def test_import_pages_access(cast: Cast) -> None:
    job = ImportJob.objects.create(file_name="x.csv", created_by=cast.users["regional_admin"])
    importers = frozenset({"regional_admin", "other_regional_admin", "platform_admin"})
    assert_http_matrix(
        cast,
        [
            HttpRow("import page", "GET", lambda c: "/en/ngos/import/", importers),
            HttpRow(
                "import job",
                "GET",
                lambda c: f"/en/ngos/import/{job.pk}/",
                frozenset({"regional_admin", "platform_admin"}),
            ),
        ],
    )


@pytest.mark.parametrize("n", [1, 3])
def test_import_list_queries_do_not_grow(
    cast: Cast, client: Client, django_assert_max_num_queries: Any, n: int
) -> None:
    for _ in range(n):
        ImportJob.objects.create(file_name="x.csv", created_by=cast.users["platform_admin"])
    client.force_login(cast.users["platform_admin"])
    client.get("/en/ngos/import/")  # warm the session and caches
    with django_assert_max_num_queries(9):
        response = client.get("/en/ngos/import/")
    assert response.content.decode().count("x.csv") == n
