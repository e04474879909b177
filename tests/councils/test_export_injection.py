"""The councils' exports (recommendations, the tracker) hold a planted formula as inert
text, in CSV and in XLSX."""

from __future__ import annotations

import pytest
from django.test import Client

from ortaq.accounts.models import Organisation
from ortaq.councils.models import Recommendation
from tests.access import Cast
from tests.spreadsheets import PAYLOAD, assert_inert_csv, assert_inert_xlsx, csv_text

from .conftest import CouncilWorld
from .test_documents_exports import _recommendations

pytestmark = pytest.mark.django_db


def test_the_recommendations_export_holds_a_formula_as_text(
    world: CouncilWorld, cast: Cast
) -> None:
    first, *_others = _recommendations(world, cast)
    Recommendation.objects.filter(pk=first.pk).update(text_ru=PAYLOAD)
    assert_inert_csv(csv_text(Client().get("/en/councils/recommendations/?export=csv")))
    assert_inert_xlsx(Client().get("/en/councils/recommendations/?export=xlsx").content)


def test_the_tracker_export_holds_a_formula_as_text(world: CouncilWorld, cast: Cast) -> None:
    _recommendations(world, cast)
    Organisation.objects.filter(pk=cast.objects["state_body"].pk).update(name_en=PAYLOAD)
    assert_inert_csv(csv_text(Client().get("/en/councils/tracker/?export=csv")))
    assert_inert_xlsx(Client().get("/en/councils/tracker/?export=xlsx").content)
