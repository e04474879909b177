"""A platform administrator is a role with explicit rights, not a Django superuser.

The superuser is a break-glass account for the back office only: its logins and back-office
requests are audited, and the public site refuses it.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ortaq.accounts.models import User
from ortaq.audit.models import AuditEntry
from ortaq.councils.models import Meeting
from ortaq.demo.accounts import seed as seed_demo_accounts
from ortaq.demo.world import DemoWorld
from ortaq.registry.enums import ClaimStatus
from tests.access import Cast
from tests.councils.conftest import make_composition, make_council
from tests.factories import UserFactory
from tests.registry.factories import AnnualReportFactory, OwnershipClaimFactory

from ..funding import factories as f

pytestmark = pytest.mark.django_db

# (permission, key of the object in `world`, or None)
ALLOWED = [
    ("accounts.view_organisation", "own_ngo"),
    ("accounts.change_organisation", "own_ngo"),
    ("accounts.manage_members", "own_ngo"),
    ("accounts.add_organisation", None),
    ("accounts.change_verified_identity", "own_ngo"),
    ("accounts.view_user", None),
    ("accounts.change_user", "citizen"),
    ("audit.view_auditentry", None),
    ("registry.change_ngoprofile", "profile"),
    ("registry.change_ngo_status", "profile"),
    ("registry.view_claim_queue", None),
    ("registry.decide_ownershipclaim", "claim"),
    ("registry.view_annualreport", "report"),
    ("registry.review_annualreport", "report"),
    ("registry.view_compliance", None),
    ("registry.import_ngos", None),
    ("registry.import_over_ngo", "profile"),
    ("registry.view_ngostatuschange", None),
    ("councils.add_council", None),
    ("councils.manage_council", "council"),
    ("councils.view_meeting", None),
    ("funding.keep_register", None),
    ("funding.view_risks", None),
    ("funding.view_expert", None),
    ("funding.change_expert", None),
    ("funding.view_application_in_back_office", None),
]
REFUSED = [
    # An NGO's own acts: its report, its applications, its contract's reports.
    ("registry.fill_annualreport", "profile"),
    ("registry.fill_annualreport", "report"),
    ("registry.change_annualreport", "report"),
    ("registry.withdraw_ownershipclaim", "claim"),
    ("funding.apply", None),
    ("funding.change_application", "application"),
    ("funding.view_application", "application"),
    ("funding.view_own_application", "application"),
    ("funding.file_report", None),
    # The organiser's and the experts' acts: checking, scoring, money.
    ("funding.check_application", "application"),
    ("funding.view_scores", "competition"),
    ("funding.work_assignment", None),
    ("funding.manage_competition", "competition"),
    ("funding.release_tranche", None),
    ("funding.propose_topic", None),
    # A council's own acts: meetings and their votes, protocols, answers.
    ("councils.record_meeting", "council"),
    ("councils.approve_protocol", "council"),
    ("councils.add_recommendation", "council"),
    ("councils.answer_recommendation", None),
    ("councils.nominate", None),
    # The back office: the break-glass account, people's inboxes, editing workflow state.
    ("accounts.change_user", "superuser"),
    ("notifications.view_notification", None),
    ("registry.change_ownershipclaim", None),
    ("councils.change_meeting", None),
    ("funding.change_application", None),
    ("funding.view_score", None),
]


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    profile = application.ngo
    return {
        "own_ngo": cast.objects["own_ngo"],
        "citizen": cast.users["citizen"],
        "superuser": UserFactory(email="glass@example.kz", is_staff=True, is_superuser=True),
        "profile": profile,
        "report": AnnualReportFactory(ngo=profile, year=2024),
        "claim": OwnershipClaimFactory(ngo=profile, status=ClaimStatus.PENDING),
        "council": make_council(cast.objects["state_body"]),
        "competition": comp,
        "application": application,
    }


def test_the_platform_admin_has_exactly_his_rights(cast: Cast, world: dict[str, Any]) -> None:
    admin = cast.user("platform_admin")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    mismatches = []
    for rows, expected in ((ALLOWED, True), (REFUSED, False)):
        for perm, key in rows:
            user = cast.user("platform_admin")
            actual = user.has_perm(perm, world[key]) if key else user.has_perm(perm)
            if actual != expected:
                mismatches.append(f"{perm} on {key or '-'}: expected {expected}, got {actual}")
    assert mismatches == []


def test_the_demo_administrator_is_staff_and_not_a_superuser(db: Any) -> None:
    world = DemoWorld()
    seed_demo_accounts(world)
    admin = User.objects.get(email="admin@ortaq.kz")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert User.objects.filter(is_superuser=True).count() == 0


# --- The back office for a platform administrator ---------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_back_office_opens_for_a_platform_admin_who_is_no_superuser(cast: Cast) -> None:
    client = _client(cast.users["platform_admin"])
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/accounts/organisation/").status_code == 200
    assert client.get("/en/admin/audit/auditentry/").status_code == 200
    index = client.get("/en/admin/").content.decode()
    assert "/en/admin/accounts/organisation/" in index
    assert "/en/admin/registry/ngoprofile/" in index
    assert "/en/admin/notifications/" not in index


def test_a_workflow_model_is_read_only_in_the_back_office(cast: Cast) -> None:
    council = make_council(cast.objects["state_body"])
    meeting = Meeting.objects.create(
        council=council,
        composition=make_composition(council),
        starts_at="2025-03-01T10:00:00+05:00",
        place="Kyzylorda",
    )
    client = _client(cast.users["platform_admin"])
    url = f"/en/admin/councils/meeting/{meeting.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="place"' not in response.content.decode()
    assert client.post(url, {"place": "Aktobe"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.place == "Kyzylorda"


def test_a_platform_admin_cannot_change_the_break_glass_account(cast: Cast) -> None:
    glass = UserFactory(email="glass@example.kz", is_staff=True, is_superuser=True)
    client = _client(cast.users["platform_admin"])
    url = f"/en/admin/accounts/user/{glass.pk}/"
    assert client.get(f"{url}change/").context["has_change_permission"] is False
    response = client.post(f"{url}password/", {"password1": "x" * 20, "password2": "x" * 20})
    assert response.status_code == 403


def test_a_platform_admin_cannot_make_anyone_a_superuser(cast: Cast) -> None:
    citizen = cast.users["citizen"]
    client = _client(cast.users["platform_admin"])
    url = f"/en/admin/accounts/user/{citizen.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="groups"' not in page.content.decode()


# --- The break-glass superuser -----------------------------------------------------------------


def test_a_superusers_login_and_back_office_requests_are_audited(db: Any) -> None:
    glass = UserFactory(email="glass@example.kz", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(glass)
    assert client.get("/en/admin/accounts/user/").status_code == 200
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "actor", "changes"))
    assert entries == [
        ("breakglass.login", glass.pk, {}),
        ("breakglass.request", glass.pk, {"method": "GET", "path": "/en/admin/accounts/user/"}),
    ]


def test_a_platform_admins_login_and_requests_are_not_break_glass(cast: Cast) -> None:
    client = _client(cast.users["platform_admin"])
    assert client.get("/en/admin/accounts/user/").status_code == 200
    assert AuditEntry.objects.filter(action__startswith="breakglass.").count() == 0


def test_the_public_site_refuses_a_superuser(db: Any) -> None:
    glass = UserFactory(email="glass@example.kz", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(glass)
    for url in ("/en/", "/en/ngos/", "/en/funding/manage/experts/", "/api/v1/organisations/"):
        response = client.get(url)
        assert response.status_code == 403, url
    response = client.get("/ru/")
    assert "только в панели администрирования" in response.content.decode()
    # The account's own pages (to log out, to set up two-factor) stay open.
    assert client.get("/en/accounts/logout/").status_code == 200


def test_breakglass_create_makes_an_audited_superuser(db: Any) -> None:
    out = StringIO()
    call_command("breakglass_create", "--email", "Glass@Example.kz", stdout=out)
    glass = User.objects.get(email="glass@example.kz")
    assert (glass.is_staff, glass.is_superuser, glass.is_active) == (True, True, True)
    password = out.getvalue().strip().splitlines()[-1]
    assert len(password) >= 24
    assert glass.check_password(password)
    entry = AuditEntry.objects.get(action="breakglass.create")
    assert (entry.actor, entry.object_id, entry.changes) == (None, str(glass.pk), {})
    with pytest.raises(CommandError, match="already exists"):
        call_command("breakglass_create", "--email", "glass@example.kz", stdout=StringIO())
    assert AuditEntry.objects.filter(action="breakglass.create").count() == 1
