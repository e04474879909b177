"""Contracts through their services: creation from a funded application, the default schedule
and its validation, signing, releasing tranches (never before the report is approved),
amendments, completion, termination, optimistic locking and the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import timezone

from ortaq.accounts.models import User
from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.funding.contracts import services as sc
from ortaq.funding.enums import ContractStatus, ProjectReportStatus, ReportKind, TrancheStatus
from ortaq.funding.models import Contract, ContractStatusChange, Report, Tranche
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.models import Notification
from tests.access import Cast

from . import factories as f

pytestmark = pytest.mark.django_db

START = dt.date(2025, 3, 3)
END = dt.date(2025, 11, 28)


def approve(report: Report) -> None:
    """The report review is another module's; here the report simply becomes approved."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=ProjectReportStatus.APPROVED, submitted_at=now, reviewed_at=now
    )


def plain(text: Any) -> str:
    """Money is formatted with no-break spaces; compare with ordinary ones."""
    return str(text).replace("\u00a0", " ")


def now(contract: Contract) -> int:
    """The version saved now (a test acting on a stale object means no conflict)."""
    return Contract.objects.values_list("version", flat=True).get(pk=contract.pk)


def make(cast: Cast, **kwargs: Any) -> Contract:
    _comp, application = f.published(cast)
    return sc.contract_create(
        actor=cast.users["official"],
        application=application,
        start_date=kwargs.pop("start", START),
        end_date=kwargs.pop("end", END),
        **kwargs,
    )


def signed(cast: Cast) -> Contract:
    contract = make(cast)
    return sc.contract_sign(
        actor=cast.users["official"],
        contract=contract,
        signed_on=START,
        expected_version=contract.version,
    )


def schedule(contract: Contract) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    reports = [
        (r.number, r.kind, r.period_start, r.period_end, r.due_date, r.status)
        for r in contract.reports.order_by("number")
    ]
    tranches = [
        (t.number, t.amount, t.due_date, t.report.number if t.report else None, t.status)
        for t in contract.tranches.select_related("report").order_by("number")
    ]
    return reports, tranches


# --- Creation ---------------------------------------------------------------------------------


def test_create_copies_the_application_and_proposes_the_default_schedule(cast: Cast) -> None:
    contract = make(cast)
    application = contract.application
    assert contract.number == f"SG-{timezone.localdate().year}-43-{application.pk:05d}"
    assert contract.status == ContractStatus.DRAFT
    assert contract.amount == 5_000_000 == application.decision_line.amount
    assert contract.organiser == cast.objects["state_body"]
    assert contract.ngo == application.ngo
    assert contract.region == application.region
    assert contract.region.code == "43"
    assert contract.title == "Жастар орталығы"
    assert contract.created_by == cast.users["official"]
    assert [
        (i.position, i.name, i.unit, i.baseline, i.target) for i in contract.indicators.all()
    ] == [(0, "Участники", "чел.", Decimal("0.00"), Decimal("300.00"))]
    middle = dt.date(2025, 7, 16)  # half-way between 3 March and 28 November
    progress_due = add_working_days(middle, 10)
    final_due = add_working_days(END, 10)
    assert schedule(contract) == (
        [
            (1, ReportKind.PROGRESS, START, middle, progress_due, "draft"),
            (2, ReportKind.FINAL, START, END, final_due, "draft"),
        ],
        [
            (1, 1_500_000, START, None, "planned"),
            (2, 2_000_000, add_working_days(progress_due, 10), 1, "planned"),
            (3, 1_500_000, add_working_days(final_due, 10), 2, "planned"),
        ],
    )
    entry = AuditEntry.objects.get(action="funding.contract.create")
    assert entry.actor == cast.users["official"]
    assert (entry.changes["number"], entry.changes["amount"]) == (contract.number, 5_000_000)


def test_a_given_number_is_kept_and_must_be_unique(cast: Cast) -> None:
    contract = make(cast, number=" 12/2025-SSO ")
    assert contract.number == "12/2025-SSO"
    _comp, other = f.published(cast)
    with pytest.raises(DomainError, match="Another contract has this number") as exc:
        sc.contract_create(
            actor=cast.users["official"],
            application=other,
            start_date=START,
            end_date=END,
            number="12/2025-SSO",
        )
    assert exc.value.field == "number"


@pytest.mark.parametrize("role", ["ngo_admin", "other_regional_admin", "platform_admin", "expert"])
def test_only_the_customer_makes_a_contract(cast: Cast, role: str) -> None:
    _comp, application = f.published(cast)
    with pytest.raises(DomainError, match=r"^Only the customer may do this\.$"):
        sc.contract_create(
            actor=cast.users[role], application=application, start_date=START, end_date=END
        )
    assert Contract.objects.count() == 0


def test_no_contract_for_an_application_that_is_not_funded(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    with pytest.raises(DomainError, match="only for a funded application of published results"):
        sc.contract_create(
            actor=cast.users["official"], application=application, start_date=START, end_date=END
        )
    assert Contract.objects.count() == 0


def test_one_contract_per_application(cast: Cast) -> None:
    contract = make(cast)
    with pytest.raises(DomainError, match=r"^This application already has a contract\.$"):
        sc.contract_create(
            actor=cast.users["official"],
            application=contract.application,
            start_date=START,
            end_date=END,
        )
    assert Contract.objects.count() == 1
    # The database refuses it too (one-to-one), whatever the path.
    with pytest.raises(IntegrityError):
        Contract.objects.create(
            application=contract.application,
            number="X",
            organiser=contract.organiser,
            ngo=contract.ngo,
            title="x",
            amount=1,
            start_date=START,
            end_date=END,
        )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (END, START, "The end cannot be before the start."),
        (START, dt.date(2028, 3, 4), "A project lasts at most 3 years."),
    ],
)
def test_create_refuses_bad_dates(cast: Cast, start: dt.date, end: dt.date, message: str) -> None:
    with pytest.raises(DomainError) as exc:
        make(cast, start=start, end=end)
    assert (str(exc.value.message), exc.value.field) == (message, "end_date")
    assert Contract.objects.count() == 0


# --- The schedule -----------------------------------------------------------------------------


def _plans(contract: Contract) -> tuple[list[sc.ReportPlan], list[sc.TranchePlan]]:
    return sc.current_plans(contract)


def _with(plans: list[Any], index: int, **changes: Any) -> list[Any]:
    from dataclasses import replace

    result = list(plans)
    result[index] = replace(result[index], **changes)
    return result


BAD_SCHEDULES: list[tuple[str, Any, str, str]] = [
    (
        "sum",
        lambda r, t: (r, _with(t, 2, amount=1_000_000)),
        "The tranches add up to 4 500 000 ₸, but the contract's amount is 5 000 000 ₸.",
        "tranches",
    ),
    (
        "negative",
        lambda r, t: (r, _with(_with(t, 2, amount=-1), 1, amount=3_500_001)),
        "Tranche 3: the amount must be positive.",
        "tranches",
    ),
    (
        "unknown report",
        lambda r, t: (r, _with(t, 1, report=7)),
        "Tranche 2: report 7 is not in this contract's schedule.",
        "tranches",
    ),
    (
        "two finals",
        lambda r, t: (_with(r, 0, kind=ReportKind.FINAL), t),
        "Plan exactly one final report.",
        "reports",
    ),
    (
        "no final",
        lambda r, t: (_with(r, 1, kind=ReportKind.PROGRESS), t),
        "Plan exactly one final report.",
        "reports",
    ),
    (
        "outside dates",
        lambda r, t: (_with(r, 0, period_start=START - dt.timedelta(days=1)), t),
        "Report 1: the period must lie within the contract's dates.",
        "reports",
    ),
    (
        "due before the period ends",
        lambda r, t: (_with(r, 0, due_date=dt.date(2025, 7, 1)), t),
        "Report 1: the due date must fall after the period, within 90 days.",
        "reports",
    ),
    (
        "tranche before its report",
        lambda r, t: (r, _with(t, 1, due_date=dt.date(2025, 7, 1))),
        "Tranche 2: the due date must fall between ",
        "tranches",
    ),
    (
        "no tranche",
        lambda r, t: (r, []),
        "Plan at least one tranche.",
        "tranches",
    ),
]


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [row[1:] for row in BAD_SCHEDULES],
    ids=[row[0] for row in BAD_SCHEDULES],
)
def test_a_bad_schedule_is_refused_and_nothing_changes(
    cast: Cast, change: Any, message: str, field: str
) -> None:
    contract = make(cast)
    before = schedule(contract)
    reports, tranches = change(*_plans(contract))
    with pytest.raises(DomainError) as exc:
        sc.contract_set_schedule(
            actor=cast.users["official"],
            contract=contract,
            reports=reports,
            tranches=tranches,
            expected_version=contract.version,
        )
    assert plain(exc.value.message).startswith(message)
    assert exc.value.field == field
    assert schedule(contract) == before
    contract.refresh_from_db()
    assert contract.version == 1


def test_the_draft_schedule_is_replaced(cast: Cast) -> None:
    contract = make(cast)
    reports = [
        sc.ReportPlan(1, ReportKind.PROGRESS, START, dt.date(2025, 5, 30), dt.date(2025, 6, 13)),
        sc.ReportPlan(2, ReportKind.PROGRESS, START, dt.date(2025, 8, 29), dt.date(2025, 9, 12)),
        sc.ReportPlan(3, ReportKind.FINAL, START, END, dt.date(2025, 12, 12)),
    ]
    tranches = [
        sc.TranchePlan(1, 2_000_000, START),
        sc.TranchePlan(2, 3_000_000, dt.date(2025, 12, 26), 3),
    ]
    sc.contract_set_schedule(
        actor=cast.users["official"],
        contract=contract,
        reports=reports,
        tranches=tranches,
        expected_version=1,
    )
    contract.refresh_from_db()
    assert contract.version == 2
    assert schedule(contract)[1] == [
        (1, 2_000_000, START, None, "planned"),
        (2, 3_000_000, dt.date(2025, 12, 26), 3, "planned"),
    ]
    assert [r[0] for r in schedule(contract)[0]] == [1, 2, 3]
    assert AuditEntry.objects.filter(action="funding.contract.schedule").count() == 1


def test_the_schedule_of_a_signed_contract_changes_only_by_amendment(cast: Cast) -> None:
    contract = signed(cast)
    with pytest.raises(DomainError, match="only by an amendment"):
        sc.contract_set_schedule(
            actor=cast.users["official"],
            contract=contract,
            reports=_plans(contract)[0],
            tranches=_plans(contract)[1],
            expected_version=contract.version,
        )


# --- Signing ----------------------------------------------------------------------------------


def _reads_english(*users: Any) -> None:
    """Notices are written in each recipient's language; these people read English."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(preferred_language="en")


def test_signing_puts_the_contract_in_force_and_tells_the_ngo(cast: Cast) -> None:
    _reads_english(cast.users["ngo_admin"], cast.users["ngo_member"])
    contract = make(cast)
    sc.contract_sign(
        actor=cast.users["official"], contract=contract, signed_on=START, expected_version=1
    )
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on, contract.version) == ("active", START, 2)
    change = ContractStatusChange.objects.get(contract=contract)
    assert (change.from_status, change.to_status, change.actor) == (
        "draft",
        "active",
        cast.users["official"],
    )
    notes = Notification.objects.filter(topic="funding.contract.signed")
    assert sorted(n.recipient.email for n in notes) == [
        "member@example.kz",
        "ngo-admin@example.kz",
    ]
    assert notes[0].url == f"/en/funding/contracts/{contract.pk}/"
    assert notes[0].subject == f"Contract {contract.number} is signed"


def test_signing_refuses_a_future_date_and_a_second_signature(cast: Cast) -> None:
    contract = make(cast)
    with pytest.raises(DomainError, match="cannot be in the future") as exc:
        sc.contract_sign(
            actor=cast.users["official"],
            contract=contract,
            expected_version=now(contract),
            signed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert exc.value.field == "signed_on"
    sc.contract_sign(
        actor=cast.users["official"],
        contract=contract,
        expected_version=now(contract),
        signed_on=START,
    )
    with pytest.raises(DomainError, match="Only a contract being prepared can be signed"):
        sc.contract_sign(
            actor=cast.users["official"],
            contract=contract,
            expected_version=now(contract),
            signed_on=START,
        )
    with pytest.raises(DomainError, match=r"^Only the customer may do this\.$"):
        sc.contract_sign(
            actor=cast.users["ngo_admin"], contract=make(cast), signed_on=START, expected_version=1
        )


# --- Releasing tranches -----------------------------------------------------------------------


def test_a_tranche_is_never_released_before_its_report_is_approved(cast: Cast) -> None:
    _reads_english(cast.users["ngo_admin"])
    contract = signed(cast)
    advance, second, final = contract.tranches.order_by("number")
    official = cast.users["official"]
    sc.tranche_release(actor=official, tranche=advance, payment_reference="PP-1")
    for status in (ProjectReportStatus.DRAFT, ProjectReportStatus.SUBMITTED, "returned"):
        Report.objects.filter(pk=second.report_id).update(
            status=status, submitted_at=None if status == "draft" else timezone.now()
        )
        with pytest.raises(DomainError) as exc:
            sc.tranche_release(actor=official, tranche=second, payment_reference="PP-2")
        assert str(exc.value.message) == "The tranche is released only after report 1 is approved."
    second.refresh_from_db()
    assert (second.status, second.released_at, second.payment_reference) == ("planned", None, "")
    approve(second.report)  # type: ignore[arg-type]
    sc.tranche_release(actor=official, tranche=second, payment_reference=" PP-2 ")
    second.refresh_from_db()
    assert (second.status, second.released_by, second.payment_reference) == (
        "released",
        official,
        "PP-2",
    )
    assert second.released_at is not None
    with pytest.raises(DomainError, match=r"^The tranche is released only after report 2"):
        sc.tranche_release(actor=official, tranche=final, payment_reference="PP-3")
    entry = AuditEntry.objects.filter(action="funding.tranche.release").order_by("pk").last()
    assert entry is not None
    assert entry.changes == {
        "contract": contract.number,
        "status": ["planned", "released"],
        "amount": 2_000_000,
        "payment_reference": "PP-2",
    }
    note = Notification.objects.filter(
        topic="funding.contract.tranche", recipient=cast.users["ngo_admin"]
    ).first()
    assert note is not None
    assert note.subject == f"Tranche 2 of contract {contract.number} is paid"
    assert plain(note.body) == "Payment order PP-2. Paid under the contract so far: 3 500 000 ₸."


def test_release_refusals(cast: Cast) -> None:
    contract = make(cast)
    advance = contract.tranches.get(number=1)
    official = cast.users["official"]
    with pytest.raises(DomainError, match="only while the contract is in force"):
        sc.tranche_release(actor=official, tranche=advance, payment_reference="PP-1")
    sc.contract_sign(
        actor=official, contract=contract, expected_version=now(contract), signed_on=START
    )
    for role in ("ngo_admin", "platform_admin", "other_regional_admin"):
        with pytest.raises(DomainError, match=r"^Only the customer may do this\.$"):
            sc.tranche_release(actor=cast.users[role], tranche=advance, payment_reference="PP-1")
    with pytest.raises(DomainError, match="payment order") as exc:
        sc.tranche_release(actor=official, tranche=advance, payment_reference="  ")
    assert exc.value.field == "payment_reference"
    sc.tranche_release(actor=cast.users["regional_admin"], tranche=advance, payment_reference="1")
    with pytest.raises(DomainError, match=r"^Tranche 1 is already released\.$"):
        sc.tranche_release(actor=official, tranche=advance, payment_reference="2")
    advance.refresh_from_db()
    assert advance.payment_reference == "1"


def test_the_database_trigger_is_caught_when_the_check_is_missed(
    cast: Cast, monkeypatch: Any
) -> None:
    """Should the service's own check ever miss (a bug, a race), the trigger of migration
    0005 refuses and the service turns it into the same kind of refusal."""
    contract = signed(cast)
    second = contract.tranches.get(number=2)
    monkeypatch.setattr(sc, "release_refusal", lambda tranche: None)
    with pytest.raises(DomainError, match="only after its report is approved"):
        sc.tranche_release(actor=cast.users["official"], tranche=second, payment_reference="X")
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED


# --- Amendments -------------------------------------------------------------------------------


def test_amendments_are_numbered_and_record_what_changed(cast: Cast) -> None:
    contract = signed(cast)
    official = cast.users["official"]
    new_end = dt.date(2025, 12, 26)
    first = sc.contract_amend(
        actor=official, contract=contract, reason="Later start of the camps", end_date=new_end,
        expected_version=contract.version,
    )  # fmt: skip
    final_due = add_working_days(new_end, 10)
    assert first.number == 1
    assert first.changes == {
        "end_date": ["2025-11-28", "2025-12-26"],
        "report.2.period_end": ["2025-11-28", "2025-12-26"],
        "report.2.due_date": [add_working_days(END, 10).isoformat(), final_due.isoformat()],
    }
    contract.refresh_from_db()
    sc.tranche_release(
        actor=official, tranche=contract.tranches.get(number=1), payment_reference="PP-1"
    )
    third_due = contract.tranches.get(number=3).due_date
    second = sc.contract_amend(
        actor=official,
        contract=contract,
        reason="More participants",
        amount=5_600_000,
        tranches={3: sc.TrancheChange(amount=2_100_000, due_date=dt.date(2026, 1, 30))},
        expected_version=contract.version,
    )
    assert second.number == 2
    assert second.changes == {
        "amount": [5_000_000, 5_600_000],
        "tranche.3.amount": [1_500_000, 2_100_000],
        "tranche.3.due_date": [third_due.isoformat(), "2026-01-30"],
    }
    contract.refresh_from_db()
    assert (contract.amount, contract.end_date, contract.version) == (5_600_000, new_end, 4)
    assert [(t.number, t.amount) for t in contract.tranches.order_by("number")] == [
        (1, 1_500_000),
        (2, 2_000_000),
        (3, 2_100_000),
    ]
    final = contract.reports.get(kind=ReportKind.FINAL)
    assert (final.period_end, final.due_date) == (new_end, final_due)
    assert list(contract.amendments.values_list("number", "reason")) == [
        (1, "Later start of the camps"),
        (2, "More participants"),
    ]
    assert AuditEntry.objects.filter(action="funding.contract.amend").count() == 2
    assert (
        Notification.objects.filter(
            topic="funding.contract.amended", recipient=cast.users["ngo_member"]
        ).count()
        == 2
    )


def test_an_amendment_keeps_released_tranches_and_the_sum(cast: Cast) -> None:
    contract = signed(cast)
    official = cast.users["official"]
    sc.tranche_release(
        actor=official, tranche=contract.tranches.get(number=1), payment_reference="PP-1"
    )
    contract.refresh_from_db()
    before = schedule(contract)
    cases = [
        (
            {"amount": 6_000_000},
            "The tranches add up to 5 000 000 ₸, but the contract's amount is 6 000 000 ₸.",
            "tranches",
        ),
        (
            {"tranches": {1: sc.TrancheChange(amount=1_000_000)}},
            "Tranche 1 is released: it cannot change.",
            "tranches",
        ),
        ({"reason": "  "}, "Say why the contract is amended.", "reason"),
        ({}, "The amendment changes nothing.", None),
        (
            {"tranches": {9: sc.TrancheChange(amount=1)}},
            "Tranche 9 is not in this contract.",
            "tranches",
        ),
    ]
    for kwargs, message, field in cases:
        kwargs = {"reason": "Because", **kwargs}
        with pytest.raises(DomainError) as exc:
            sc.contract_amend(
                actor=official, contract=contract, expected_version=contract.version, **kwargs
            )
        assert (plain(exc.value.message), exc.value.field) == (
            message,
            field,
        )
    contract.refresh_from_db()
    assert contract.amount == 5_000_000
    assert schedule(contract) == before
    assert contract.amendments.count() == 0


def test_a_draft_is_not_amended(cast: Cast) -> None:
    contract = make(cast)
    with pytest.raises(DomainError, match="Only a contract in force is amended"):
        sc.contract_amend(
            actor=cast.users["official"],
            contract=contract,
            reason="x",
            amount=1,
            expected_version=1,
        )


# --- Concurrency ------------------------------------------------------------------------------


def test_a_stale_version_overwrites_nothing(cast: Cast) -> None:
    contract = make(cast)
    official = cast.users["official"]
    reports, tranches = _plans(contract)
    sc.contract_set_schedule(
        actor=official, contract=contract, reports=reports,
        tranches=_with(_with(tranches, 0, amount=1_000_000), 2, amount=2_000_000),
        expected_version=1,
    )  # fmt: skip
    before = schedule(contract)
    with pytest.raises(ConflictError, match="Someone else changed this while you were editing it"):
        sc.contract_set_schedule(
            actor=official,
            contract=contract,
            reports=reports,
            tranches=tranches,
            expected_version=1,
        )
    assert schedule(contract) == before
    with pytest.raises(ConflictError):
        sc.contract_sign(actor=official, contract=contract, signed_on=START, expected_version=1)
    contract.refresh_from_db()
    assert (contract.status, contract.version) == ("draft", 2)
    sc.contract_sign(actor=official, contract=contract, signed_on=START, expected_version=2)
    with pytest.raises(ConflictError):
        sc.contract_amend(
            actor=official, contract=contract, reason="x", end_date=dt.date(2025, 12, 1),
            expected_version=2,
        )  # fmt: skip
    contract.refresh_from_db()
    assert (contract.end_date, contract.amendments.count()) == (END, 0)


# --- Completion and termination ---------------------------------------------------------------


def test_completion_needs_every_tranche_and_the_final_report(cast: Cast) -> None:
    contract = signed(cast)
    official = cast.users["official"]
    with pytest.raises(DomainError, match=r"^Some tranches are not released yet\.$"):
        sc.contract_complete(actor=official, contract=contract, expected_version=now(contract))
    for report in contract.reports.all():
        approve(report)
    for tranche in contract.tranches.order_by("number"):
        sc.tranche_release(actor=official, tranche=tranche, payment_reference=f"PP-{tranche.pk}")
    Report.objects.filter(contract=contract, kind=ReportKind.FINAL).update(
        status=ProjectReportStatus.SUBMITTED
    )
    with pytest.raises(DomainError, match=r"^The final report is not approved yet\.$"):
        sc.contract_complete(actor=official, contract=contract, expected_version=now(contract))
    approve(contract.reports.get(kind=ReportKind.FINAL))
    sc.contract_complete(actor=official, contract=contract, expected_version=now(contract))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    assert list(contract.status_changes.values_list("from_status", "to_status")) == [
        ("draft", "active"),
        ("active", "completed"),
    ]


def test_termination_needs_a_reason_and_a_contract_in_force(cast: Cast) -> None:
    contract = make(cast)
    official = cast.users["official"]
    with pytest.raises(DomainError, match="Only a contract in force can be terminated"):
        sc.contract_terminate(
            actor=official, contract=contract, expected_version=now(contract), reason="No money"
        )
    sc.contract_sign(
        actor=official, contract=contract, expected_version=now(contract), signed_on=START
    )
    with pytest.raises(DomainError, match="Say why") as exc:
        sc.contract_terminate(
            actor=official, contract=contract, expected_version=now(contract), reason=" "
        )
    assert exc.value.field == "reason"
    sc.contract_terminate(
        actor=official,
        contract=contract,
        expected_version=now(contract),
        reason="The NGO stopped the work",
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.status_changes.last().note == "The NGO stopped the work"  # type: ignore[union-attr]
    advance = Tranche.objects.get(contract=contract, number=1)
    with pytest.raises(DomainError, match="only while the contract is in force"):
        sc.tranche_release(actor=official, tranche=advance, payment_reference="PP-1")
