"""Who may change an NGO, change its status and decide ownership claims: rules and pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ortaq.registry.enums import ClaimStatus, NgoStatus
from ortaq.registry.models import NgoProfile, NgoStatusChange, OwnershipClaim
from tests.access import (
    EVERYONE,
    SIGNED_IN,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)

from .factories import NgoProfileFactory, OwnershipClaimFactory

pytestmark = pytest.mark.django_db

NGO_ADMINS = frozenset({"ngo_admin", "platform_admin"})
KYZYLORDA_ADMINS = frozenset({"regional_admin", "platform_admin"})
ALL_REGIONAL_ADMINS = frozenset({"regional_admin", "other_regional_admin", "platform_admin"})


def test_permission_matrix(ngo_cast: Cast) -> None:
    assert_permission_matrix(
        ngo_cast,
        [
            PermRow("registry.view_ngoprofile", "own_profile", EVERYONE),
            PermRow("registry.change_ngoprofile", "own_profile", NGO_ADMINS),
            PermRow(
                "registry.change_ngoprofile",
                "other_profile",
                frozenset({"outsider_ngo_admin", "platform_admin"}),
            ),
            PermRow("registry.change_ngo_status", "own_profile", KYZYLORDA_ADMINS),
            PermRow(
                "registry.change_ngo_status",
                "other_profile",
                frozenset({"other_regional_admin", "platform_admin"}),
            ),
            PermRow("registry.add_ownershipclaim", None, SIGNED_IN),
            PermRow("registry.view_claim_queue", None, ALL_REGIONAL_ADMINS),
            PermRow("registry.decide_ownershipclaim", "own_claim", KYZYLORDA_ADMINS),
            # Only the claimant withdraws (a stranger here): not the platform administrator.
            PermRow("registry.withdraw_ownershipclaim", "own_claim", frozenset()),
        ],
    )


def _profile_form(cast: Cast) -> dict[str, object]:
    ngo = NgoProfile.objects.get(pk=cast.objects["own_profile"].pk)
    organisation = ngo.organisation
    return {
        "name_kk": organisation.name_kk,
        "name_ru": organisation.name_ru,
        "name_en": organisation.name_en,
        "legal_form": ngo.legal_form_id,
        "settlement": ngo.settlement,
        "registration_year": ngo.registration_year,
        "phone": "+7 777 000 00 00",
        "version": ngo.version,
    }


def _status_form(cast: Cast) -> dict[str, object]:
    ngo = NgoProfile.objects.get(pk=cast.objects["own_profile"].pk)
    return {
        "status": NgoStatus.INACTIVE,
        "changed_on": timezone.localdate().isoformat(),
        "reason": "Письмо",
        "version": ngo.version,
    }


def _reset_status(cast: Cast) -> None:
    ngo = cast.objects["own_profile"]
    NgoStatusChange.objects.filter(ngo=ngo).delete()
    NgoProfile.objects.filter(pk=ngo.pk).update(status=NgoStatus.ACTIVE)


def _reset_claim(cast: Cast) -> None:
    OwnershipClaim.objects.filter(pk=cast.objects["own_claim"].pk).update(
        status=ClaimStatus.PENDING, refusal_reason=""
    )


def test_http_matrix(ngo_cast: Cast) -> None:
    own = ngo_cast.objects["own_profile"]
    claim = ngo_cast.objects["own_claim"]
    assert_http_matrix(
        ngo_cast,
        [
            HttpRow("directory", "GET", lambda c: reverse("registry:directory"), EVERYONE),
            HttpRow("detail", "GET", lambda c: reverse("registry:detail", args=[own.pk]), EVERYONE),
            HttpRow(
                "detail by BIN",
                "GET",
                lambda c: reverse("registry:detail_by_bin", args=[own.organisation.bin]),
                EVERYONE,
            ),
            HttpRow("export", "GET", lambda c: reverse("registry:export", args=["csv"]), EVERYONE),
            HttpRow("api list", "GET", lambda c: "/api/v1/ngos/", EVERYONE),
            HttpRow(
                "edit page", "GET", lambda c: reverse("registry:edit", args=[own.pk]), NGO_ADMINS
            ),
            HttpRow(
                "edit",
                "POST",
                lambda c: reverse("registry:edit", args=[own.pk]),
                NGO_ADMINS,
                data=_profile_form,
                ok=302,
            ),
            HttpRow(
                "status page",
                "GET",
                lambda c: reverse("registry:status", args=[own.pk]),
                KYZYLORDA_ADMINS,
            ),
            HttpRow(
                "status",
                "POST",
                lambda c: reverse("registry:status", args=[own.pk]),
                KYZYLORDA_ADMINS,
                data=_status_form,
                reset=_reset_status,
                ok=302,
            ),
            HttpRow("claim page", "GET", lambda c: reverse("registry:claim"), SIGNED_IN),
            HttpRow("register page", "GET", lambda c: reverse("registry:register"), SIGNED_IN),
            HttpRow("my claims", "GET", lambda c: reverse("registry:my_claims"), SIGNED_IN),
            HttpRow("queue", "GET", lambda c: reverse("registry:claim_queue"), ALL_REGIONAL_ADMINS),
            HttpRow(
                "decide page",
                "GET",
                lambda c: reverse("registry:claim_decide", args=[claim.pk]),
                KYZYLORDA_ADMINS,
            ),
            HttpRow(
                "refuse",
                "POST",
                lambda c: reverse("registry:claim_decide", args=[claim.pk]),
                KYZYLORDA_ADMINS,
                data=lambda c: {"decision": "refuse", "reason": "Нет документов"},
                reset=_reset_claim,
                ok=302,
            ),
            HttpRow(
                "withdraw",
                "POST",
                lambda c: reverse("registry:claim_withdraw", args=[claim.pk]),
                frozenset(),
                reset=_reset_claim,
                ok=302,
            ),
        ],
    )


def test_queue_shows_only_the_admins_region(ngo_cast: Cast) -> None:
    own_claim = ngo_cast.objects["own_claim"]
    aktobe_claim = OwnershipClaimFactory(ngo=ngo_cast.objects["other_profile"])
    OwnershipClaimFactory(ngo=NgoProfileFactory(), status=ClaimStatus.REFUSED, refusal_reason="x")

    def queue(role: str) -> list[OwnershipClaim]:
        client = Client()
        client.force_login(ngo_cast.users[role])
        return list(client.get(reverse("registry:claim_queue")).context["claims"])

    assert queue("regional_admin") == [own_claim]
    assert queue("other_regional_admin") == [aktobe_claim]
    assert queue("platform_admin") == [own_claim, aktobe_claim]
