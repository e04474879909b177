"""Pages of a lower app show data of higher apps through registries filled in `ready()`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from ortaq.core import panels
from tests.access import Cast
from tests.registry.factories import NgoProfileFactory


@pytest.fixture
def empty_registries() -> Iterator[None]:
    """Run with empty registries and put the apps' registrations back afterwards."""
    saved = (dict(panels._ngo_panels), dict(panels._home_figures))
    panels._ngo_panels.clear()
    panels._home_figures.clear()
    yield
    panels._ngo_panels.clear()
    panels._home_figures.clear()
    panels._ngo_panels.update(saved[0])
    panels._home_figures.update(saved[1])


def _names(ngo: Any) -> list[str]:
    return [ngo.name]


def _other_names(ngo: Any) -> list[str]:
    return ["other"]


class _Ngo:
    name = "Tabigat"


@pytest.mark.django_db
def test_the_ngo_page_gets_funding_then_councils_from_their_apps(cast: Cast) -> None:
    ngo = NgoProfileFactory(organisation=cast.objects["own_ngo"])
    got = panels.ngo_panels(ngo)
    assert [(p.key, p.template, p.items) for p in got] == [
        ("funding", "funding/ngo_panel.html", []),
        ("councils", "councils/ngo_panel.html", []),
    ]


@pytest.mark.usefixtures("empty_registries")
def test_ngo_panels_come_in_their_order_then_by_key() -> None:
    panels.register_ngo_panel("b", selector=_names, template="b.html", order=20)
    panels.register_ngo_panel("c", selector=_other_names, template="c.html", order=10)
    panels.register_ngo_panel("a", selector=_names, template="a.html", order=20)
    got = panels.ngo_panels(_Ngo())
    assert [(p.key, p.template, p.items) for p in got] == [
        ("c", "c.html", ["other"]),
        ("a", "a.html", ["Tabigat"]),
        ("b", "b.html", ["Tabigat"]),
    ]


@pytest.mark.usefixtures("empty_registries")
def test_registering_the_same_ngo_panel_twice_changes_nothing() -> None:
    panels.register_ngo_panel("a", selector=_names, template="a.html", order=10)
    panels.register_ngo_panel("a", selector=_names, template="a.html", order=10)
    assert [p.key for p in panels.ngo_panels(_Ngo())] == ["a"]


@pytest.mark.usefixtures("empty_registries")
def test_a_second_ngo_panel_under_a_taken_key_is_refused() -> None:
    panels.register_ngo_panel("a", selector=_names, template="a.html", order=10)
    with pytest.raises(ImproperlyConfigured, match="'a' is already registered"):
        panels.register_ngo_panel("a", selector=_other_names, template="a.html", order=10)


@pytest.mark.django_db
def test_the_home_figures_come_from_reference_and_accounts() -> None:
    assert panels.home_figures() == {
        "regions": 20,
        "state_bodies": 0,
        "ngos": 0,
        "other_organisations": 0,
        "people": 0,
    }


@pytest.mark.usefixtures("empty_registries")
def test_two_providers_of_one_home_figure_are_refused() -> None:
    panels.register_home_figures("one", provider=lambda: {"people": 1})
    panels.register_home_figures("two", provider=lambda: {"people": 2})
    with pytest.raises(ImproperlyConfigured, match="'people' is given by both 'one' and 'two'"):
        panels.home_figures()
