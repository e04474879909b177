"""Factories of the registry; give a cast's NGO a profile with NgoProfileFactory(organisation=)."""

from __future__ import annotations

from typing import Any

import factory

from ortaq.reference.models import LegalForm
from ortaq.registry.enums import (
    ClaimKind,
    ClaimStatus,
    NgoStatus,
    ReportStatus,
    Settlement,
    Verification,
)
from ortaq.registry.models import AnnualReport, NgoProfile, OwnershipClaim
from ortaq.registry.services import ngo_refresh_search_text
from tests.factories import OrganisationFactory, UserFactory


class NgoProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NgoProfile
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    legal_form = factory.LazyFunction(lambda: LegalForm.objects.get(code="public_association"))
    registration_year = 2015
    status = NgoStatus.ACTIVE
    settlement = Settlement.URBAN
    verification = Verification.VERIFIED
    leader_name = factory.Faker("name", locale="ru_RU")
    description_ru = "Поддержка молодёжных инициатив и волонтёрства."
    description_kk = "Жастар бастамалары мен волонтерлікті қолдау."

    @factory.post_generation
    def areas(obj: NgoProfile, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        """`areas=[...]` sets the activity areas; the search stems are computed either way."""
        if not create:
            return
        if extracted:
            obj.activity_areas.set(extracted)
        ngo_refresh_search_text(ngo=obj)


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    ngo = factory.SubFactory(NgoProfileFactory)
    year = 2025
    status = ReportStatus.DRAFT


class OwnershipClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnershipClaim

    user = factory.SubFactory(UserFactory)
    ngo = factory.SubFactory(NgoProfileFactory)
    kind = ClaimKind.EXISTING
    status = ClaimStatus.PENDING
    position = "Председатель правления"
