from __future__ import annotations

import pytest
from django.core.management import call_command

from ortaq.accounts.models import Membership, Organisation, User
from ortaq.demo.world import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_a_login_per_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    first = capsys.readouterr().out
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts
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
        assert email in first
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in first
    assert first.count("citizen@ortaq.kz") == 1
