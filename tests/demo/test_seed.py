"""`ortaq seed_demo`: a login for every role, and seeding twice changes nothing (people,
organisations, funding, projects and their private files)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from ortaq.accounts.models import Membership, Organisation, User
from ortaq.demo.world import DEMO_PASSWORD
from ortaq.funding.models import (
    Application,
    Competition,
    Contract,
    Evaluation,
    MonitoringVisit,
    Programme,
    Report,
    ReportStatusChange,
    Tranche,
    VisitPhoto,
)
from ortaq.registry.models import NgoProfile, OwnershipClaim

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_a_login_per_role(demo: str) -> None:
    for email in (
        "admin@ortaq.kz",
        "citizen@ortaq.kz",
        "ngo.admin@ortaq.kz",
        "ngo.member@ortaq.kz",
        "official@ortaq.kz",
        "regional.admin@ortaq.kz",
        "expert@ortaq.kz",
        "consultant@ortaq.kz",
    ):
        assert email in demo
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in demo
    assert demo.count("citizen@ortaq.kz") == 1


def _counts() -> dict[str, int]:
    models = (
        User,
        Organisation,
        Membership,
        NgoProfile,
        OwnershipClaim,
        Programme,
        Competition,
        Application,
        Contract,
        Report,
        Tranche,
        ReportStatusChange,
        MonitoringVisit,
        VisitPhoto,
        Evaluation,
    )
    return {model.__name__: model.objects.count() for model in models}


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_seeding_twice_changes_nothing(demo: str, demo_media: Path) -> None:
    counts, files = _counts(), _files(demo_media)
    assert files  # evidence and photos were written
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts
    assert _files(demo_media) == files
