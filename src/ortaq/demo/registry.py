"""Demo NGO registry: profiles of the demo NGOs and 5–8 believable NGOs in every region.

Idempotent: NGOs are looked up by BIN (generated deterministically with make_bin). One
pending ownership claim (citizen@ortaq.kz, Kyzylorda) waits for regional.admin@ortaq.kz.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.demo.world import DemoWorld
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import ActivityArea, LegalForm, Region
from ortaq.registry.enums import ClaimKind, ClaimStatus, NgoStatus, Settlement, Verification
from ortaq.registry.models import NgoProfile, NgoStatusChange, OwnershipClaim
from ortaq.registry.services import ngo_refresh_search_text


@dataclass(frozen=True)
class Theme:
    kk: str
    ru: str
    en: str
    legal_form: str
    areas: tuple[str, ...]
    flags: frozenset[str] = frozenset()
    groups: tuple[str, ...] = ()
    rural: bool = False
    description_kk: str = ""
    description_ru: str = ""
    extra: dict[str, str] = field(default_factory=dict)


THEMES: tuple[Theme, ...] = (
    Theme(
        "«Болашақ» жастар бірлестігі",
        "Молодёжное объединение «Болашак»",
        "Bolashak youth association",
        "public_association",
        ("youth", "volunteering"),
        frozenset({"is_youth", "is_volunteer"}),
        ("youth",),
        description_kk="Жастар бастамаларын, еріктілер жобаларын, көшбасшылық мектебін қолдау.",
        description_ru="Поддержка инициатив молодёжи, волонтёрских проектов, школа лидерства.",
    ),
    Theme(
        "«Мейірім» қайырымдылық қоры",
        "Благотворительный фонд «Мейирим»",
        "Meirim charity foundation",
        "public_foundation",
        ("vulnerable", "orphans"),
        frozenset(),
        ("vulnerable", "orphans"),
        description_kk="Көп балалы және толық емес отбасыларға, жетім балаларға көмек.",
        description_ru="Помощь многодетным и неполным семьям, детям-сиротам.",
    ),
    Theme(
        "«Жасыл әлем» экологиялық қоғамдық бірлестігі",
        "Экологическое общественное объединение «Зелёный мир»",
        "Green World ecological association",
        "public_association",
        ("environment",),
        frozenset({"is_volunteer"}),
        ("public",),
        description_kk="Ағаш отырғызу, қалдықтарды бөлек жинау, экологиялық ағарту.",
        description_ru="Посадка деревьев, раздельный сбор отходов, экологическое просвещение.",
    ),
    Theme(
        "«Шаңырақ» отбасын қолдау орталығы",
        "Центр поддержки семьи «Шанырак»",
        "Shanyrak family support centre",
        "private_institution",
        ("family",),
        frozenset(),
        ("families", "women"),
        description_kk="Отбасыларға психологиялық және құқықтық кеңес беру.",
        description_ru="Психологические и правовые консультации для семей.",
    ),
    Theme(
        "«Үміт» мүгедектігі бар адамдар қоғамы",
        "Общество лиц с инвалидностью «Умит»",
        "Umit society of persons with disabilities",
        "public_association",
        ("vulnerable", "employment"),
        frozenset({"is_disability"}),
        ("disability",),
        description_kk="Мүгедектігі бар адамдарды оңалту және жұмысқа орналастыру.",
        description_ru="Реабилитация и трудоустройство людей с инвалидностью.",
    ),
    Theme(
        "«Достық» этномәдени орталығы",
        "Этнокультурный центр «Дружба»",
        "Dostyk ethnocultural centre",
        "public_association",
        ("accord", "culture"),
        frozenset({"is_ethnocultural"}),
        ("ethnic",),
        description_kk="Ұлтаралық келісімді нығайту, тіл курстары, мерекелер.",
        description_ru="Укрепление межэтнического согласия, языковые курсы, праздники.",
    ),
    Theme(
        "«Балалар әлемі» балалар қоғамдық бірлестігі",
        "Детское общественное объединение «Мир детства»",
        "World of Childhood children's association",
        "public_association",
        ("youth", "education"),
        frozenset({"is_childrens"}),
        ("children",),
        description_kk="Балаларға арналған үйірмелер, жазғы лагерь, оқу жобалары.",
        description_ru="Кружки для детей, летний лагерь, образовательные проекты.",
    ),
    Theme(
        "«Әділет» құқықтық орталығы",
        "Правовой центр «Адилет»",
        "Adilet legal centre",
        "private_institution",
        ("rights", "anticorruption"),
        frozenset(),
        ("public", "vulnerable"),
        description_kk="Азаматтарға тегін заң көмегі, сыбайлас жемқорлыққа қарсы мониторинг.",
        description_ru="Бесплатная юридическая помощь гражданам, антикоррупционный мониторинг.",
    ),
    Theme(
        "«Денсаулық» салауатты өмір салты қоры",
        "Фонд здорового образа жизни «Денсаулык»",
        "Densaulyk healthy lifestyle foundation",
        "public_foundation",
        ("health", "education"),
        frozenset(),
        ("public", "youth"),
        description_kk="Спорт жарыстары, салауатты өмір салтын насихаттау.",
        description_ru="Спортивные соревнования, пропаганда здорового образа жизни.",
    ),
    Theme(
        "«Мұра» тарихи-мәдени мұра қоры",
        "Фонд историко-культурного наследия «Мура»",
        "Mura heritage foundation",
        "private_foundation",
        ("heritage", "culture"),
        frozenset(),
        ("public",),
        description_kk="Тарихи ескерткіштерді зерттеу және қорғау, өлкетану.",
        description_ru="Изучение и охрана памятников истории, краеведение.",
    ),
    Theme(
        "«Еріктілер» волонтерлік қозғалысы",
        "Волонтёрское движение «Волонтёры»",
        "Volunteers movement",
        "public_association",
        ("volunteering", "civil_society"),
        frozenset({"is_volunteer", "is_youth"}),
        ("youth", "elderly"),
        description_kk="Қарт адамдарға көмек, еріктілерді оқыту.",
        description_ru="Помощь пожилым людям, обучение волонтёров.",
    ),
    Theme(
        "«Ауыл жастары» қоғамдық бірлестігі",
        "Общественное объединение «Сельская молодёжь»",
        "Rural Youth association",
        "public_association",
        ("youth", "employment"),
        frozenset({"is_youth"}),
        ("youth", "rural"),
        rural=True,
        description_kk="Ауыл жастарының жұмыспен қамтылуы және кәсіпкерлігі.",
        description_ru="Занятость и предпринимательство сельской молодёжи.",
    ),
    Theme(
        "«Ардагерлер кеңесі» қоғамдық бірлестігі",
        "Общественное объединение «Совет ветеранов»",
        "Veterans' Council association",
        "public_association",
        ("vulnerable", "civil_society"),
        frozenset(),
        ("veterans", "elderly"),
        description_kk="Ардагерлерді әлеуметтік қолдау, жастарды патриоттық тәрбиелеу.",
        description_ru="Социальная поддержка ветеранов, патриотическое воспитание молодёжи.",
    ),
    Theme(
        "«Азаматтық бастама» ресурстық орталығы",
        "Ресурсный центр «Гражданская инициатива»",
        "Civil Initiative resource centre",
        "private_institution",
        ("civil_society",),
        frozenset(),
        ("ngos",),
        description_kk="ҮЕҰ-ға арналған оқыту, кеңес беру және әдістемелік көмек.",
        description_ru="Обучение, консультации и методическая помощь НПО.",
    ),
    Theme(
        "«Іскер әйелдер» қауымдастығы",
        "Ассоциация деловых женщин «Іскер әйелдер»",
        "Business Women association",
        "association_of_legal_entities",
        ("employment", "family"),
        frozenset(),
        ("women",),
        rural=True,
        description_kk="Әйелдер кәсіпкерлігін дамыту, ауылдық әйелдерді оқыту.",
        description_ru="Развитие женского предпринимательства, обучение сельских женщин.",
    ),
)

LEADERS = (
    ("Айгүл Сейітқызы", "төраға / председатель"),
    ("Ержан Молдабеков", "директор"),
    ("Светлана Ким", "председатель правления"),
    ("Нұрбол Ахметов", "атқарушы директор"),
    ("Гульмира Исаева", "президент"),
    ("Дмитрий Павленко", "директор"),
)

# Profiles of the demo NGOs of accounts.demo: key → (legal form, areas, flags, groups).
OWN = {
    "kzo_alliance": ("association_of_legal_entities", ("civil_society",), (), ("ngos",)),
    "kzo_youth": ("public_association", ("youth", "volunteering"), ("is_youth",), ("youth",)),
    "wko_family": ("public_foundation", ("family", "orphans"), (), ("families", "children")),
    "kostanay_eco": ("public_association", ("environment",), ("is_volunteer",), ("public",)),
    "vko_rights": ("public_foundation", ("rights",), (), ("public", "vulnerable")),
}
SERIAL_BASE = 30000


def _place_kk(region: Region) -> str:
    return region.name_kk.replace(" облысы", "").replace(" қаласы", "")


def _history(ngo: NgoProfile, index: int, *, status: str) -> None:
    if ngo.status_changes.exists():
        return
    registered = dt.date(ngo.registration_year, 1 + index % 12, 1 + index % 27)
    NgoStatusChange.objects.create(
        ngo=ngo,
        from_status="",
        to_status=NgoStatus.ACTIVE,
        changed_on=registered,
        note="Мемлекеттік тіркеу / Государственная регистрация",
    )
    if status != NgoStatus.ACTIVE:
        changed_on = dt.date(2024, 1 + index % 12, 1 + index % 27)
        NgoStatusChange.objects.create(
            ngo=ngo,
            from_status=NgoStatus.ACTIVE,
            to_status=status,
            changed_on=changed_on,
            note="Әділет департаментінің хаты / Письмо департамента юстиции",
        )
        ngo.status = status
        ngo.status_since = changed_on
        ngo.save(update_fields=["status", "status_since"])


def _profile(
    organisation: Organisation,
    *,
    index: int,
    legal_form: LegalForm,
    areas: list[ActivityArea],
    values: dict[str, object],
    status: str = NgoStatus.ACTIVE,
) -> NgoProfile:
    ngo = NgoProfile.objects.filter(organisation=organisation).first()
    if ngo is None:
        ngo = NgoProfile.objects.create(organisation=organisation, legal_form=legal_form, **values)
        ngo.activity_areas.set(areas)
    _history(ngo, index, status=status)
    ngo_refresh_search_text(ngo=ngo)
    return ngo


def seed(world: DemoWorld) -> None:
    forms = {form.code: form for form in LegalForm.objects.all()}
    areas = {area.code: area for area in ActivityArea.objects.all()}
    organisations: dict[str, Organisation] = world.objects.get("organisations", {})
    own: dict[str, NgoProfile] = {}
    for index, (key, (form, area_codes, flags, groups)) in enumerate(OWN.items()):
        organisation = organisations.get(key)
        if organisation is None:
            continue
        leader, position = LEADERS[index % len(LEADERS)]
        own[key] = _profile(
            organisation,
            index=index,
            legal_form=forms[form],
            areas=[areas[c] for c in area_codes],
            values={
                "registration_year": 2005 + index * 2,
                "verification": Verification.VERIFIED,
                "verified_at": dt.datetime(2025, 2, 1 + index, tzinfo=dt.UTC),
                "leader_name": leader,
                "leader_position": position,
                "target_groups": list(groups),
                "address": "Қызылорда қ., Әйтеке би к-сі, 29",
                "phone": "+7 7242 00 00 0" + str(index),
                "email": f"info{index}@ngo.example.kz",
                **dict.fromkeys(flags, True),
            },
        )
    alliance = own.get("kzo_alliance")

    created = 0
    serial = SERIAL_BASE
    regions = list(Region.objects.filter(is_active=True).order_by("code"))
    for region_index, region in enumerate(regions):
        count = 5 + region_index % 4
        for k in range(count):
            index = region_index * 8 + k
            theme = THEMES[(region_index * 3 + k) % len(THEMES)]
            year = 1998 + (index * 7) % 27
            bin_ = make_bin(year, 1 + index % 12, serial)
            serial = int(bin_[6:11]) + 1
            organisation = Organisation.objects.filter(bin=bin_).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    kind=OrganisationKind.NGO,
                    level=Level.REGION,
                    region=region,
                    name_kk=f"{theme.kk} ({_place_kk(region)})",
                    name_ru=f"{theme.ru} ({region.centre_ru or region.name_ru})",
                    name_en=f"{theme.en} ({region.name_en})",
                    bin=bin_,
                )
                created += 1
            rural = theme.rural or index % 3 == 0
            status = (
                NgoStatus.INACTIVE
                if index % 7 == 3
                else NgoStatus.SUSPENDED
                if index % 13 == 5
                else NgoStatus.IN_LIQUIDATION
                if index % 29 == 11
                else NgoStatus.ACTIVE
            )
            verified = index % 5 != 2
            leader, position = LEADERS[index % len(LEADERS)]
            ngo = _profile(
                organisation,
                index=index,
                legal_form=forms[theme.legal_form],
                areas=[areas[c] for c in theme.areas],
                status=status,
                values={
                    "registration_year": year,
                    "settlement": Settlement.RURAL if rural else Settlement.URBAN,
                    "district": (
                        f"{_place_kk(region)} ауданы / район" if rural else region.centre_ru
                    ),
                    "verification": Verification.VERIFIED if verified else Verification.UNVERIFIED,
                    "verified_at": (
                        dt.datetime(2025, 1 + index % 12, 1 + index % 27, tzinfo=dt.UTC)
                        if verified
                        else None
                    ),
                    "leader_name": leader,
                    "leader_position": position,
                    "target_groups": list(theme.groups),
                    "description_kk": theme.description_kk,
                    "description_ru": theme.description_ru,
                    "phone": f"+7 700 {index:03d} {serial % 100:02d} {region_index:02d}",
                    **dict.fromkeys(theme.flags, True),
                },
            )
            if alliance and region.code == "43" and k % 2 == 0:
                ngo.umbrella_associations.add(alliance.organisation)
    _pending_claim(world)
    world.log.append(
        f"registry: {NgoProfile.objects.count()} NGO profiles ({created} new) in "
        f"{len(regions)} regions"
    )


def _pending_claim(world: DemoWorld) -> None:
    citizen = User.objects.filter(email="citizen@ortaq.kz").first()
    target = (
        NgoProfile.objects.filter(
            organisation__region__code="43", verification=Verification.UNVERIFIED
        )
        .order_by("pk")
        .first()
    )
    if citizen is None or target is None:
        return
    if OwnershipClaim.objects.filter(user=citizen).exists():
        return
    OwnershipClaim.objects.create(
        user=citizen,
        ngo=target,
        kind=ClaimKind.EXISTING,
        status=ClaimStatus.PENDING,
        position="Басқарма төрағасы / председатель правления",
        message="Хаттама №3, 2025 ж. 12 қаңтар — протокол №3 от 12 января 2025 г.",
    )
