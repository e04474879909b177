"""Search of the directory: word forms of Russian and Kazakh, and one-letter typos.

Runs on SQLite (stems + LIKE, Python typo fallback) and on PostgreSQL (full-text + trigrams).
"""

from __future__ import annotations

import pytest

from ortaq.reference.models import ActivityArea
from ortaq.registry.search import kazakh_stem, levenshtein_at_most_one, query_stems, stems
from ortaq.registry.selectors import ngo_directory_queryset
from tests.factories import OrganisationFactory, region

from .factories import NgoProfileFactory


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("жастар", "жас"),
        ("жастарға", "жас"),
        ("жастардың", "жас"),
        ("жастарымен", "жас"),
        ("балаларға", "бала"),
        ("бірлестігі", "бірлестік"),
        ("бірлестік", "бірлестік"),
        ("ауылдағы", "ауыл"),
        ("мектептегі", "мектеп"),
        ("кітабы", "кітап"),
        ("мекемесі", "мекеме"),
        ("қалада", "қала"),
        ("қоры", "қор"),
        # Never shorter than three letters.
        ("ана", "ана"),
        ("ары", "ары"),
    ],
)
def test_kazakh_stem_strips_endings_down_to_the_root(word: str, stem: str) -> None:
    assert kazakh_stem(word) == stem


def test_stems_give_russian_and_kazakh_stems_of_plain_cyrillic_words() -> None:
    assert stems("Организаций") == ["организац", "организаций"]
    assert stems("«Болашақ» жастары") == ["болашақ", "жастар", "жас"]
    assert stems("Молодёжная инициатива youth organisations") == [
        "молодежн",
        "молодежная",
        "инициатив",
        "инициатива",
        "youth",
        "organis",
    ]


def test_query_stems_group_the_alternatives_of_each_word() -> None:
    assert query_stems("жастарға организаций жастарға") == [
        ("жас",),
        ("организац", "организаций"),
    ]
    assert query_stems(" «» - ") == []


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("болашақ", "балашақ", True),
        ("болашақ", "болашак", True),
        ("болашақ", "болшақ", True),
        ("болашақ", "болашаққ", True),
        ("болашақ", "балашах", False),
        ("мейірім", "мейірім", True),
    ],
)
def test_levenshtein_at_most_one(a: str, b: str, close: bool) -> None:
    assert levenshtein_at_most_one(a, b) is close


def _ngo(name_ru: str, name_kk: str, **kwargs: object) -> object:
    organisation = OrganisationFactory(name_ru=name_ru, name_kk=name_kk, name_en="")
    return NgoProfileFactory(
        organisation=organisation, description_ru="", description_kk="", **kwargs
    )


def _search(q: str, **params: str) -> list[object]:
    return list(ngo_directory_queryset({"q": q, **params}))


@pytest.mark.django_db
def test_russian_word_form_finds_other_forms() -> None:
    found = _ngo("Ассоциация организаций инвалидов", "Мүгедектер ұйымдарының қауымдастығы")
    also = _ngo("Общественная организация «Ремесло»", "«Шебер» қоғамдық ұйымы")
    _ngo("Фонд «Мир семьи»", "«Отбасы әлемі» қоры")
    assert set(_search("организаций")) == {found, also}
    assert set(_search("организация")) == {found, also}


@pytest.mark.django_db
def test_kazakh_word_forms_find_the_lemma() -> None:
    youth = _ngo("Объединение «Болашак»", "«Болашақ» жастар бірлестігі")
    _ngo("Фонд «Мир семьи»", "«Отбасы әлемі» қоры")
    assert _search("жастарға") == [youth]
    assert _search("жастардың") == [youth]
    assert _search("жастар") == [youth]


@pytest.mark.django_db
def test_one_letter_typo_in_a_name_still_finds_it() -> None:
    bolashak = _ngo("Объединение «Болашак»", "«Болашақ» жастар бірлестігі")
    meirim = _ngo("Благотворительный фонд «Мейирим»", "«Мейірім» қайырымдылық қоры")
    assert _search("Балашақ") == [bolashak]
    assert _search("Мейирм") == [meirim]
    assert _search("Мейірім") == [meirim]


@pytest.mark.django_db
def test_search_covers_descriptions_and_activity_areas() -> None:
    ecology = _ngo(
        "Фонд «Табиғат»", "«Табиғат» қоры", areas=[ActivityArea.objects.get(code="environment")]
    )
    described = _ngo("Фонд «Дала»", "«Дала» қоры")
    described.description_ru = "Посадка деревьев в степи"
    described.save()
    from ortaq.registry.services import ngo_refresh_search_text

    ngo_refresh_search_text(ngo=described)
    assert _search("окружающей среды") == [ecology]
    assert _search("деревья") == [described]


@pytest.mark.django_db
def test_search_combines_with_filters() -> None:
    kyzylorda = _ngo("Молодёжный центр «Жастар»", "«Жастар» орталығы")
    aktobe_org = OrganisationFactory(
        region=region("15"), name_ru="Молодёжный клуб «Жастар»", name_kk="«Жастар» клубы"
    )
    aktobe = NgoProfileFactory(organisation=aktobe_org)
    assert set(_search("молодёжный")) == {kyzylorda, aktobe}
    assert _search("молодёжный", region="15") == [aktobe]
    assert _search("молодёжный", region="43") == [kyzylorda]


@pytest.mark.django_db
def test_nothing_similar_finds_nothing() -> None:
    _ngo("Объединение «Болашак»", "«Болашақ» жастар бірлестігі")
    assert _search("квантовая") == []
    assert _search("xyz") == []
