"""core.locking: one optimistic lock, one parameter name, one message."""

from __future__ import annotations

import pytest
from django.utils import translation

from ortaq.core.errors import ConflictError
from ortaq.core.locking import CONFLICT_MESSAGE, bump_version, check_version, lock_for_update
from ortaq.registry.models import NgoProfile
from tests.registry.factories import NgoProfileFactory

pytestmark = pytest.mark.django_db


def test_the_version_the_user_saw_locks_and_returns_the_fresh_row() -> None:
    ngo = NgoProfileFactory()
    NgoProfile.objects.filter(pk=ngo.pk).update(leader_name="Fresh")
    locked = lock_for_update(ngo, expected_version=1)
    assert (locked.pk, locked.leader_name, locked.version) == (ngo.pk, "Fresh", 1)


def test_a_queryset_keeps_its_joins() -> None:
    ngo = NgoProfileFactory()
    locked = lock_for_update(
        NgoProfile.objects.select_related("organisation"), pk=ngo.pk, expected_version=1
    )
    assert locked.organisation.pk == ngo.organisation_id


def test_an_older_version_is_a_conflict_with_one_message() -> None:
    ngo = NgoProfileFactory()
    NgoProfile.objects.filter(pk=ngo.pk).update(version=2)
    with pytest.raises(ConflictError) as conflict:
        lock_for_update(ngo, expected_version=1)
    assert conflict.value.message == CONFLICT_MESSAGE
    assert str(conflict.value.message).startswith(
        "Someone else changed this while you were editing it. Nothing was saved"
    )


def test_an_unknown_version_is_a_conflict_not_a_pass() -> None:
    ngo = NgoProfileFactory()
    with pytest.raises(ConflictError):
        lock_for_update(ngo, expected_version=None)
    with pytest.raises(ConflictError):
        check_version(ngo, expected_version=0)


def test_the_conflict_message_is_translated() -> None:
    with translation.override("kk"):
        kk = str(CONFLICT_MESSAGE)
    with translation.override("ru"):
        ru = str(CONFLICT_MESSAGE)
    assert len({kk, ru, str(CONFLICT_MESSAGE)}) == 3


def test_bump_version_counts_one_more_and_names_the_field() -> None:
    ngo = NgoProfileFactory()
    assert bump_version(ngo) == ["version"]
    ngo.save(update_fields=bump_version(ngo))
    assert NgoProfile.objects.get(pk=ngo.pk).version == 3
