"""The database itself refuses to release a tranche before its report is approved, whatever
the path (the services check it first with a clear message; this is the last line)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from ortaq.funding.enums import ProjectReportStatus, TrancheStatus
from ortaq.funding.models import Report, Tranche
from tests.access import Cast

from . import factories as f

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)


def _release(tranche: Tranche) -> None:
    with transaction.atomic():
        Tranche.objects.filter(pk=tranche.pk).update(
            status=TrancheStatus.RELEASED, released_at=timezone.now()
        )


def test_raw_update_cannot_release_a_tranche_before_its_report_is_approved(cast: Cast) -> None:
    contract = f.contract(cast)
    advance, second, _final = contract.tranches.order_by("number")
    _release(advance)  # no report needed for the advance
    for status in (ProjectReportStatus.DRAFT, ProjectReportStatus.SUBMITTED):
        Report.objects.filter(pk=second.report_id).update(
            status=status, submitted_at=timezone.now() if status != "draft" else None
        )
        with pytest.raises(REFUSED):
            _release(second)
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED
    now = timezone.now()
    Report.objects.filter(pk=second.report_id).update(
        status=ProjectReportStatus.APPROVED, submitted_at=now, reviewed_at=now
    )
    _release(second)
    second.refresh_from_db()
    assert second.status == TrancheStatus.RELEASED


def test_a_released_tranche_cannot_be_inserted_against_an_unapproved_report(cast: Cast) -> None:
    contract = f.contract(cast)
    report = contract.reports.get(number=1)
    with pytest.raises(REFUSED), transaction.atomic():
        Tranche.objects.create(
            contract=contract,
            number=9,
            amount=1,
            due_date=timezone.localdate(),
            report=report,
            status=TrancheStatus.RELEASED,
            released_at=timezone.now(),
        )
