from __future__ import annotations

import pytest
from django.core.management import call_command

from ortaq.registry.models import NgoProfile
from tests.registry.factories import NgoProfileFactory

pytestmark = pytest.mark.django_db


def test_reindex_restores_the_search_stems(capsys: pytest.CaptureFixture[str]) -> None:
    ngo = NgoProfileFactory()
    expected = NgoProfile.objects.get(pk=ngo.pk).search_text
    NgoProfile.objects.filter(pk=ngo.pk).update(search_text="")
    call_command("reindex_ngos")
    assert NgoProfile.objects.get(pk=ngo.pk).search_text == expected != ""
    assert capsys.readouterr().out.strip() == "1 NGOs reindexed."
