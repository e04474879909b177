"""The council rules page: saving works, a field that cannot change is a form error (never a
500), and whatever was typed stays in the form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ortaq.accounts.enums import OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.councils.models import Council
from tests.access import Cast

from .conftest import make_council

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _typed(council: Council, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": council.kind,
        "name_kk": council.name_kk,
        "name_ru": council.name_ru,
        "name_en": council.name_en,
        "description": council.description,
        "min_members": council.min_members,
        "max_members": council.max_members,
        "civil_share_num": council.civil_share_num,
        "civil_share_den": council.civil_share_den,
        "one_per_organisation": "on",
        "term_years": council.term_years,
        "renewal_months": council.renewal_months,
        "quorum_num": council.quorum_num,
        "quorum_den": council.quorum_den,
        "quorum_strict": "on",
        "answer_days": council.answer_days,
        "version": council.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_host_staff_save_the_council_rules_through_the_page(cast: Cast) -> None:
    council = make_council(cast.objects["state_body"])
    url = f"/en/councils/{council.pk}/edit/"
    client = _client(cast.users["official"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _typed(
            council,
            name_en="Public council of the Kyzylorda department",
            description="Meets every quarter.",
            min_members=12,
            max_members=20,
            quorum_strict=None,  # unticked
            answer_days=15,
        ),
        follow=True,
    )
    assert response.redirect_chain == [(f"/en/councils/{council.pk}/", 302)]
    assert _messages(response) == ["The council's rules are saved."]
    council.refresh_from_db()
    assert (
        council.name_en,
        council.description,
        council.min_members,
        council.max_members,
        council.quorum_strict,
        council.answer_days,
        council.kind,
        council.version,
    ) == (
        "Public council of the Kyzylorda department",
        "Meets every quarter.",
        12,
        20,
        False,
        15,
        "public",
        2,
    )


def test_changing_the_kind_is_a_form_error_that_keeps_what_was_typed(cast: Cast) -> None:
    council = make_council(cast.objects["state_body"])
    client = _client(cast.users["official"])
    response = client.post(
        f"/ru/councils/{council.pk}/edit/",
        _typed(council, kind="coordination", name_ru="Новое название совета", min_members=12),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Вид совета нельзя изменить после его создания; он остаётся «Общественный совет»."]
    }
    page = response.content.decode()
    assert 'value="Новое название совета"' in page
    assert 'name="min_members" value="12"' in page
    assert re.search(r'<option value="coordination"\s+selected', page)
    council.refresh_from_db()
    assert (council.kind, council.name_ru, council.min_members, council.version) == (
        "public",
        "Общественный совет",
        10,
        1,
    )


def test_rules_that_contradict_each_other_are_a_form_error_that_keeps_what_was_typed(
    cast: Cast,
) -> None:
    council = make_council(cast.objects["state_body"])
    client = _client(cast.users["official"])
    response = client.post(
        f"/en/councils/{council.pk}/edit/",
        _typed(council, min_members=20, max_members=12, name_en="Typed name"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "max_members": ["The maximum number of members must be at least the minimum."]
    }
    page = response.content.decode()
    assert 'name="min_members" value="20"' in page
    assert 'value="Typed name"' in page
    council.refresh_from_db()
    assert (council.min_members, council.max_members, council.version) == (10, 15, 1)


def test_a_council_whose_host_may_not_host_it_cannot_be_edited(cast: Cast) -> None:
    council = make_council(cast.objects["state_body"])
    Organisation.objects.filter(pk=cast.objects["state_body"].pk).update(kind=OrganisationKind.NGO)
    client = _client(cast.users["platform_admin"])
    response = client.post(f"/en/councils/{council.pk}/edit/", _typed(council, answer_days=5))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"“{cast.objects['state_body'].name}” (Non-governmental organisation) may not host a "
        "council of the kind “Public council”: a platform administrator must first attach the "
        "council to another organisation or change its kind."
    ]
    council.refresh_from_db()
    assert (council.answer_days, council.version) == (10, 1)
