"""Demo data: a small believable world that each app extends with a `demo.py` of its own.

Every app of Ortaq may have a module `<app>.demo` with a function `seed(world: DemoWorld)`,
and more modules `<app>.demo_<part>` with the same function; `ortaq seed_demo` calls them in
the order of INSTALLED_APPS (within an app: `demo` first, then the parts by name), so later
modules find the organisations and people of earlier ones. Each seed is idempotent: it looks
rows up by a natural key (e-mail, BIN, code) before creating them.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction

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


def _demo_modules(app_name: str, path: str) -> list[str]:
    names = [info.name for info in pkgutil.iter_modules([path])]
    parts = sorted(name for name in names if name.startswith("demo_"))
    return [f"{app_name}.{name}" for name in (["demo"] if "demo" in names else []) + parts]


def seed_all(*, scale: str = "small") -> DemoWorld:
    world = DemoWorld(scale=scale)
    for config in apps.get_app_configs():
        if not config.name.startswith("ortaq."):
            continue
        for module_name in _demo_modules(config.name, config.path):
            seed = getattr(importlib.import_module(module_name), "seed", None)
            if seed is not None:
                with transaction.atomic():
                    seed(world)
    # Fresh statistics for the query planner after loading thousands of rows at once: without
    # them PostgreSQL plans the first queries as if the tables were empty (seconds instead of
    # milliseconds on national data) until autovacuum comes by.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world
