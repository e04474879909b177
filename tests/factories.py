"""factory_boy factories for the usual objects; later modules add theirs here or beside it."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from ortaq.accounts.enums import Level, OrganisationKind, Role
from ortaq.accounts.models import Membership, Organisation, User
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import Region

PASSWORD = "Correct-horse-battery-9"


def region(code: str = "43") -> Region:
    """Regions come from the reference data loaded once per test (see conftest)."""
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.kz")
    full_name = factory.Faker("name", locale="ru_RU")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.NGO
    level = Level.REGION
    region = factory.LazyFunction(lambda: region("43"))
    name_kk = factory.Sequence(lambda n: f"«Ұйым {n}» қоғамдық бірлестігі")
    name_ru = factory.Sequence(lambda n: f"Общественное объединение «Организация {n}»")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    bin = factory.Sequence(lambda n: make_bin(2015, 1 + n % 12, 500 + n * 3))


class StateBodyFactory(OrganisationFactory):
    kind = OrganisationKind.STATE_BODY
    name_kk = factory.Sequence(lambda n: f"Ішкі саясат басқармасы {n}")
    name_ru = factory.Sequence(lambda n: f"Управление внутренней политики {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER
