"""The small demo, seeded ONCE for all the tests of this package.

Seeding the demo takes a while (every app's `demo.py`), so the tests that read it live here,
together: the package fixture seeds it inside a transaction that is rolled back when the last
test of the package is done, and each test runs inside a savepoint of its own (the `db`
fixture), so what a test writes is gone before the next one. Under pytest-xdist `make` runs
`--dist loadgroup`, and tests/conftest.py sends this package to one worker: it runs them all,
one after the other, and seeds once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation


@pytest.fixture(scope="package")
def demo_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the demo's private files (report evidence, visit photos) are written."""
    return tmp_path_factory.mktemp("demo-private")


@pytest.fixture(scope="package")
def seeded(django_db_setup: Any, django_db_blocker: Any, demo_media: Path) -> Iterator[str]:
    """What `ortaq seed_demo` printed; the demo is in the database until the package ends."""
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_MEDIA_ROOT=demo_media, LANGUAGE_CODE="en"),
        translation.override("en"),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded: str, db: Any, settings: Any, demo_media: Path) -> str:
    """The seeded demo for one test: its writes are rolled back after it."""
    settings.PRIVATE_MEDIA_ROOT = demo_media
    return seeded
