"""The audit log never holds or shows confidential content: a draft application's texts and
budget stay out of its entries, its page, its filters and its back office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from ortaq.audit.models import AuditEntry
from ortaq.audit.services import audit_record
from ortaq.funding.competitions import services
from ortaq.funding.enums import BudgetKind
from ortaq.funding.models import Application
from tests.access import Cast
from tests.factories import UserFactory
from tests.funding.factories import announced, first_lot, ngo_in_database

pytestmark = pytest.mark.django_db

TEXT = "CANARY-TEXT-5b1e"
BUDGET = "CANARY-BUDGET-5b1e"
AMOUNT = 4_321_987
CANARIES = (TEXT, BUDGET, str(AMOUNT), "4 321 987", "4,321,987", "4\u00a0321\u00a0987")


def _draft_through_the_services(cast: Cast) -> Application:
    admin = cast.users["ngo_admin"]
    comp = announced(cast)
    application = services.application_create(
        actor=admin,
        lot=first_lot(comp),
        ngo=ngo_in_database(cast.objects["own_ngo"]),
        title=f"{TEXT} title",
        description=f"{TEXT} description",
        target_group=f"{TEXT} group",
        team=f"{TEXT} team",
        reach=300,
    )
    application = services.application_update(
        actor=admin,
        application=application,
        expected_version=application.version,
        title=f"{TEXT} second title",
        description=f"{TEXT} second description",
    )
    services.application_set_budget(
        actor=admin,
        application=application,
        lines=[services.BudgetItem(f"{BUDGET} item", BudgetKind.PROJECT, AMOUNT)],
    )
    services.application_set_indicators(
        actor=admin,
        application=application,
        items=[services.IndicatorItem(f"{TEXT} indicator", "people", Decimal(0), Decimal(9))],
    )
    application.refresh_from_db()
    assert application.status == "draft"
    return application


def _pages(entries: list[AuditEntry]) -> list[str]:
    pages = [
        "/en/audit/",
        "/kk/audit/",
        "/en/audit/?action=funding.application",
        "/en/audit/?action=funding",
        "/en/audit/?actor=ngo-admin",
        "/en/audit/?action=funding.application.budget&actor=ngo",
        "/en/admin/audit/auditentry/",
        "/en/admin/audit/auditentry/?q=ngo-admin",
        "/en/admin/audit/auditentry/?action__exact=funding.application.update",
    ]
    pages += [f"/en/admin/audit/auditentry/{e.pk}/change/" for e in entries]
    return pages


def test_no_audit_entry_holds_a_draft_applications_texts_or_budget(cast: Cast) -> None:
    application = _draft_through_the_services(cast)
    entries = list(AuditEntry.objects.filter(object_id=str(application.pk)))
    assert {e.action for e in entries} >= {
        "funding.application.create",
        "funding.application.update",
        "funding.application.budget",
        "funding.application.indicators",
    }
    for entry in AuditEntry.objects.all():
        stored = f"{entry.object_repr} {entry.changes}"
        for canary in CANARIES:
            assert canary not in stored, (entry.action, stored)
    update = AuditEntry.objects.get(action="funding.application.update")
    # What changed is still named: the field names, never their contents.
    assert sorted(update.changes) == ["description", "title"]
    assert update.object_repr == f"application #{application.pk}"


@pytest.mark.parametrize("who", ["platform_admin", "staff"])
def test_audit_pages_and_filters_never_show_a_draft_applications_content(
    cast: Cast, who: str
) -> None:
    application = _draft_through_the_services(cast)
    # An entry written before this fix, with the texts in it, is not shown either.
    audit_record(
        actor=cast.users["ngo_admin"],
        action="funding.application.update",
        obj=application,
        changes={"title": ["old", f"{TEXT} legacy"], "requested_amount": [0, AMOUNT]},
    )
    AuditEntry.objects.create(
        actor=cast.users["ngo_admin"],
        actor_email="ngo-admin@example.kz",
        action="funding.application.budget",
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
        object_repr=f"{TEXT} legacy title",
        changes={"lines": [[f"{BUDGET} legacy", "project", AMOUNT]]},
    )
    viewer = (
        cast.users["platform_admin"]
        if who == "platform_admin"
        else UserFactory(email="staff@example.kz", is_staff=True)
    )
    client = Client()
    client.force_login(viewer)
    entries = list(AuditEntry.objects.all())
    for url in _pages(entries):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for canary in CANARIES:
            assert canary not in html, (url, canary)
    page = client.get("/en/audit/?action=funding.application.update").content.decode()
    assert "title" in page
    assert "<em>changed (confidential)</em>" in page
    kazakh = client.get("/kk/audit/?action=funding.application.update").content.decode()
    assert "<em>өзгертілді (құпия)</em>" in kazakh


def test_audit_keeps_values_of_non_confidential_objects(cast: Cast) -> None:
    org = cast.objects["own_ngo"]
    entry = audit_record(
        actor=cast.users["platform_admin"],
        action="organisation.update",
        obj=org,
        changes={"name_en": ["Own NGO", "Own NGO 2"]},
    )
    assert entry.changes == {"name_en": ["Own NGO", "Own NGO 2"]}
    assert entry.object_repr == str(org)
