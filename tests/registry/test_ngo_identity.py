"""The BIN and the region of a verified NGO are what its regional administrator verified: the
NGO's own administrator cannot change them (the organisation page refuses and shows them
read-only), so a verified NGO never frees its BIN for someone else to register. Its regional
administrator and platform administrators still correct them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ortaq.accounts import services
from ortaq.accounts.models import Organisation
from ortaq.core.errors import DomainError
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import LegalForm
from ortaq.registry import services as registry_services
from ortaq.registry.enums import Verification
from ortaq.registry.models import NgoProfile
from tests.access import Cast
from tests.factories import UserFactory, region

from .factories import NgoProfileFactory

pytestmark = pytest.mark.django_db

NEW_BIN = make_bin(2016, 4, 72001)
MESSAGE = (
    "The BIN and the region of a verified NGO are changed by the regional administrator "
    "who verified it: ask him to correct them."
)


@pytest.fixture
def verified(cast: Cast) -> NgoProfile:
    return NgoProfileFactory(
        organisation=cast.objects["own_ngo"], verification=Verification.VERIFIED
    )


def _update(actor: Any, org: Organisation, **values: Any) -> Organisation:
    org.refresh_from_db()
    return services.organisation_update(
        actor=actor, organisation=org, expected_version=org.version, **values
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [({"bin": NEW_BIN}, "bin"), ({"region": "15"}, "region")],
    ids=["bin", "region"],
)
def test_the_ngos_admin_cannot_change_the_bin_or_region_of_a_verified_ngo(
    cast: Cast, verified: NgoProfile, values: dict[str, Any], field: str
) -> None:
    org = cast.objects["own_ngo"]
    old_bin = org.bin
    if "region" in values:
        values = {"region": region(values["region"])}
    with pytest.raises(DomainError) as error:
        _update(cast.users["ngo_admin"], org, name_en="Renamed", **values)
    assert (str(error.value.message), error.value.field) == (MESSAGE, field)
    org.refresh_from_db()
    assert (org.bin, org.region.code, org.name_en, org.version) == (old_bin, "43", "Own NGO", 1)


def test_the_page_keeps_the_bin_and_region_and_the_old_bin_stays_taken(
    cast: Cast, client: Client, verified: NgoProfile
) -> None:
    org = cast.objects["own_ngo"]
    old_bin = org.bin
    client.force_login(cast.users["ngo_admin"])
    page = client.get(f"/en/accounts/organisations/{org.pk}/edit/").content.decode()
    bin_input = page.split('name="bin"')[1].split(">")[0]
    assert "disabled" in bin_input
    response = client.post(
        f"/en/accounts/organisations/{org.pk}/edit/",
        {
            "name_kk": org.name_kk,
            "name_ru": org.name_ru,
            "name_en": "Renamed",
            "bin": NEW_BIN,
            "level": org.level,
            "region": region("15").pk,
            "version": org.version,
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.bin, org.region.code, org.name_en) == (old_bin, "43", "Renamed")
    # Nobody else can register an NGO under the verified NGO's BIN.
    with pytest.raises(DomainError, match="already registered"):
        registry_services.claim_new_ngo(
            actor=UserFactory(),
            position="Председатель",
            bin=old_bin,
            name_kk="Жаңа",
            name_ru="Новая",
            region=region("43"),
            legal_form=LegalForm.objects.get(code="public_association"),
            registration_year=2020,
        )


@pytest.mark.parametrize("who", ["regional_admin", "platform_admin"])
def test_the_regional_or_platform_admin_corrects_them(
    cast: Cast, verified: NgoProfile, who: str
) -> None:
    org = _update(cast.users[who], cast.objects["own_ngo"], bin=NEW_BIN, region=region("15"))
    assert (org.bin, org.region.code) == (NEW_BIN, "15")


def test_another_regions_admin_cannot_change_them(cast: Cast, verified: NgoProfile) -> None:
    with pytest.raises(DomainError):
        _update(cast.users["other_regional_admin"], cast.objects["own_ngo"], bin=NEW_BIN)


def test_an_unverified_ngos_admin_still_corrects_its_bin(cast: Cast) -> None:
    NgoProfileFactory(organisation=cast.objects["own_ngo"], verification=Verification.UNVERIFIED)
    org = _update(cast.users["ngo_admin"], cast.objects["own_ngo"], bin=NEW_BIN)
    assert org.bin == NEW_BIN


def test_other_organisations_admins_still_change_their_bin(cast: Cast) -> None:
    org = _update(cast.users["outsider_ngo_admin"], cast.objects["other_ngo"], bin=NEW_BIN)
    assert org.bin == NEW_BIN


def test_the_refusal_is_translated(cast: Cast, verified: NgoProfile) -> None:
    from django.utils import translation

    for language, word in (("ru", "БИН"), ("kk", "БСН")):
        with translation.override(language), pytest.raises(DomainError) as error:
            _update(cast.users["ngo_admin"], cast.objects["own_ngo"], bin=NEW_BIN)
        assert word in str(error.value.message), language
