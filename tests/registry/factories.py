"""Factories of the registry; give a cast's NGO a profile with NgoProfileFactory(organisation=)."""

from __future__ import annotations

import factory

from ortaq.reference.models import LegalForm
from ortaq.registry.enums import NgoStatus, ReportStatus, Settlement, Verification
from ortaq.registry.models import AnnualReport, NgoProfile
from tests.factories import OrganisationFactory


class NgoProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NgoProfile

    organisation = factory.SubFactory(OrganisationFactory)
    legal_form = factory.LazyFunction(lambda: LegalForm.objects.get(code="public_association"))
    registration_year = 2015
    status = NgoStatus.ACTIVE
    settlement = Settlement.URBAN
    verification = Verification.VERIFIED
    leader_name = factory.Faker("name", locale="ru_RU")
    description_ru = "Поддержка молодёжных инициатив и волонтёрства."
    description_kk = "Жастар бастамалары мен волонтерлікті қолдау."


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    ngo = factory.SubFactory(NgoProfileFactory)
    year = 2025
    status = ReportStatus.DRAFT
