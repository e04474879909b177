"""Project reports through their services: the whole flow draft → submitted → returned →
submitted → approved, and every refusal (bad values, overspending, wrong role, contract not in
force, targets missing on submission, stale version)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.funding.enums import ContractStatus, ProjectReportStatus
from ortaq.funding.models import BudgetLine, Contract, Report, ReportSpending
from ortaq.funding.reports import services
from ortaq.notifications.models import Notification
from tests.access import Cast

from . import reports_helpers as h

pytestmark = pytest.mark.django_db


def _save(cast: Cast, report: Report, role: str = "ngo_admin", **changes: object) -> Report:
    report.refresh_from_db()
    made = report.contract
    arguments: dict[str, object] = {
        "beneficiaries": 10,
        "narrative": "",
        "public_summary": "",
        "values": {t.pk: (Decimal(5), "") for t in made.indicators.all()},
        "spending": {},
        "expected_version": report.version,
    }
    arguments.update(changes)
    return services.report_save(actor=cast.users[role], report=report, **arguments)  # type: ignore[arg-type]


def test_whole_flow_with_a_return(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    target = made.indicators.get()
    line = h.line(made)
    admin, official = cast.users["ngo_admin"], cast.users["official"]

    saved = services.report_save(
        actor=admin,
        report=report,
        beneficiaries=110,
        narrative=" Тренинги проведены ",
        public_summary="120 участников",
        values={target.pk: (Decimal("120.50"), "по журналу")},
        spending={line.pk: (1_000_000, "залы")},
        expected_version=1,
    )
    assert (saved.version, saved.narrative, saved.beneficiaries) == (2, "Тренинги проведены", 110)
    assert [(v.indicator_id, v.actual, v.comment) for v in saved.values.all()] == [
        (target.pk, Decimal("120.50"), "по журналу")
    ]
    assert [(s.budget_line_id, s.spent) for s in saved.spending.all()] == [(line.pk, 1_000_000)]

    sent = services.report_submit(actor=admin, report=saved)
    assert sent.status == ProjectReportStatus.SUBMITTED
    first_sending = sent.submitted_at
    assert first_sending is not None
    assert sorted(
        Notification.objects.filter(topic="funding.report.submitted").values_list(
            "recipient__email", flat=True
        )
    ) == ["official@example.kz", "region-admin@example.kz"]

    returned = services.report_return(actor=official, report=sent, comment=" Add the lists ")
    assert (returned.status, returned.review_comment, returned.reviewed_by) == (
        ProjectReportStatus.RETURNED,
        "Add the lists",
        official,
    )
    # The NGO may change a returned report and send it again.
    again = _save(cast, returned, beneficiaries=120, values={target.pk: (Decimal(130), "")})
    again = services.report_submit(actor=admin, report=again)
    assert again.submitted_at == first_sending  # the first sending is kept
    approved = services.report_approve(actor=cast.users["regional_admin"], report=again)
    assert approved.status == ProjectReportStatus.APPROVED
    assert approved.reviewed_by == cast.users["regional_admin"]
    assert approved.reviewed_at is not None

    history = list(
        Report.objects.get(pk=report.pk).status_changes.values_list(
            "from_status", "to_status", "note"
        )
    )
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Add the lists"),
        ("returned", "submitted", ""),
        ("submitted", "approved", ""),
    ]
    actions = list(
        AuditEntry.objects.filter(action__startswith="funding.report")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "funding.report.save",
        "funding.report.status",
        "funding.report.status",
        "funding.report.save",
        "funding.report.status",
        "funding.report.status",
    ]
    ngo_notices = sorted(
        Notification.objects.filter(
            topic__in=["funding.report.returned", "funding.report.approved"]
        ).values_list("topic", "recipient__email")
    )
    assert ngo_notices == [
        ("funding.report.approved", "member@example.kz"),
        ("funding.report.approved", "ngo-admin@example.kz"),
        ("funding.report.returned", "member@example.kz"),
        ("funding.report.returned", "ngo-admin@example.kz"),
    ]


def test_saving_the_same_content_changes_nothing(cast: Cast) -> None:
    made = h.contract(cast)
    report = _save(cast, h.first(made))
    assert report.version == 2
    assert _save(cast, report).version == 2


def test_values_and_spending_left_out_are_cleared(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.fill(cast, h.first(made))
    assert (report.values.count(), report.spending.count()) == (1, 1)
    report = _save(cast, report, values={}, spending={})
    assert (report.values.count(), report.spending.count()) == (0, 0)


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        (Decimal(-1), "The actual value cannot be negative."),
        (Decimal("1.005"), "At most 12 digits before the point and 2 after it."),
        (Decimal("1e12"), "At most 12 digits before the point and 2 after it."),
        (Decimal("NaN"), "Enter a number."),
    ],
)
def test_bad_actual_values_are_refused_on_their_field(
    cast: Cast, actual: Decimal, message: str
) -> None:
    made = h.contract(cast)
    target = made.indicators.get()
    with pytest.raises(DomainError) as error:
        _save(cast, h.first(made), values={target.pk: (actual, "")})
    assert (error.value.message, error.value.field) == (message, f"actual_{target.pk}")
    assert h.first(made).values.count() == 0


def test_a_target_of_another_contract_is_refused(cast: Cast) -> None:
    made, other = h.contract(cast), h.contract(cast)
    with pytest.raises(DomainError, match="target of another contract"):
        _save(cast, h.first(made), values={other.indicators.get().pk: (Decimal(1), "")})


def test_negative_beneficiaries_are_refused(cast: Cast) -> None:
    made = h.contract(cast)
    with pytest.raises(DomainError) as error:
        _save(cast, h.first(made), beneficiaries=-1)
    assert error.value.field == "beneficiaries"


def test_spending_must_be_a_line_of_the_project_and_not_negative(cast: Cast) -> None:
    made, other = h.contract(cast), h.contract(cast)
    with pytest.raises(DomainError, match="budget line of another project"):
        _save(cast, h.first(made), spending={h.line(other).pk: (1, "")})
    line = h.line(made)
    with pytest.raises(DomainError) as error:
        _save(cast, h.first(made), spending={line.pk: (-5, "")})
    assert (error.value.message, error.value.field) == (
        "The sum spent cannot be negative.",
        f"spent_{line.pk}",
    )


def test_all_reports_together_may_not_spend_more_than_a_line(cast: Cast) -> None:
    made = h.contract(cast)
    line = h.line(made)
    assert line.amount == 5_000_000
    h.fill(cast, h.first(made), spent=3_000_000)
    with pytest.raises(DomainError) as error:
        _save(cast, h.final(made), spending={line.pk: (2_000_001, "")})
    assert error.value.field == f"spent_{line.pk}"
    assert error.value.message == (
        "“Тренинги”: 5\u00a0000\u00a0001\u00a0₸ would be spent in all reports, more than the "
        "line's 5\u00a0000\u00a0000\u00a0₸."
    )
    assert not ReportSpending.objects.filter(report=h.final(made)).exists()
    # Exactly the line's amount is fine, and so is lowering the first report's sum later.
    _save(cast, h.final(made), spending={line.pk: (2_000_000, "")})
    _save(cast, h.first(made), spending={line.pk: (1_000_000, "")})
    assert sum(ReportSpending.objects.filter(budget_line=line).values_list("spent", flat=True)) == (
        3_000_000
    )


@pytest.mark.parametrize(
    "role",
    [
        "ngo_member",
        "outsider_ngo_admin",
        "official",
        "regional_admin",
        "consultant",
        "citizen",
        "platform_admin",
    ],
)
def test_only_the_ngo_administrator_fills_and_submits(cast: Cast, role: str) -> None:
    made = h.contract(cast)
    report = h.fill(cast, h.first(made))
    with pytest.raises(DomainError, match="Only an administrator of the NGO"):
        _save(cast, report, role=role)
    with pytest.raises(DomainError, match="Only an administrator of the NGO"):
        services.report_submit(actor=cast.users[role], report=report)
    with pytest.raises(DomainError, match="Only an administrator of the NGO"):
        services.evidence_upload(
            actor=cast.users[role], report=report, upload=h.upload("a.pdf", b"%PDF-1.4\n")
        )
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.DRAFT


@pytest.mark.parametrize(
    "role", ["ngo_admin", "ngo_member", "other_regional_admin", "expert", "platform_admin"]
)
def test_only_the_customer_reviews(cast: Cast, role: str) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made))
    with pytest.raises(DomainError, match="Only the customer may review reports"):
        services.report_approve(actor=cast.users[role], report=report)
    with pytest.raises(DomainError, match="Only the customer may review reports"):
        services.report_return(actor=cast.users[role], report=report, comment="No")
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.SUBMITTED


@pytest.mark.parametrize(
    "status", [ContractStatus.DRAFT, ContractStatus.COMPLETED, ContractStatus.TERMINATED]
)
def test_nothing_is_filed_or_reviewed_unless_the_contract_is_in_force(
    cast: Cast, status: str
) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made))
    draft = h.final(made)
    Contract.objects.filter(pk=made.pk).update(status=status)
    in_force = "only while the contract is in force"
    with pytest.raises(DomainError, match=in_force):
        _save(cast, draft)
    with pytest.raises(DomainError, match=in_force):
        services.report_submit(actor=cast.users["ngo_admin"], report=draft)
    with pytest.raises(DomainError, match=in_force):
        services.report_approve(actor=cast.users["official"], report=report)
    with pytest.raises(DomainError, match=in_force):
        services.report_return(actor=cast.users["official"], report=report, comment="x")


def test_submission_needs_every_target_and_a_final_report_its_beneficiaries(cast: Cast) -> None:
    made = h.contract(cast)
    made.indicators.create(name="Тренинги", unit="шт.", target=Decimal(12), position=1)
    report = h.first(made)
    admin = cast.users["ngo_admin"]
    with pytest.raises(DomainError) as error:
        services.report_submit(actor=admin, report=report)
    assert error.value.message == "Give the actual value of every target: Участники, Тренинги."
    first_target = made.indicators.get(position=0)
    _save(cast, report, values={first_target.pk: (Decimal(1), "")})
    with pytest.raises(DomainError, match="every target: Тренинги"):
        services.report_submit(actor=admin, report=report)
    final = _save(cast, h.final(made), beneficiaries=0)
    with pytest.raises(DomainError) as error:
        services.report_submit(actor=admin, report=final)
    assert error.value.message == "A final report gives the number of beneficiaries reached."
    # A progress report may be sent with no beneficiaries yet.
    progress = _save(cast, report, beneficiaries=0)
    assert services.report_submit(actor=admin, report=progress).status == "submitted"


def test_a_sent_or_approved_report_cannot_be_changed_or_sent_twice(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made))
    with pytest.raises(DomainError, match="cannot be changed"):
        _save(cast, report)
    with pytest.raises(DomainError, match="cannot be changed"):
        services.report_submit(actor=cast.users["ngo_admin"], report=report)
    approved = services.report_approve(actor=cast.users["official"], report=report)
    with pytest.raises(
        DomainError,
        match=r"^A project report cannot go from “Approved” to “Returned for changes”\.$",
    ):
        services.report_return(actor=cast.users["official"], report=approved, comment="Late")
    with pytest.raises(DomainError, match=r"^A project report cannot go from “\w+” to “Approved”"):
        services.report_approve(actor=cast.users["official"], report=h.final(made))


def test_a_return_needs_a_comment(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made))
    with pytest.raises(DomainError) as error:
        services.report_return(actor=cast.users["official"], report=report, comment="   ")
    assert (error.value.message, error.value.field) == (
        "Say what the NGO should change.",
        "comment",
    )


def test_a_stale_version_is_a_conflict(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    _save(cast, report, beneficiaries=5)
    with pytest.raises(ConflictError):
        services.report_save(
            actor=cast.users["ngo_admin"],
            report=report,
            beneficiaries=7,
            narrative="",
            public_summary="",
            values={},
            spending={},
            expected_version=1,
        )
    assert Report.objects.get(pk=report.pk).beneficiaries == 5


def test_budget_line_amounts_come_from_the_funded_application(cast: Cast) -> None:
    made = h.contract(cast)
    extra = BudgetLine.objects.create(application=made.application, item="Аренда", amount=100)
    with pytest.raises(DomainError, match="“Аренда”"):
        _save(cast, h.first(made), spending={extra.pk: (101, "")})
