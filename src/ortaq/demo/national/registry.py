"""A national-size NGO registry for load tests and statistics (`seed_demo --scale national`).

About 25,000 organisations spread over the 20 regions as docs/domain.md §4 describes them
(April 2023): 23,335 NGOs of which 18,204 active, 2,217 inactive, 1,103 suspended and 68 in
liquidation (the rest liquidated); Kostanay 1,029, Kyzylorda 1,000 with 454 active, West
Kazakhstan 670, the other regions by population with Almaty and Astana largest; plus political
party branches and trade unions, counted apart. Each gets its status history and, for the
last three closed years, annual reports (about 5,200 filed on time for the last one).

Deterministic (random.Random(seed)), written with bulk_create in batches, and skipped when
the registry is already that large. `seed_national(total=200)` builds a small copy for tests.
Why not the services: 25,000 NGOs and their reports one by one, each with its audit entry,
would take hours. The rows keep the registry's rules: valid BINs (lib.identifiers.make_bin),
one profile per organisation, a status history that leads to each status, and the search text
the services write (report_services' search text).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.demo.world import DemoWorld
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import ActivityArea, LegalForm, Region
from ortaq.registry.enums import NgoStatus, ReportStatus, Settlement
from ortaq.registry.models import AnnualReport, NgoProfile, NgoStatusChange, ReportStatusChange
from ortaq.registry.report_selectors import closed_year, report_deadline
from ortaq.registry.report_services import _search_text

NATIONAL_TOTAL = 23_335
STATUSES = {
    NgoStatus.ACTIVE: 18_204,
    NgoStatus.INACTIVE: 2_217,
    NgoStatus.SUSPENDED: 1_103,
    NgoStatus.IN_LIQUIDATION: 68,
    NgoStatus.LIQUIDATED: 1_743,
}
# Regions with known figures: (registered, active or None).
FIXED = {"39": (1_029, None), "43": (1_000, 454), "27": (670, None)}
# The other regions share the rest by a weight: population, with the big cities ahead.
WEIGHTS = {
    "75": 3_400,  # Almaty
    "71": 2_600,  # Astana
    "79": 1_250,  # Shymkent
    "61": 1_350,  # Turkistan
    "35": 1_300,  # Karaganda
    "19": 1_150,  # Almaty Region
    "31": 900,  # Zhambyl
    "63": 850,  # East Kazakhstan
    "55": 900,  # Pavlodar
    "15": 850,  # Aktobe
    "11": 800,  # Akmola
    "10": 650,  # Abai
    "23": 600,  # Atyrau
    "47": 620,  # Mangystau
    "59": 600,  # North Kazakhstan
    "33": 600,  # Zhetysu
    "62": 280,  # Ulytau
}
PARTY_BRANCHES = 360
TRADE_UNIONS = 1_300
# Reports of the last closed year: on time, late, returned, draft; earlier years: on time, late.
LAST_YEAR_REPORTS = (5_200, 900, 150, 200)
EARLIER_REPORTS = ((5_000, 800), (4_700, 700))
LEGAL_FORMS = (
    ("public_association", 55),
    ("public_foundation", 25),
    ("private_institution", 10),
    ("association_of_legal_entities", 4),
    ("private_foundation", 3),
    ("religious_association", 2),
    ("other", 1),
)
FORM_NAMES = {
    "public_association": ("қоғамдық бірлестігі", "Общественное объединение"),
    "public_foundation": ("қоғамдық қоры", "Общественный фонд"),
    "private_institution": ("жеке мекемесі", "Частное учреждение"),
    "association_of_legal_entities": (
        "заңды тұлғалар бірлестігі",
        "Объединение юридических лиц",
    ),
    "private_foundation": ("жеке қоры", "Частный фонд"),
    "religious_association": ("діни бірлестігі", "Религиозное объединение"),
    "other": ("ұйымы", "Организация"),
    "party_branch": ("партиясының филиалы", "Филиал партии"),
    "trade_union": ("кәсіптік одағы", "Профессиональный союз"),
}
WORDS = (
    "Ақниет",
    "Болашақ",
    "Бірлік",
    "Достық",
    "Ынтымақ",
    "Мейірім",
    "Шапағат",
    "Әділет",
    "Сенім",
    "Үміт",
    "Шаңырақ",
    "Береке",
    "Атамекен",
    "Жігер",
    "Парасат",
    "Нұр",
    "Ақжол",
    "Жасыл әлем",
    "Самғау",
    "Тұмар",
    "Қамқор",
    "Өркен",
    "Дарын",
    "Алтын бесік",
    "Көмек",
    "Ана үйі",
    "Жас қанат",
    "Ерлік",
    "Игілік",
    "Мирас",
)
DESCRIPTIONS = (
    ("Жастар бастамаларын қолдау", "Поддержка молодёжных инициатив"),
    ("Мүгедектігі бар адамдарға көмек", "Помощь людям с инвалидностью"),
    ("Қоршаған ортаны қорғау", "Охрана окружающей среды"),
    ("Көп балалы отбасыларды қолдау", "Поддержка многодетных семей"),
    ("Ауыл тұрғындарына құқықтық көмек", "Правовая помощь сельским жителям"),
    ("Волонтерлік қозғалысты дамыту", "Развитие волонтёрского движения"),
    ("Тарихи-мәдени мұраны сақтау", "Сохранение историко-культурного наследия"),
    ("Салауатты өмір салтын насихаттау", "Пропаганда здорового образа жизни"),
)
BATCH = 2_000


def _scaled(value: int, factor: float) -> int:
    return round(value * factor)


def _split(total: int, weights: dict[str, float]) -> dict[str, int]:
    """`total` shared by weight, by largest remainder, so the parts add up exactly."""
    whole = sum(weights.values())
    raw = {key: total * w / whole for key, w in weights.items()}
    parts = {key: int(value) for key, value in raw.items()}
    rest = total - sum(parts.values())
    for key in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[:rest]:
        parts[key] += 1
    return parts


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def seed(world: DemoWorld) -> None:
    if world.scale != "national":
        return
    created = seed_national()
    world.log.append(
        f"registry (national): {created} NGOs created"
        if created
        else "registry (national): already there"
    )


def seed_national(
    *, total: int = NATIONAL_TOTAL, seed: int = 2023, today: dt.date | None = None
) -> int:
    """Create the national registry scaled to `total` NGOs; returns how many organisations
    were created (0 when the registry already holds at least that many)."""
    if NgoProfile.objects.count() >= total:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    factor = total / NATIONAL_TOTAL
    regions = {r.code: r for r in Region.objects.filter(is_active=True)}
    forms = {f.code: f for f in LegalForm.objects.all()}
    areas = list(
        ActivityArea.objects.filter(is_active=True).values_list(
            "id", "name_kk", "name_ru", "name_en"
        )
    )
    area_names = {pk: [kk, ru, en] for pk, kk, ru, en in areas}

    # Statuses: exact national counts; Kyzylorda gets its known active share first.
    counts = _split(total, {s: float(n) for s, n in STATUSES.items()})
    pool_active = [NgoStatus.ACTIVE.value] * counts[NgoStatus.ACTIVE]
    pool_other = [s for s, n in counts.items() if s != NgoStatus.ACTIVE for _ in range(n)]
    rng.shuffle(pool_other)
    sizes = {code: _scaled(n, factor) for code, (n, _a) in FIXED.items()}
    sizes.update(_split(total - sum(sizes.values()), {k: float(w) for k, w in WEIGHTS.items()}))
    plan: list[tuple[str, str]] = []  # (region code, status)
    for code, (_n, active) in FIXED.items():
        if active is None:
            continue
        n_active = min(_scaled(active, factor), len(pool_active))
        n_other = min(sizes[code] - n_active, len(pool_other))
        plan += [(code, pool_active.pop()) for _ in range(n_active)]
        plan += [(code, pool_other.pop()) for _ in range(n_other)]
        sizes[code] = 0
    rest = pool_active + pool_other
    rng.shuffle(rest)
    for code, size in sorted(sizes.items()):
        plan += [(code, rest.pop()) for _ in range(min(size, len(rest)))]
    plan += [(rng.choice(sorted(WEIGHTS)), rest.pop()) for _ in range(len(rest))]
    ngo_specs = [(code, status, _weighted(rng, LEGAL_FORMS)) for code, status in plan]
    ngo_specs += [
        (rng.choice(sorted(regions)), NgoStatus.ACTIVE.value, "party_branch")
        for _ in range(_scaled(PARTY_BRANCHES, factor))
    ]
    ngo_specs += [
        (rng.choice(sorted(regions)), NgoStatus.ACTIVE.value, "trade_union")
        for _ in range(_scaled(TRADE_UNIONS, factor))
    ]

    taken = set(Organisation.objects.exclude(bin="").values_list("bin", flat=True))
    next_serial: dict[tuple[int, int], int] = {}
    last_year = today.year - 1
    years = list(range(1995, last_year + 1))
    year_weights = [1 + (y - 1995) ** 1.3 for y in years]
    with transaction.atomic():
        created = _create_ngos(
            rng, ngo_specs, regions, forms, area_names, taken, next_serial, years, year_weights
        )
        _create_history(rng, created, today)
        _create_reports(rng, created, today, factor)
    return len(created)


def _create_ngos(
    rng: random.Random,
    specs: list[tuple[str, str, str]],
    regions: dict[str, Region],
    forms: dict[str, LegalForm],
    area_names: dict[int, list[str]],
    taken: set[str],
    next_serial: dict[tuple[int, int], int],
    years: list[int],
    year_weights: list[float],
) -> list[NgoProfile]:
    through = NgoProfile.activity_areas.through
    area_ids = sorted(area_names)
    profiles: list[NgoProfile] = []
    for start in range(0, len(specs), BATCH):
        orgs: list[Organisation] = []
        batch_profiles: list[NgoProfile] = []
        chosen_areas: list[list[int]] = []
        for code, status, form_code in specs[start : start + BATCH]:
            region = regions[code]
            year = rng.choices(years, weights=year_weights)[0]
            month = rng.randint(1, 12)
            serial = next_serial.get((year, month), 30_000)
            bin_ = make_bin(year, month, serial)
            while bin_ in taken:
                bin_ = make_bin(year, month, int(bin_[6:11]) + 1)
            taken.add(bin_)
            next_serial[(year, month)] = int(bin_[6:11]) + 1
            word = rng.choice(WORDS)
            place = (region.centre_ru or region.name_ru).split()[-1]
            kk_form, ru_form = FORM_NAMES[form_code]
            label = f"{word} {place}" if rng.random() < 0.5 else f"{word}-{rng.randint(1, 99)}"
            org = Organisation(
                kind=OrganisationKind.NGO,
                level=Level.REGION,
                region=region,
                bin=bin_,
                name_kk=f"«{label}» {kk_form}",
                name_ru=f"{ru_form} «{label}»",
            )
            kk_text, ru_text = rng.choice(DESCRIPTIONS)
            profile = NgoProfile(
                organisation=org,
                legal_form=forms[form_code],
                short_name_ru=label,
                short_name_kk=label,
                settlement=Settlement.RURAL if rng.random() < 0.3 else Settlement.URBAN,
                district=place,
                registration_year=year,
                status=status,
                is_childrens=rng.random() < 0.06,
                is_youth=rng.random() < 0.15,
                is_disability=rng.random() < 0.05,
                is_ethnocultural=rng.random() < 0.04,
                is_volunteer=rng.random() < 0.08,
                leader_name=rng.choice(("Серікова Д.", "Ахметов Е.", "Иванова О.", "Нұрланов А.")),
                description_kk=kk_text,
                description_ru=ru_text,
            )
            picked = sorted(rng.sample(area_ids, k=rng.randint(1, 3)))
            profile.search_text = _search_text(
                org, profile, [n for a in picked for n in area_names[a]]
            )
            orgs.append(org)
            batch_profiles.append(profile)
            chosen_areas.append(picked)
        Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        for profile in batch_profiles:
            profile.organisation_id = profile.organisation.pk
        NgoProfile.objects.bulk_create(batch_profiles, batch_size=BATCH)
        through.objects.bulk_create(
            [
                through(ngoprofile_id=p.pk, activityarea_id=a)
                for p, picked in zip(batch_profiles, chosen_areas, strict=True)
                for a in picked
            ],
            batch_size=BATCH * 3,
        )
        profiles += batch_profiles
    return profiles


def _create_history(rng: random.Random, profiles: list[NgoProfile], today: dt.date) -> None:
    changes: list[NgoStatusChange] = []
    changed_since: list[NgoProfile] = []
    for p in profiles:
        registered = dt.date(p.registration_year, rng.randint(1, 12), rng.randint(1, 28))
        changes.append(
            NgoStatusChange(
                ngo=p, from_status="", to_status=NgoStatus.ACTIVE, changed_on=registered
            )
        )
        if p.status != NgoStatus.ACTIVE:
            span = max((today - registered).days, 1)
            since = registered + dt.timedelta(days=rng.randint(1, span))
            changes.append(
                NgoStatusChange(
                    ngo=p, from_status=NgoStatus.ACTIVE, to_status=p.status, changed_on=since
                )
            )
            p.status_since = since
            changed_since.append(p)
        else:
            p.status_since = registered
            changed_since.append(p)
    NgoStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    NgoProfile.objects.bulk_update(changed_since, ["status_since"], batch_size=BATCH)


def _money(rng: random.Random) -> dict[str, int]:
    values: dict[str, int] = {}
    for name in AnnualReport.INCOME_FIELDS:
        values[name] = rng.choice((0, 0, 0, rng.randint(1, 200) * 50_000))
    income = sum(values.values())
    spent = int(income * rng.uniform(0.7, 1.0))
    parts = [rng.random() for _ in AnnualReport.SPENDING_FIELDS]
    whole = sum(parts)
    shares = [int(spent * part / whole) for part in parts]
    shares[0] += spent - sum(shares)
    values.update(dict(zip(AnnualReport.SPENDING_FIELDS, shares, strict=True)))
    values["income_total_declared"] = income
    values["spending_total_declared"] = spent
    return values


def _create_reports(
    rng: random.Random, profiles: list[NgoProfile], today: dt.date, factor: float
) -> None:
    last = closed_year(today)
    plans: list[tuple[int, tuple[int, ...]]] = [(last, LAST_YEAR_REPORTS)]
    plans += [(last - 1 - i, counts) for i, counts in enumerate(EARLIER_REPORTS)]
    tz = timezone.get_current_timezone()
    ngo_only = [p for p in profiles if p.legal_form.group == "ngo"]
    for year, counts in plans:
        eligible = [
            p for p in ngo_only if p.status == NgoStatus.ACTIVE and p.registration_year <= year
        ]
        rng.shuffle(eligible)
        on_time, late, returned, draft = (*[_scaled(n, factor) for n in counts], 0, 0)[:4]
        deadline = report_deadline(year)
        reports: list[AnnualReport] = []
        changes: list[tuple[AnnualReport, list[tuple[str, str, str]]]] = []
        kinds = ["on_time"] * on_time + ["late"] * late + ["returned"] * returned
        kinds += ["draft"] * draft
        for p, kind in zip(eligible, kinds, strict=False):
            values = _money(rng)
            members = rng.randint(3, 300)
            report = AnnualReport(
                ngo=p,
                year=year,
                founders_and_members=p.leader_name,
                members_count=members,
                projects_count=rng.randint(1, 6),
                projects_description=p.description_ru,
                beneficiaries_count=rng.randint(20, 3_000),
                staff_count=rng.randint(0, 20),
                volunteers_count=rng.randint(0, 80),
                **values,
            )
            history: list[tuple[str, str, str]] = []
            if kind == "draft":
                report.status = ReportStatus.DRAFT
            else:
                offset = (
                    -rng.randint(0, 75) if kind in ("on_time", "returned") else rng.randint(1, 90)
                )
                day = deadline + dt.timedelta(days=offset)
                report.submitted_at = dt.datetime.combine(day, dt.time(rng.randint(9, 18)), tz)
                report.submitted_late = kind == "late"
                history.append((ReportStatus.DRAFT, ReportStatus.SUBMITTED, ""))
                if kind == "returned":
                    report.status = ReportStatus.RETURNED
                    report.review_comment = "Қаржы көздерін нақтылаңыз. / Уточните источники."
                    history.append(
                        (ReportStatus.SUBMITTED, ReportStatus.RETURNED, report.review_comment)
                    )
                elif year < last or rng.random() < 0.85:
                    report.status = ReportStatus.ACCEPTED
                    history.append((ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ""))
                else:
                    report.status = ReportStatus.SUBMITTED
            reports.append(report)
            changes.append((report, history))
        AnnualReport.objects.bulk_create(reports, batch_size=BATCH)
        ReportStatusChange.objects.bulk_create(
            [
                ReportStatusChange(report=r, from_status=a, to_status=b, note=c)
                for r, history in changes
                for a, b, c in history
            ],
            batch_size=BATCH,
        )
