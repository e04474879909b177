"""The demo world, built by an explicit list of steps (`ortaq seed_demo`).

Each step is a function `seed(world: DemoWorld)` of a module of this package. They run in the
order of `STEPS`, each in its own transaction, so later steps find the organisations and people
of earlier ones (through `world.objects` or by their natural keys). Steps marked `national`
run only with `--scale national`; the others run at both scales. Every step is idempotent: it
looks its rows up by a natural key (e-mail, BIN, title, code) before creating them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from ortaq.notifications.services import mail_silenced

from . import (
    accounts,
    councils,
    funding_competitions,
    funding_projects,
    funding_risk,
    registry,
    registry_reports,
)
from .national import councils as national_councils
from .national import funding as national_funding
from .national import funding_projects as national_funding_projects
from .national import registry as national_registry
from .world import DemoWorld


@dataclass(frozen=True)
class Step:
    name: str
    seed: Callable[[DemoWorld], None]
    national: bool = False  # only with --scale national


STEPS: tuple[Step, ...] = (
    Step("accounts", accounts.seed),
    Step("registry", registry.seed),
    Step("registry, national", national_registry.seed, national=True),
    Step("registry reports", registry_reports.seed),
    Step("councils", councils.seed),
    Step("councils, national", national_councils.seed, national=True),
    Step("funding competitions", funding_competitions.seed),
    Step("funding competitions, national", national_funding.seed, national=True),
    Step("funding projects", funding_projects.seed),
    Step("funding projects, national", national_funding_projects.seed, national=True),
    Step("funding projects, summary", funding_projects.summarise),
    Step("funding risk", funding_risk.seed),
)


def seed_all(*, scale: str = "small") -> DemoWorld:
    world = DemoWorld(scale=scale)
    # The services the steps call notify people (inbox rows stay) and e-mail them after the
    # commit: the demo's addresses are nobody's, and hundreds of letters would flood the
    # console of `make run`, so no e-mail leaves while seeding.
    with mail_silenced():
        for step in STEPS:
            if step.national and scale != "national":
                continue
            with transaction.atomic():
                step.seed(world)
    # Fresh statistics for the query planner after loading thousands of rows at once: without
    # them PostgreSQL plans the first queries as if the tables were empty (seconds instead of
    # milliseconds on national data) until autovacuum comes by.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world
