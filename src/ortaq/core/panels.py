"""Pages of a lower app that show data of higher apps, without importing them.

Apps import downward only (docs/architecture.md, "Dependencies"). Where a page of a lower app
shows data owned by a higher one — the registry's NGO page lists the NGO's awards (funding) and
council seats (councils); core's home page shows figures of reference and accounts — the higher
app registers what it contributes here, in its `AppConfig.ready()`, and the page asks this
module. The registries hold plain callables and template names, so this module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class NgoPanelSpec:
    """What an app adds to the NGO page: `selector(ngo)` gives the items `template` shows."""

    key: str
    selector: Callable[[Any], Any]
    template: str
    order: int


@dataclass(frozen=True)
class Panel:
    """One panel of a page, ready to render: `{% include panel.template with items=... %}`."""

    key: str
    template: str
    items: Any


_ngo_panels: dict[str, NgoPanelSpec] = {}
_home_figures: dict[str, Callable[[], Mapping[str, int]]] = {}


def register_ngo_panel(
    key: str, *, selector: Callable[[Any], Any], template: str, order: int
) -> None:
    """Add a panel to the NGO page. Registering the same panel again changes nothing; another
    panel under a taken key is a configuration error, not a silent replacement."""
    spec = NgoPanelSpec(key=key, selector=selector, template=template, order=order)
    existing = _ngo_panels.get(key)
    if existing is not None and existing != spec:
        raise ImproperlyConfigured(f"NGO panel {key!r} is already registered: {existing}")
    _ngo_panels[key] = spec


def ngo_panels(ngo: Any) -> list[Panel]:
    """The panels of the NGO page, by their order (then key), each with its items."""
    specs = sorted(_ngo_panels.values(), key=lambda spec: (spec.order, spec.key))
    return [Panel(key=s.key, template=s.template, items=s.selector(ngo)) for s in specs]


def register_home_figures(key: str, *, provider: Callable[[], Mapping[str, int]]) -> None:
    """Add figures to the home page: `provider()` gives {figure name: number}."""
    _home_figures[key] = provider


def home_figures() -> dict[str, int]:
    """Every figure of the home page; one figure given by two providers is an error."""
    figures: dict[str, int] = {}
    given_by: dict[str, str] = {}
    for key, provider in _home_figures.items():
        for name, value in provider().items():
            if name in figures:
                raise ImproperlyConfigured(
                    f"Home figure {name!r} is given by both {given_by[name]!r} and {key!r}"
                )
            figures[name] = value
            given_by[name] = key
    return figures
