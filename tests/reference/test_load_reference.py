from __future__ import annotations

import pytest
from django.core.management import call_command

from ortaq.reference.models import ActivityArea, LegalForm, MciRate, Region
from ortaq.reference.selectors import mci_for_year
from ortaq.reference.services import reference_load

pytestmark = pytest.mark.django_db


def test_twenty_regions_with_kato_codes_in_three_languages() -> None:
    assert Region.objects.count() == 20
    abai = Region.objects.get(code="10")
    assert (abai.kato, abai.name_kk, abai.name_ru, abai.name_en, abai.centre_ru) == (
        "100000000",
        "Абай облысы",
        "Абайская область",
        "Abai Region",
        "Семей",
    )
    assert list(Region.objects.filter(kind="city").values_list("name_en", flat=True)) == [
        "Astana",
        "Almaty",
        "Shymkent",
    ]
    assert all(r.kato == r.code + "0000000" for r in Region.objects.all())


def test_loading_twice_changes_nothing() -> None:
    report = reference_load()  # the autouse fixture loaded it once already
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0


def test_loading_restores_an_edited_row_from_the_shipped_file() -> None:
    Region.objects.filter(code="43").update(name_en="Wrong")
    report = reference_load()
    assert report.updated["regions"] == 1
    assert Region.objects.get(code="43").name_en == "Kyzylorda Region"


def test_legal_forms_areas_and_mci() -> None:
    assert LegalForm.objects.get(code="public_foundation").short_ru == "ОФ"
    assert set(LegalForm.objects.exclude(group="ngo").values_list("code", flat=True)) == {
        "party_branch",
        "trade_union",
    }
    assert ActivityArea.objects.count() == 16
    assert ActivityArea.objects.get(code="anticorruption").name_ru == "Противодействие коррупции"
    assert mci_for_year(2024) == 3692
    assert mci_for_year(2025) == 3932


def test_a_missing_mci_year_is_an_error_not_zero() -> None:
    MciRate.objects.filter(year=2025).delete()
    with pytest.raises(LookupError, match="No MCI value for 2025"):
        mci_for_year(2025)


def test_names_follow_the_active_language() -> None:
    from django.utils import translation

    region = Region.objects.get(code="39")
    with translation.override("kk"):
        assert region.name == "Қостанай облысы"
    with translation.override("ru"):
        assert region.name == "Костанайская область"
    with translation.override("en"):
        assert str(region) == "Kostanay Region"


def test_command_is_quiet_with_verbosity_zero(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_reference", verbosity=0)
    assert capsys.readouterr().out == ""
