"""Every CSV / XLSX the registry lets people download holds a planted formula as inert text:
the directory export, the compliance list, the statistics and the NGO file of export_ngos
(which import_ngos reads back unchanged)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ortaq.lib.identifiers import make_bin
from ortaq.registry import imports, report_services, views_reports
from tests.access import Cast
from tests.spreadsheets import PAYLOAD, assert_inert_csv, assert_inert_xlsx, csv_text

from .factories import NgoProfileFactory
from .test_import import row

pytestmark = pytest.mark.django_db

NGO_BIN = make_bin(2013, 6, 73001)


def _planted_ngo() -> Any:
    return NgoProfileFactory(
        address=PAYLOAD,
        organisation__name_kk=PAYLOAD,
        organisation__name_ru=PAYLOAD,
        organisation__name_en=PAYLOAD,
    )


def test_the_directory_export_holds_a_formula_as_text() -> None:
    _planted_ngo()
    assert_inert_csv(csv_text(Client().get("/en/ngos/export/csv/")))
    assert_inert_xlsx(Client().get("/en/ngos/export/xlsx/").content)


def test_the_compliance_csv_holds_a_formula_as_text(cast: Cast, client: Client) -> None:
    _planted_ngo()
    client.force_login(cast.users["regional_admin"])
    assert_inert_csv(csv_text(client.get("/en/ngos/reports/compliance/?format=csv")))


def test_the_statistics_csv_holds_a_formula_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views_reports, "_stats_rows", lambda stats: [["43", PAYLOAD, 1, -1]])
    text = csv_text(Client().get("/en/stats/ngos/?format=csv"))
    assert_inert_csv(text)
    quoted = "'" + PAYLOAD.replace('"', '""')
    assert text.splitlines()[-1] == f'43,"{quoted}",1,-1'  # numbers stay numbers


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_ngo_file_holds_a_formula_as_text_and_imports_back(tmp_path: Path, suffix: str) -> None:
    report_services.ngos_import(
        actor=None, rows=[row(NGO_BIN, address=PAYLOAD, phone="+7 724 000 00 00")]
    )
    path = tmp_path / f"ngos.{suffix}"
    call_command("export_ngos", str(path), stdout=io.StringIO())
    if suffix == "csv":
        assert_inert_csv(path.read_text(encoding="utf-8"))
    else:
        assert_inert_xlsx(path.read_bytes())
    with path.open("rb") as handle:
        (read,) = imports.read_table(handle, path.name)
    assert (read["address"], read["phone"]) == (PAYLOAD, "+7 724 000 00 00")
    out = io.StringIO()
    call_command("import_ngos", str(path), "--no-progress", stdout=out)
    assert "1 rows: 0 created, 0 updated, 1 unchanged." in out.getvalue()
