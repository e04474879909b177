"""Demo organisations and one person per role (a step of runner.STEPS)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from ortaq.accounts.enums import Level, OrganisationKind, Role
from ortaq.accounts.models import Membership, Organisation, User
from ortaq.demo.world import DEMO_PASSWORD, DemoWorld
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import Region

# (key, kind, level, region code, kk, ru, en, registration year)
ORGANISATIONS = [
    (
        "ministry",
        OrganisationKind.STATE_BODY,
        Level.NATIONAL,
        None,
        "Қазақстан Республикасы Мәдениет және ақпарат министрлігі",
        "Министерство культуры и информации Республики Казахстан",
        "Ministry of Culture and Information of the Republic of Kazakhstan",
        2019,
    ),
    (
        "kyzylorda_dip",
        OrganisationKind.STATE_BODY,
        Level.REGION,
        "43",
        "Қызылорда облысының ішкі саясат басқармасы",
        "Управление внутренней политики Кызылординской области",
        "Department of Internal Policy of Kyzylorda Region",
        2004,
    ),
    (
        "wko_dip",
        OrganisationKind.STATE_BODY,
        Level.REGION,
        "27",
        "Батыс Қазақстан облысының ішкі саясат басқармасы",
        "Управление внутренней политики Западно-Казахстанской области",
        "Department of Internal Policy of West Kazakhstan Region",
        2004,
    ),
    (
        "kostanay_dip",
        OrganisationKind.STATE_BODY,
        Level.REGION,
        "39",
        "Қостанай облысының қоғамдық даму басқармасы",
        "Управление общественного развития Костанайской области",
        "Department of Public Development of Kostanay Region",
        2004,
    ),
    (
        "vko_dip",
        OrganisationKind.STATE_BODY,
        Level.REGION,
        "63",
        "Шығыс Қазақстан облысының ішкі саясат басқармасы",
        "Управление внутренней политики Восточно-Казахстанской области",
        "Department of Internal Policy of East Kazakhstan Region",
        2004,
    ),
    (
        "cisc",
        OrganisationKind.GRANT_OPERATOR,
        Level.NATIONAL,
        None,
        "Азаматтық бастамаларды қолдау орталығы",
        "Центр поддержки гражданских инициатив",
        "Civil Initiatives Support Centre",
        2016,
    ),
    (
        "qh_fund",
        OrganisationKind.GRANT_OPERATOR,
        Level.NATIONAL,
        None,
        "«Қазақстан халқына» қоғамдық қоры",
        "Общественный фонд «Қазақстан халқына»",
        "Qazaqstan Halqyna public fund",
        2022,
    ),
    (
        "kzo_alliance",
        OrganisationKind.NGO,
        Level.REGION,
        "43",
        "Қызылорда облысының Азаматтық альянсы заңды тұлғалар бірлестігі",
        "Объединение юридических лиц «Гражданский альянс Кызылординской области»",
        "Civil Alliance of Kyzylorda Region",
        2008,
    ),
    (
        "kzo_youth",
        OrganisationKind.NGO,
        Level.REGION,
        "43",
        "«Болашақ жастары» қоғамдық бірлестігі",
        "Общественное объединение «Болашак жастары»",
        "Bolashak Zhastary public association",
        2015,
    ),
    (
        "wko_family",
        OrganisationKind.NGO,
        Level.CITY,
        "27",
        "«Отбасы әлемі» қоғамдық қоры",
        "Общественный фонд «Мир семьи»",
        "World of the Family public foundation",
        2012,
    ),
    (
        "kostanay_eco",
        OrganisationKind.NGO,
        Level.REGION,
        "39",
        "«Жасыл дала» экологиялық қоғамдық бірлестігі",
        "Экологическое общественное объединение «Зеленая степь»",
        "Green Steppe ecological association",
        2010,
    ),
    (
        "vko_rights",
        OrganisationKind.NGO,
        Level.REGION,
        "63",
        "«Құқық және әділдік» қоғамдық қоры",
        "Общественный фонд «Право и справедливость»",
        "Law and Justice public foundation",
        2006,
    ),
    (
        "media",
        OrganisationKind.MEDIA,
        Level.REGION,
        "43",
        "«Сыр бойы» газеті",
        "Газета «Сыр бойы»",
        "Syr Boyi newspaper",
        1999,
    ),
]

# (role label shown at the end, e-mail, full name, organisation key, role, staff)
PEOPLE = [
    ("platform administrator", "admin@ortaq.kz", "Айгерім Сапарова", None, None, True),
    ("citizen", "citizen@ortaq.kz", "Ерлан Досжанов", None, None, False),
    ("NGO administrator", "ngo.admin@ortaq.kz", "Гүлнар Әбенова", "kzo_youth", Role.ADMIN, False),
    ("NGO member", "ngo.member@ortaq.kz", "Нұрлан Жұмабаев", "kzo_youth", Role.MEMBER, False),
    ("state official", "official@ortaq.kz", "Руслан Каюпов", "kyzylorda_dip", Role.OFFICIAL, False),
    (
        "regional administrator",
        "regional.admin@ortaq.kz",
        "Дина Серікова",
        "kyzylorda_dip",
        Role.REGIONAL_ADMIN,
        False,
    ),
    ("expert", "expert@ortaq.kz", "Асель Нұрмағанбетова", "cisc", Role.EXPERT, False),
    (
        "consultant",
        "consultant@ortaq.kz",
        "Бану Нургазиева",
        "kzo_alliance",
        Role.CONSULTANT,
        False,
    ),
]


def _organisation(key: str, spec: tuple, serial: int) -> Organisation:
    _key, kind, level, region_code, kk, ru, en, year = spec
    region = Region.objects.get(code=region_code) if region_code else None
    existing = Organisation.objects.filter(name_ru=ru).first()
    if existing:
        return existing
    return Organisation.objects.create(
        kind=kind,
        level=level,
        region=region,
        name_kk=kk,
        name_ru=ru,
        name_en=en,
        bin=make_bin(year, 1 + serial % 12, 1000 + serial),
    )


def seed(world: DemoWorld) -> None:
    organisations = {
        spec[0]: _organisation(spec[0], spec, serial) for serial, spec in enumerate(ORGANISATIONS)
    }
    world.objects["organisations"] = organisations
    users: dict[str, User] = {}
    for label, email, name, org_key, role, staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                is_staff=staff,  # the platform administrator: staff, never a superuser
                preferred_language="ru",
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if org_key:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[org_key], role=role
            )
        users[label] = user
        world.login(label, email)
    # One person in several roles: the NGO administrator also sits in the regional alliance.
    Membership.objects.get_or_create(
        user=users["NGO administrator"],
        organisation=organisations["kzo_alliance"],
        role=Role.MEMBER,
    )
    world.objects["users"] = users
    world.log.append(f"accounts: {len(organisations)} organisations, {len(users)} people")
