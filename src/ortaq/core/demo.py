"""Demo data: a small believable world that each app extends with a `demo.py` of its own.

Every app of Ortaq may have a module `<app>.demo` with a function `seed(world: DemoWorld)`;
`ortaq seed_demo` calls them in the order of INSTALLED_APPS, so later modules find the
organisations and people of earlier ones. Each seed is idempotent: it looks rows up by a
natural key (e-mail, BIN, code) before creating them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

DEMO_PASSWORD = "Ortaq-demo-2026"


@dataclass
class DemoWorld:
    scale: str = "small"
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role, e-mail)
    objects: dict[str, Any] = field(default_factory=dict)  # shared between app seeds
    log: list[str] = field(default_factory=list)

    def login(self, role: str, email: str) -> None:
        if (role, email) not in self.logins:
            self.logins.append((role, email))


def seed_all(*, scale: str = "small") -> DemoWorld:
    world = DemoWorld(scale=scale)
    for config in apps.get_app_configs():
        if not config.name.startswith("ortaq."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        seed = getattr(module, "seed", None)
        if seed is not None:
            with transaction.atomic():
                seed(world)
    return world
