"""Writes of the registry: registration, editing with optimistic locking, status, claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership, Organisation
from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import ActivityArea, LegalForm
from ortaq.registry import services
from ortaq.registry.enums import ClaimKind, ClaimStatus, NgoStatus, Verification
from ortaq.registry.models import NgoProfile, NgoStatusChange, OwnershipClaim
from ortaq.registry.selectors import ngo_can_apply
from tests.access import Cast
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db
NEW_BIN = make_bin(2019, 5, 777)


def _registration(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "bin": NEW_BIN,
        "name_kk": "«Жаңа толқын» жастар бірлестігі",
        "name_ru": "Молодёжное объединение «Новая волна»",
        "region": region("43"),
        "legal_form": LegalForm.objects.get(code="public_association"),
        "registration_year": 2019,
    }
    values.update(overrides)
    return values


def test_register_creates_an_unverified_ngo_with_history_stems_and_audit() -> None:
    actor = UserFactory()
    youth = ActivityArea.objects.get(code="youth")
    ngo = services.ngo_register(actor=actor, activity_areas=[youth], **_registration())
    assert ngo.organisation.kind == "ngo"
    assert ngo.organisation.bin == NEW_BIN
    assert ngo.verification == Verification.UNVERIFIED
    assert list(ngo.activity_areas.all()) == [youth]
    assert " жас " in ngo.search_text
    assert " волн" in ngo.search_text
    assert list(ngo.status_changes.values_list("from_status", "to_status")) == [("", "active")]
    assert set(AuditEntry.objects.filter(actor=actor).values_list("action", flat=True)) == {
        "organisation.create",
        "ngo.register",
    }
    assert ngo_can_apply(ngo) is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bin": ""}, "bin"),
        ({"bin": "940140000386"}, "bin"),
        ({"bin": "12345"}, "bin"),
        ({"name_kk": "  "}, "name_kk"),
        ({"name_ru": ""}, "name_ru"),
        ({"registration_year": 2999}, "registration_year"),
    ],
)
def test_register_refuses_bad_input(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as error:
        services.ngo_register(actor=UserFactory(), **_registration(**overrides))
    assert error.value.field == field
    assert not NgoProfile.objects.exists()


def test_register_refuses_a_duplicate_bin() -> None:
    services.ngo_register(actor=UserFactory(), **_registration())
    with pytest.raises(DomainError) as error:
        services.ngo_register(actor=UserFactory(), **_registration(name_ru="Другое"))
    assert error.value.field == "bin"
    assert str(error.value.message) == (
        "An organisation with this BIN is already registered: claim it instead."
    )
    assert Organisation.objects.filter(bin=NEW_BIN).count() == 1


def test_update_changes_names_and_profile_and_recomputes_stems(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    admin = ngo_cast.user("ngo_admin")
    health = ActivityArea.objects.get(code="health")
    updated = services.ngo_update(
        actor=admin,
        ngo=ngo,
        expected_version=ngo.version,
        name_ru="Фонд «Здоровье нации»",
        phone="+7 700 000 00 00",
        activity_areas=[health],
    )
    assert updated.version == ngo.version + 1
    assert updated.organisation.name_ru == "Фонд «Здоровье нации»"
    assert updated.phone == "+7 700 000 00 00"
    assert list(updated.activity_areas.all()) == [health]
    assert " здоров" in NgoProfile.objects.get(pk=ngo.pk).search_text
    entry = AuditEntry.objects.get(action="ngo.update")
    assert entry.changes["phone"] == ["", "+7 700 000 00 00"]
    assert entry.changes["activity_areas"] == [[], [health.pk]]
    assert entry.changes["organisation.name_ru"][1] == "Фонд «Здоровье нации»"


def test_update_from_a_stale_version_is_refused_and_keeps_the_newer_text(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    admin = ngo_cast.user("ngo_admin")
    services.ngo_update(actor=admin, ngo=ngo, expected_version=ngo.version, phone="111")
    with pytest.raises(ConflictError):
        services.ngo_update(actor=admin, ngo=ngo, expected_version=ngo.version, phone="222")
    assert NgoProfile.objects.get(pk=ngo.pk).phone == "111"


def test_update_without_change_writes_nothing(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    same = services.ngo_update(
        actor=ngo_cast.user("ngo_admin"), ngo=ngo, expected_version=ngo.version, phone=ngo.phone
    )
    assert same.version == ngo.version
    assert not AuditEntry.objects.filter(action="ngo.update").exists()


@pytest.mark.parametrize("role", ["ngo_member", "outsider_ngo_admin", "regional_admin", "citizen"])
def test_update_by_anyone_but_the_ngo_admins_is_refused(ngo_cast: Cast, role: str) -> None:
    ngo = ngo_cast.objects["own_profile"]
    with pytest.raises(PermissionDenied):
        services.ngo_update(
            actor=ngo_cast.user(role), ngo=ngo, expected_version=ngo.version, phone="1"
        )


def test_update_refuses_empty_names(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    with pytest.raises(DomainError) as error:
        services.ngo_update(
            actor=ngo_cast.user("platform_admin"),
            ngo=ngo,
            expected_version=ngo.version,
            name_kk="",
        )
    assert error.value.field == "name_kk"


def test_status_change_is_kept_in_the_history(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    day = timezone.localdate() - dt.timedelta(days=3)
    change = services.ngo_change_status(
        actor=ngo_cast.user("regional_admin"),
        ngo=ngo,
        status=NgoStatus.SUSPENDED,
        changed_on=day,
        reason="Решение суда № 12",
        expected_version=ngo.version,
    )
    ngo.refresh_from_db()
    assert (ngo.status, ngo.status_since) == (NgoStatus.SUSPENDED, day)
    assert list(
        NgoStatusChange.objects.filter(ngo=ngo).values_list(
            "from_status", "to_status", "changed_on", "note"
        )
    ) == [("active", "suspended", day, "Решение суда № 12")]
    assert change.actor == ngo_cast.users["regional_admin"]
    assert AuditEntry.objects.filter(action="ngo.change_status").count() == 1


def test_status_change_refuses_impossible_moves_and_other_regions(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.ngo_change_status(
            actor=ngo_cast.user("regional_admin"),
            ngo=ngo,
            status=NgoStatus.LIQUIDATED,
            changed_on=today,
            expected_version=ngo.version,
        )
    with pytest.raises(DomainError):
        services.ngo_change_status(
            actor=ngo_cast.user("regional_admin"),
            ngo=ngo,
            status=NgoStatus.INACTIVE,
            changed_on=today + dt.timedelta(days=1),
            expected_version=ngo.version,
        )
    with pytest.raises(PermissionDenied):
        services.ngo_change_status(
            actor=ngo_cast.user("other_regional_admin"),
            ngo=ngo,
            status=NgoStatus.INACTIVE,
            changed_on=today,
            expected_version=ngo.version,
        )
    assert not NgoStatusChange.objects.filter(ngo=ngo).exists()


def test_claim_of_a_registered_ngo_waits_for_the_regional_admin(ngo_cast: Cast) -> None:
    person = UserFactory()
    other = ngo_cast.objects["other_profile"]
    claim = services.claim_existing_ngo(
        actor=person, bin=other.organisation.bin, position="Директор", message="Протокол №1"
    )
    assert (claim.kind, claim.status, claim.ngo) == (ClaimKind.EXISTING, "pending", other)
    with pytest.raises(DomainError) as error:
        services.claim_existing_ngo(actor=person, bin=other.organisation.bin, position="Директор")
    assert error.value.field == "bin"
    assert OwnershipClaim.objects.filter(user=person).count() == 1


@pytest.mark.parametrize(
    ("bin_", "message"),
    [
        ("940140000386", "This is not a valid BIN: check the 12 digits."),
        (
            make_bin(2001, 1, 999),
            "No NGO with this BIN is in the registry: register it as a new NGO.",
        ),
    ],
)
def test_claim_with_a_wrong_bin_is_refused(bin_: str, message: str) -> None:
    with pytest.raises(DomainError) as error:
        services.claim_existing_ngo(actor=UserFactory(), bin=bin_, position="Директор")
    assert str(error.value.message) == message


def test_claim_of_a_new_ngo_registers_it_unverified() -> None:
    person = UserFactory()
    claim = services.claim_new_ngo(actor=person, position="Председатель", **_registration())
    assert claim.kind == ClaimKind.NEW
    assert claim.ngo.verification == Verification.UNVERIFIED
    assert claim.ngo.organisation.bin == NEW_BIN


def test_verification_grants_administration_and_verifies_the_ngo(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    decided = services.claim_verify(actor=ngo_cast.user("regional_admin"), claim=claim)
    assert decided.status == ClaimStatus.VERIFIED
    assert decided.decided_by == ngo_cast.users["regional_admin"]
    ngo = NgoProfile.objects.get(pk=claim.ngo_id)
    assert ngo.verification == Verification.VERIFIED
    assert ngo.verified_at is not None
    assert ngo_can_apply(ngo) is True
    membership = Membership.objects.get(user=claim.user, organisation=ngo.organisation)
    assert (membership.role, membership.position) == (Role.ADMIN, "Председатель правления")
    assert {"ngo_claim.verify", "ngo.verify", "membership.grant"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    with pytest.raises(ConflictError):
        services.claim_refuse(actor=ngo_cast.user("regional_admin"), claim=claim, reason="x")


def test_refusal_needs_a_reason_and_the_claimant_reads_it(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    admin = ngo_cast.user("regional_admin")
    with pytest.raises(DomainError) as error:
        services.claim_refuse(actor=admin, claim=claim, reason="  ")
    assert error.value.field == "reason"
    services.claim_refuse(actor=admin, claim=claim, reason="Нет протокола собрания")
    claim.refresh_from_db()
    assert (claim.status, claim.refusal_reason) == ("refused", "Нет протокола собрания")
    assert not Membership.objects.filter(user=claim.user).exists()
    assert list(claim.status_changes.values_list("from_status", "to_status", "actor", "note")) == [
        ("pending", "refused", admin.pk, "Нет протокола собрания")
    ]


def test_only_the_regions_admin_decides_a_claim(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    for role in ("other_regional_admin", "official", "ngo_admin", "citizen"):
        with pytest.raises(PermissionDenied):
            services.claim_verify(actor=ngo_cast.user(role), claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_claimant_may_withdraw_a_pending_claim(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    services.claim_withdraw(actor=claim.user, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    assert list(claim.status_changes.values_list("from_status", "to_status", "actor")) == [
        ("pending", "withdrawn", claim.user_id)
    ]
