"""The demo lives in ortaq/demo, built by an explicit list of steps; no app keeps demo code."""

from __future__ import annotations

import pkgutil
from pathlib import Path

from django.apps import apps

from ortaq.demo import runner


def test_no_app_keeps_demo_modules() -> None:
    found = [
        f"{config.name}.{info.name}"
        for config in apps.get_app_configs()
        if config.name.startswith("ortaq.") and config.name != "ortaq.demo"
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}.")
        if info.name.rsplit(".", 1)[-1].startswith("demo")
    ]
    assert found == []


def test_the_steps_run_in_the_order_of_the_list() -> None:
    assert [step.name for step in runner.STEPS] == [
        "accounts",
        "registry",
        "registry, national",
        "registry reports",
        "councils",
        "councils, national",
        "funding competitions",
        "funding competitions, national",
        "funding projects",
        "funding projects, national",
        "funding projects, summary",
        "funding risk",
    ]
    assert [s.name for s in runner.STEPS if s.national] == [
        "registry, national",
        "councils, national",
        "funding competitions, national",
        "funding projects, national",
    ]


def test_no_app_imports_the_demo() -> None:
    source = Path(apps.get_app_config("core").path).parent
    importers = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        # settings name it in INSTALLED_APPS (for its command) and nothing more
        if path.relative_to(source).parts[0] not in ("demo", "settings")
        and "ortaq.demo" in path.read_text(encoding="utf-8")
    ]
    assert importers == []
