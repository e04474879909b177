"""The funding exports (public projects, the contracts list, the statistics) hold a planted
formula as inert text, in CSV and in XLSX."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from ortaq.accounts.models import Organisation
from ortaq.funding.models import Contract
from tests.access import Cast
from tests.spreadsheets import PAYLOAD, assert_inert_csv, assert_inert_xlsx, csv_text

from . import factories as f
from . import stats_factories as sf
from .test_contracts_pages import active_contract, client_of

pytestmark = pytest.mark.django_db


def test_the_public_projects_export_holds_a_formula_as_text(cast: Cast) -> None:
    contract = f.contract(cast)
    Contract.objects.filter(pk=contract.pk).update(title=PAYLOAD)
    assert_inert_csv(csv_text(Client().get("/en/funding/projects/export/csv/")))
    assert_inert_xlsx(Client().get("/en/funding/projects/export/xlsx/").content)


def test_the_contracts_export_holds_a_formula_as_text(cast: Cast) -> None:
    contract = active_contract(cast)
    Contract.objects.filter(pk=contract.pk).update(title=PAYLOAD)
    client = client_of(cast, "official")
    assert_inert_csv(csv_text(client.get("/en/funding/manage/contracts/?export=csv")))
    assert_inert_xlsx(client.get("/en/funding/manage/contracts/?export=xlsx").content)


def test_the_statistics_export_holds_a_formula_as_text(cast: Cast) -> None:
    cache.clear()
    w = sf.world(cast)
    Organisation.objects.filter(pk=w.state_body.pk).update(name_en=PAYLOAD)
    assert_inert_csv(csv_text(Client().get("/en/stats/funding/?format=csv")))
    assert_inert_xlsx(Client().get("/en/stats/funding/?format=xlsx").content)
    cache.clear()
