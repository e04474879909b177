"""The risk scan: planted patterns are found with their evidence, ordinary data raises no
signal, a re-scan keeps the reviewer's verdict; the review service; the command and task."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.funding.enums import ProjectReportStatus, RiskKind, RiskStatus
from ortaq.funding.models import Application, BudgetLine, Lot, Programme, Report, RiskSignal
from ortaq.funding.risk import services
from ortaq.funding.tasks import risk_scan as risk_scan_task
from tests.access import Cast

from . import risk_factories as rf

pytestmark = pytest.mark.django_db

NOTHING = dict.fromkeys(RiskKind.values, 0)


def _found(**kinds: int) -> dict[str, int]:
    return {**NOTHING, **kinds}


def test_ordinary_data_raises_no_signal() -> None:
    rf.ordinary_world()
    summary = services.risk_scan()
    assert summary.found == NOTHING
    assert RiskSignal.objects.count() == 0


def test_planted_duplicate_and_wholesaler_are_found_with_their_evidence() -> None:
    world = rf.ordinary_world()
    first, second = rf.plant_duplicate(world)
    wholesaler, won = rf.plant_wholesaler(world)
    summary = services.risk_scan()
    assert summary.found == _found(double_funding=1, wholesaler=1)
    assert (summary.created, summary.updated, summary.not_seen) == (2, 0, 0)

    double = RiskSignal.objects.get(kind=RiskKind.DOUBLE_FUNDING)
    assert double.fingerprint == f"double_funding:{first.pk}:{second.pk}"
    assert (double.ngo_id, double.year, double.status) == (first.ngo_id, 2024, RiskStatus.OPEN)
    assert set(double.organisers.all()) == {world.bodies["43"], world.operator}
    assert set(double.regions.values_list("code", flat=True)) == {"43"}
    evidence = double.evidence
    assert [a["id"] for a in evidence["applications"]] == [first.pk, second.pk]
    assert [a["programme"]["id"] for a in evidence["applications"]] == [
        first.lot.competition.programme_id,
        second.lot.competition.programme_id,
    ]
    assert evidence["applications"][0]["period"] == ["2024-01-01", "2024-12-31"]
    assert evidence["applications"][0]["amount"] == 6_200_000
    assert evidence["applications"][1]["amount"] == 6_324_000
    assert evidence["overlap_days"] == 366
    assert evidence["text_similarity"] >= 0.5
    assert evidence["budget_similarity"] == pytest.approx(0.9901, abs=1e-4)
    assert "проводят по восемь занятий в библиотеках и домах культуры" in " ".join(
        evidence["shared_phrases"]
    )
    assert evidence["shared_lines"][0] == {
        "item": "Информационная кампания в районных СМИ",
        "amount_a": 630_000,
        "amount_b": 642_600,
    }
    assert len(evidence["shared_lines"]) == 5
    assert float(double.strength) == pytest.approx(evidence["budget_similarity"], abs=1e-3)

    opt = RiskSignal.objects.get(kind=RiskKind.WHOLESALER)
    assert opt.fingerprint == f"wholesaler:{wholesaler.pk}:2024"
    assert opt.evidence["regions"] == 6
    assert opt.evidence["mean_ratio"] == pytest.approx(0.55)
    assert [
        (lot["application"], lot["ceiling"], lot["price"], lot["ratio"])
        for lot in opt.evidence["lots"]
    ] == [(a.pk, 10_000_000, a.requested_amount, a.requested_amount / 10_000_000) for a in won]
    assert {lot["region"]["name"] for lot in opt.evidence["lots"]} == {
        world.region(code).name_ru for code in rf.REGIONS
    }
    assert set(opt.organisers.all()) == set(world.bodies.values())
    assert set(opt.regions.values_list("code", flat=True)) == set(rf.REGIONS)


def test_same_text_in_another_region_or_year_is_no_double_funding() -> None:
    world = rf.ordinary_world()
    _first, second = rf.plant_duplicate(world)
    # Carried out in another region: a replicated project, not the same one paid twice.
    Lot.objects.filter(pk=second.lot_id).update(region=world.region("15"))
    assert services.risk_scan().found == NOTHING
    # Back in the same region, but a year later: the periods no longer overlap.
    Lot.objects.filter(pk=second.lot_id).update(region=world.region("43"))
    Programme.objects.filter(pk=second.lot.competition.programme_id).update(year=2025)
    assert services.risk_scan().found == NOTHING


def test_rescan_keeps_the_verdict_and_a_signal_no_longer_found(cast: Cast) -> None:
    world = rf.ordinary_world()
    _first, second = rf.plant_duplicate(world)
    before = timezone.now() - dt.timedelta(days=1)
    services.risk_scan(now=before)
    signal = RiskSignal.objects.get(kind=RiskKind.DOUBLE_FUNDING)
    admin = cast.users["platform_admin"]
    services.risk_review(
        actor=admin, signal=signal, status=RiskStatus.DISMISSED, note="Two stages of one plan."
    )

    summary = services.risk_scan()
    assert (summary.created, summary.updated, summary.found["double_funding"]) == (0, 1, 1)
    again = RiskSignal.objects.get(pk=signal.pk)
    assert (again.status, again.note, again.reviewed_by) == (
        RiskStatus.DISMISSED,
        "Two stages of one plan.",
        admin,
    )
    assert again.last_seen_at > before
    assert again.detected_at == signal.detected_at

    # The copy is rewritten: the next scan no longer finds it, the signal stays as it was.
    Application.objects.filter(pk=second.pk).update(description=rf.TOPICS[6])
    BudgetLine.objects.filter(application=second).update(amount=100_000)
    later = timezone.now() + dt.timedelta(days=1)
    summary = services.risk_scan(now=later)
    assert summary.found == NOTHING
    assert summary.not_seen == 1
    kept = RiskSignal.objects.get(pk=signal.pk)
    assert kept.last_seen_at == again.last_seen_at
    assert kept.status == RiskStatus.DISMISSED


def _reporter(world: rf.World, **report: Any) -> tuple[Application, Any]:
    ngo = world.ngos["15"][0]
    application = Application.objects.filter(ngo=ngo, lot__competition__programme__year=2024)[0]
    return application, rf.late_report(application, **report)


def test_one_late_report_is_no_signal_by_default_but_an_outstanding_one_is() -> None:
    world = rf.ordinary_world()
    application, _report = _reporter(world, late_days=20)
    rf.sent_application(
        application.ngo, world.bodies["15"], world, when=dt.datetime(2025, 3, 10, tzinfo=rf.TZ)
    )
    # One report sent 20 days late in an otherwise clean record: the ordinary life of a project.
    assert services.risk_scan(now=dt.datetime(2025, 6, 1, tzinfo=rf.TZ)).found == NOTHING


def test_late_reporter_applying_again_is_a_signal(settings: Any) -> None:
    settings.FUNDING_RISK_REPORT_MIN_LATE = 1  # every late report counts
    world = rf.ordinary_world()
    application, report = _reporter(world, late_days=20)
    ngo = application.ngo
    new = rf.sent_application(
        ngo, world.bodies["15"], world, when=dt.datetime(2025, 3, 10, 12, tzinfo=rf.TZ)
    )
    summary = services.risk_scan(now=dt.datetime(2025, 6, 1, tzinfo=rf.TZ))
    assert summary.found == _found(reporting=1)
    signal = RiskSignal.objects.get(kind=RiskKind.REPORTING)
    assert signal.fingerprint == f"reporting:{ngo.pk}:2025"
    assert signal.evidence["reports"] == [
        {
            "id": report.pk,
            "contract": {"id": report.contract_id, "number": report.contract.number},
            "number": 1,
            "kind": "progress",
            "status": "approved",
            "due_date": report.due_date.isoformat(),
            "submitted_on": (report.due_date + dt.timedelta(days=20)).isoformat(),
            "days_late": 20,
            "returned": False,
        }
    ]
    assert [a["id"] for a in signal.evidence["applications"]] == [new.pk]
    assert float(signal.strength) == 0.5
    assert world.bodies["15"] in signal.organisers.all()


def test_report_on_time_or_application_before_the_lateness_is_no_signal() -> None:
    world = rf.ordinary_world()
    application, _report = _reporter(world, late_days=0)
    rf.sent_application(
        application.ngo, world.bodies["15"], world, when=dt.datetime(2025, 3, 10, tzinfo=rf.TZ)
    )
    assert services.risk_scan(now=dt.datetime(2025, 6, 1, tzinfo=rf.TZ)).found == NOTHING


def test_returned_report_counts_from_its_return() -> None:
    world = rf.ordinary_world()
    application, _report = _reporter(world, late_days=0, status=ProjectReportStatus.RETURNED)
    rf.sent_application(
        application.ngo, world.bodies["15"], world, when=dt.datetime(2025, 1, 10, tzinfo=rf.TZ)
    )
    summary = services.risk_scan(now=dt.datetime(2025, 6, 1, tzinfo=rf.TZ))
    assert summary.found == _found(reporting=1)
    evidence = RiskSignal.objects.get().evidence
    assert evidence["reports"][0]["returned"] is True
    assert evidence["reports"][0]["days_late"] == 0


def test_concentration_in_one_ngo_and_one_region(settings: Any) -> None:
    world = rf.ordinary_world()
    ngo = world.ngos["75"][0]
    for _ in range(8):  # the Almaty body funds the same NGO eight more times in 2024
        rf.ordinary(world, ngo, world.bodies["75"], 2024)
    summary = services.risk_scan()
    assert summary.found == _found(ngo_concentration=2)
    scopes = sorted(
        RiskSignal.objects.filter(kind=RiskKind.NGO_CONCENTRATION).values_list(
            "fingerprint", flat=True
        )
    )
    region = world.region("75")
    assert scopes == sorted(
        [
            f"ngo_concentration:body:{world.bodies['75'].pk}:2024:{ngo.pk}",
            f"ngo_concentration:region:{region.pk}:2024:{ngo.pk}",
        ]
    )
    body = RiskSignal.objects.get(fingerprint=scopes[0])
    assert body.evidence["ngo_projects"] == 10
    assert body.evidence["projects"] == 20
    assert body.evidence["top"][0]["ngo"] == ngo.pk
    assert 0 < body.evidence["herfindahl"] < 1

    settings.FUNDING_RISK_REGION_SHARE = 20
    settings.FUNDING_RISK_REGION_RATIO = 130
    summary = services.risk_scan()
    assert summary.found["region_concentration"] == 1
    signal = RiskSignal.objects.get(kind=RiskKind.REGION_CONCENTRATION)
    assert signal.fingerprint == f"region_concentration:{region.pk}:2024"
    assert signal.evidence["ngo_share"] == pytest.approx(6 / 36, abs=1e-4)


def test_review_refusals_and_audit(cast: Cast) -> None:
    world = rf.ordinary_world()
    rf.plant_duplicate(world)
    services.risk_scan()
    signal = RiskSignal.objects.get()
    admin = cast.users["platform_admin"]
    with pytest.raises(DomainError) as refused:
        services.risk_review(actor=admin, signal=signal, status="dismissed", note=" ")
    assert refused.value.field == "note"
    with pytest.raises(DomainError) as refused:
        services.risk_review(actor=admin, signal=signal, status="maybe", note="")
    assert refused.value.field == "status"
    with pytest.raises(DomainError):  # the Aktobe administrator is not concerned
        services.risk_review(
            actor=cast.users["other_regional_admin"], signal=signal, status="confirmed", note=""
        )
    reviewed = services.risk_review(
        actor=admin,
        signal=signal,
        status="confirmed",
        note="Same project twice.",
        seen_reviewed_at="",
    )
    with pytest.raises(ConflictError):  # a second reviewer read the page before that
        services.risk_review(
            actor=admin, signal=signal, status="dismissed", note="No.", seen_reviewed_at=""
        )
    assert RiskSignal.objects.get().status == RiskStatus.CONFIRMED
    entry = AuditEntry.objects.get(action="funding.risk.review")
    assert entry.object_id == str(reviewed.pk)
    assert entry.changes == {
        "status": ["open", "confirmed"],
        "note": ["", "Same project twice."],
    }


def test_command_and_task_scan() -> None:
    world = rf.ordinary_world()
    rf.plant_wholesaler(world)
    out = io.StringIO()
    call_command("scan_risks", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:5] == [
        "double_funding: 0",
        "wholesaler: 1",
        "reporting: 0",
        "region_concentration: 0",
        "ngo_concentration: 0",
    ]
    assert lines[5].startswith("created 1, updated 0, not seen this time 0, ")
    assert risk_scan_task.delay().get()["updated"] == 1


def _more_reports(report: Any, *, late: list[int]) -> None:
    """More reports of the same contract, each sent `late[i]` days after its due date."""
    for number, days in enumerate(late, start=2):
        due = report.due_date + dt.timedelta(days=number)
        sent = dt.datetime.combine(due + dt.timedelta(days=days), dt.time(12), tzinfo=rf.TZ)
        report.pk = None
        report.number, report.due_date = number, due
        report.submitted_at, report.reviewed_at = sent, sent + dt.timedelta(days=3)
        report.save()


def test_a_habit_of_late_reports_is_a_signal_an_occasional_one_is_not() -> None:
    world = rf.ordinary_world()
    application, report = _reporter(world, late_days=20)
    _more_reports(report, late=[15, 0, 0, 0, 0, 0, 0, 0])  # 2 late of 9 owed: 22%
    rf.sent_application(
        application.ngo, world.bodies["15"], world, when=dt.datetime(2025, 3, 10, tzinfo=rf.TZ)
    )
    now = dt.datetime(2025, 6, 1, tzinfo=rf.TZ)
    assert services.risk_scan(now=now).found == NOTHING
    Report.objects.filter(contract=report.contract, number__gte=6).delete()  # 2 late of 5: 40%
    assert services.risk_scan(now=now).found == _found(reporting=1)
