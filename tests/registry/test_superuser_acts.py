"""Acts that are a person's own are not the platform administrator's to do: the NGO's yearly
report is written by the NGO's administrators (DOMAIN §4, "NGOs must submit"), a claim is
withdrawn by the claimant. The pages (core.web.rule_required) and the services ask the rule
itself, which has no superuser bypass."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ortaq.registry import report_services, services
from ortaq.registry.enums import ClaimStatus
from ortaq.registry.models import AnnualReport, OwnershipClaim
from ortaq.registry.report_selectors import due_year
from tests.access import Cast

from .test_reports import COMPLETE
from .test_reports_pages import _form_data

pytestmark = pytest.mark.django_db


def test_the_platform_admin_cannot_open_or_save_an_ngos_report(ngo_cast: Cast) -> None:
    ngo = ngo_cast.objects["own_profile"]
    url = f"/en/ngos/reports/ngo-{ngo.pk}/{due_year()}/"
    client = Client()
    client.force_login(ngo_cast.users["platform_admin"])

    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(action="submit")).status_code == 403
    assert AnnualReport.objects.filter(ngo=ngo).count() == 0


def test_the_report_service_refuses_the_platform_admin(ngo_cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        report_services.report_save_draft(
            actor=ngo_cast.user("platform_admin"),
            ngo=ngo_cast.objects["own_profile"],
            year=due_year() - 1,
            expected_version=None,
            values=dict(COMPLETE),
        )
    assert AnnualReport.objects.count() == 0


def test_the_platform_admin_cannot_withdraw_someone_elses_claim(ngo_cast: Cast) -> None:
    claim: Any = ngo_cast.objects["own_claim"]
    client = Client()
    client.force_login(ngo_cast.users["platform_admin"])

    response = client.post(reverse("registry:claim_withdraw", args=[claim.pk]))

    assert response.status_code == 403
    assert OwnershipClaim.objects.get(pk=claim.pk).status == ClaimStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.claim_withdraw(actor=ngo_cast.user("platform_admin"), claim=claim)
    assert OwnershipClaim.objects.get(pk=claim.pk).status == ClaimStatus.PENDING


def test_the_claimant_still_withdraws_his_claim(ngo_cast: Cast) -> None:
    claim: Any = ngo_cast.objects["own_claim"]
    client = Client()
    client.force_login(ngo_cast.objects["claimant"])

    response = client.post(reverse("registry:claim_withdraw", args=[claim.pk]))

    assert response.status_code == 302
    assert OwnershipClaim.objects.get(pk=claim.pk).status == ClaimStatus.WITHDRAWN
