"""Demo yearly reports of the small demo NGOs, one in each state the pages show: a report
waiting for the Kyzylorda regional administrator, a returned one with comments, an accepted
one and a draft (the draft is the NGO administrator's, ngo.admin@ortaq.kz)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ortaq.accounts.models import Organisation, User
from ortaq.demo.world import DemoWorld
from ortaq.reference.models import LegalForm
from ortaq.registry.enums import ReportStatus
from ortaq.registry.models import AnnualReport, NgoProfile, ReportStatusChange
from ortaq.registry.report_selectors import due_year, report_deadline

YOUTH = "Общественное объединение «Болашак жастары»"
ALLIANCE = "Объединение юридических лиц «Гражданский альянс Кызылординской области»"

CONTENT: dict[str, Any] = {
    "founders_and_members": "Әбенова Гүлнар (төраға), Жұмабаев Нұрлан, 24 мүше / 24 члена",
    "members_count": 26,
    "property_description": "Кеңсе жабдығы, ноутбуктар (3)",
    "income_state_grants": 4_500_000,
    "income_donations": 650_000,
    "income_membership_fees": 120_000,
    "income_total_declared": 5_270_000,
    "spending_programmes": 4_100_000,
    "spending_salaries": 800_000,
    "spending_administration": 250_000,
    "spending_total_declared": 5_150_000,
    "projects_description": "«Жастар – Сыр өңірінің болашағы» форумы; ауыл жастарына тренингтер.",
    "projects_count": 2,
    "beneficiaries_count": 640,
    "staff_count": 3,
    "volunteers_count": 45,
}


def _profile(name_ru: str, form: str, year: int) -> NgoProfile | None:
    organisation = Organisation.objects.filter(name_ru=name_ru).first()
    if organisation is None:
        return None
    profile, _created = NgoProfile.objects.get_or_create(
        organisation=organisation,
        defaults={"legal_form": LegalForm.objects.get(code=form), "registration_year": year},
    )
    return profile


def _report(
    ngo: NgoProfile,
    year: int,
    status: str,
    steps: list[tuple[str, str, Any, str]],
    **extra: Any,
) -> None:
    if AnnualReport.objects.filter(ngo=ngo, year=year).exists():
        return
    deadline = report_deadline(year)
    submitted = (
        timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=20), dt.time(11)))
        if status != ReportStatus.DRAFT
        else None
    )
    report = AnnualReport.objects.create(
        ngo=ngo, year=year, status=status, submitted_at=submitted, **{**CONTENT, **extra}
    )
    for source, target, actor, comment in steps:
        ReportStatusChange.objects.create(
            report=report, from_status=source, to_status=target, actor=actor, note=comment
        )


def seed(world: DemoWorld) -> None:
    users: dict[str, User] = world.objects.get("users", {})
    admin = users.get("NGO administrator")
    reviewer = users.get("regional administrator")
    youth = _profile(YOUTH, "public_association", 2015)
    alliance = _profile(ALLIANCE, "association_of_legal_entities", 2008)
    if youth is None or alliance is None:
        return
    year = due_year()
    comment = (
        "Қаржы көздерінің жиыны мен шығыстарды тексеріңіз. / "
        "Проверьте итоги источников и расходов: приложите договор гранта."
    )
    _report(
        youth,
        year - 2,
        ReportStatus.ACCEPTED,
        [("draft", "submitted", admin, ""), ("submitted", "accepted", reviewer, "")],
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    _report(
        youth,
        year - 1,
        ReportStatus.RETURNED,
        [("draft", "submitted", admin, ""), ("submitted", "returned", reviewer, comment)],
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
        review_comment=comment,
    )
    _report(youth, year, ReportStatus.DRAFT, [], projects_description="", projects_count=0)
    _report(alliance, year, ReportStatus.SUBMITTED, [("draft", "submitted", None, "")])
    world.log.append("registry: demo NGO-database reports (accepted, returned, draft, submitted)")
