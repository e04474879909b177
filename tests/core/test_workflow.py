"""core.workflow: one transition for every workflow (checked, recorded, saved by field)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.workflow import Workflow, transition
from ortaq.registry.enums import NGO_STATUS_TRANSITIONS, NgoStatus
from ortaq.registry.models import NgoProfile, NgoStatusChange
from ortaq.registry.workflows import CLAIM_WORKFLOW, NGO_WORKFLOW
from tests.access import Cast
from tests.registry.factories import NgoProfileFactory

pytestmark = pytest.mark.django_db

# An NGO's status change also keeps the day it happened (a further column of its row).
DAY = {"changed_on": dt.date(2025, 3, 1)}


def test_a_step_writes_the_status_change_row_and_counts_a_version(cast: Cast) -> None:
    ngo = NgoProfileFactory(status=NgoStatus.ACTIVE)
    actor = cast.users["regional_admin"]
    change = transition(
        ngo,
        workflow=NGO_WORKFLOW,
        log_values=DAY,
        to=NgoStatus.SUSPENDED,
        actor=actor,
        note="Court order",
    )
    ngo.refresh_from_db()
    assert (ngo.status, ngo.version) == (NgoStatus.SUSPENDED, 2)
    assert change is not None
    row = NgoStatusChange.objects.get(pk=change.pk)
    assert (row.ngo_id, row.from_status, row.to_status, row.actor, row.note) == (
        ngo.pk,
        "active",
        "suspended",
        actor,
        "Court order",
    )
    assert row.created_at is not None


def test_a_step_saves_only_the_workflow_columns_and_the_fields_given(cast: Cast) -> None:
    ngo = NgoProfileFactory(status=NgoStatus.ACTIVE, leader_name="Before")
    NgoProfile.objects.filter(pk=ngo.pk).update(leader_name="Someone else's edit")
    ngo.phone = "+7 700 000 00 00"
    with CaptureQueriesContext(connection) as queries:
        transition(
            ngo,
            workflow=NGO_WORKFLOW,
            log_values=DAY,
            to=NgoStatus.INACTIVE,
            actor=None,
            fields=["phone"],
        )
    update = next(q["sql"] for q in queries if q["sql"].startswith("UPDATE"))
    assert "leader_name" not in update
    fresh = NgoProfile.objects.get(pk=ngo.pk)
    assert (fresh.status, fresh.phone, fresh.leader_name) == (
        NgoStatus.INACTIVE,
        "+7 700 000 00 00",
        "Someone else's edit",
    )


def test_a_step_by_nobody_or_an_anonymous_user_records_no_actor() -> None:
    ngo = NgoProfileFactory(status=NgoStatus.ACTIVE)
    transition(ngo, workflow=NGO_WORKFLOW, log_values=DAY, to=NgoStatus.INACTIVE, actor=None)
    transition(
        ngo, workflow=NGO_WORKFLOW, log_values=DAY, to=NgoStatus.ACTIVE, actor=AnonymousUser()
    )  # type: ignore[arg-type]
    assert list(ngo.status_changes.values_list("actor", flat=True)) == [None, None]


def test_a_refused_step_names_both_states_and_changes_nothing() -> None:
    ngo = NgoProfileFactory(status=NgoStatus.LIQUIDATED)
    with pytest.raises(DomainError) as refused:
        transition(ngo, workflow=NGO_WORKFLOW, log_values=DAY, to=NgoStatus.ACTIVE, actor=None)
    assert refused.value.message == "An NGO cannot go from “Liquidated” to “Active”."
    assert refused.value.field == "status"
    ngo.refresh_from_db()
    assert (ngo.status, ngo.version, ngo.status_changes.count()) == ("liquidated", 1, 0)


def test_the_refusal_is_in_the_users_language() -> None:
    ngo = NgoProfileFactory(status=NgoStatus.LIQUIDATED)
    with translation.override("ru"):
        with pytest.raises(DomainError) as refused:
            transition(ngo, workflow=NGO_WORKFLOW, log_values=DAY, to=NgoStatus.ACTIVE, actor=None)
        labels = (str(NgoStatus.LIQUIDATED.label), str(NgoStatus.ACTIVE.label))
    assert labels[0] != "Liquidated"
    assert refused.value.message == "НПО не может перейти из статуса «{}» в статус «{}».".format(
        *labels
    )


def test_the_default_refusal_and_the_declared_error_class() -> None:
    plain = Workflow(table=NGO_STATUS_TRANSITIONS, states=NgoStatus)
    with pytest.raises(DomainError) as refused:
        plain.check("liquidated", "active")
    assert refused.value.message == "The status cannot go from “Liquidated” to “Active”."
    with pytest.raises(ConflictError, match=r"^This claim has already been decided\.$"):
        CLAIM_WORKFLOW.check("verified", "refused")


def test_a_status_change_model_needs_its_foreign_key_declared() -> None:
    with pytest.raises(ValueError, match="foreign key"):
        Workflow(table=NGO_STATUS_TRANSITIONS, states=NgoStatus, log_model=NgoStatusChange)
