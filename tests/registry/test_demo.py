"""The demo registry: NGOs in every region, a pending claim for the Kyzylorda administrator."""

from __future__ import annotations

import pytest
from django.db.models import Count

from ortaq.demo import accounts as accounts_demo
from ortaq.demo import registry as demo
from ortaq.demo.world import DemoWorld
from ortaq.reference.models import Region
from ortaq.registry.enums import ClaimStatus
from ortaq.registry.models import NgoProfile, OwnershipClaim
from ortaq.registry.selectors import claim_queue, ngo_directory_queryset
from ortaq.registry.services import ngo_reindex_all

pytestmark = pytest.mark.django_db


def _seed() -> None:
    """The accounts' and the registry's seeds, as `ortaq seed_demo` runs them."""
    world = DemoWorld()
    accounts_demo.seed(world)
    demo.seed(world)


def test_demo_fills_every_region_once_leaves_a_claim_and_reindexes() -> None:
    _seed()
    counts = dict(
        NgoProfile.objects.values_list("organisation__region__code").annotate(n=Count("id"))
    )
    assert set(counts) == set(Region.objects.filter(is_active=True).values_list("code", flat=True))
    assert all(5 <= n <= 10 for n in counts.values())
    total = NgoProfile.objects.count()
    _seed()
    assert NgoProfile.objects.count() == total

    from ortaq.accounts.models import User

    claim = OwnershipClaim.objects.get()
    assert claim.user.email == "citizen@ortaq.kz"
    assert claim.status == ClaimStatus.PENDING
    admin = User.objects.get(email="regional.admin@ortaq.kz")
    assert list(claim_queue(user=admin)) == [claim]
    assert ngo_directory_queryset({"q": "жастарға", "region": "43"}).exists()

    # The stems are recomputed for every NGO (what `reindex` does after a stemmer change).
    NgoProfile.objects.update(search_text="")
    assert not ngo_directory_queryset({"q": "дерево"}).exists()
    assert ngo_reindex_all() == total
    assert ngo_directory_queryset({"q": "дерево"}).count() >= 5
