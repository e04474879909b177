"""The cast of tests/conftest.py with registry profiles and a pending ownership claim."""

from __future__ import annotations

import pytest

from ortaq.registry.enums import Verification
from tests.access import Cast
from tests.factories import UserFactory

from .factories import NgoProfileFactory, OwnershipClaimFactory


@pytest.fixture
def ngo_cast(cast: Cast) -> Cast:
    """own_profile (Kyzylorda, administered by ngo_admin), other_profile (Aktobe), and
    own_claim: a stranger's pending claim on own_profile."""
    own = NgoProfileFactory(
        organisation=cast.objects["own_ngo"], verification=Verification.UNVERIFIED
    )
    other = NgoProfileFactory(organisation=cast.objects["other_ngo"])
    claimant = UserFactory(email="claimant@example.kz")
    claim = OwnershipClaimFactory(user=claimant, ngo=own)
    cast.objects.update(
        {"own_profile": own, "other_profile": other, "own_claim": claim, "claimant": claimant}
    )
    return cast
