"""Indicators achieved are computed from approved reports, never typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ortaq.funding.achievement import (
    achievement_percent,
    average_achievement,
    contract_results,
    with_results,
)
from ortaq.funding.enums import ProjectReportStatus
from ortaq.funding.models import Contract, ReportIndicatorValue
from tests.access import Cast

from . import factories as f

D = Decimal


def test_share_of_the_planned_change() -> None:
    assert achievement_percent(baseline=D(0), target=D(300), actual=D(150)) == D("50.0")
    assert achievement_percent(baseline=D(100), target=D(200), actual=D(150)) == D("50.0")
    assert achievement_percent(baseline=D(0), target=D(300), actual=D(450)) == D("150.0")
    assert achievement_percent(baseline=D(100), target=D(200), actual=D(50)) == D("0")
    # A target to lower a value (e.g. waiting days from 30 to 10).
    assert achievement_percent(baseline=D(30), target=D(10), actual=D(20)) == D("50.0")
    # Keep a level: reached or not.
    assert achievement_percent(baseline=D(5), target=D(5), actual=D(5)) == D(100)
    assert achievement_percent(baseline=D(5), target=D(5), actual=D(4)) == D(0)


@given(
    baseline=st.decimals(min_value=0, max_value=10_000, places=2),
    target=st.decimals(min_value=0, max_value=10_000, places=2),
    actual=st.decimals(min_value=0, max_value=10_000, places=2),
)
def test_reaching_the_target_is_one_hundred_per_cent_and_never_negative(
    baseline: Decimal, target: Decimal, actual: Decimal
) -> None:
    assert achievement_percent(baseline=baseline, target=target, actual=actual) >= 0
    assert achievement_percent(baseline=baseline, target=target, actual=target) == D(100)


@pytest.mark.django_db
def test_only_the_latest_approved_report_counts(cast: Cast) -> None:
    contract = f.contract(cast)
    target = contract.indicators.get()
    progress, final = contract.reports.order_by("number")
    ReportIndicatorValue.objects.create(report=progress, indicator=target, actual=D(120))
    ReportIndicatorValue.objects.create(report=final, indicator=target, actual=D(330))
    [result] = contract_results(with_results(Contract.objects.filter(pk=contract.pk)).get())
    assert (result.actual, result.percent) == (None, None)  # nothing approved yet

    now = timezone.now()
    progress.status, progress.submitted_at, progress.reviewed_at = "approved", now, now
    progress.save()
    [result] = contract_results(with_results(Contract.objects.filter(pk=contract.pk)).get())
    assert (result.actual, result.percent) == (D(120), D("40.0"))

    final.status, final.submitted_at = ProjectReportStatus.SUBMITTED, now
    final.save()
    [result] = contract_results(with_results(Contract.objects.filter(pk=contract.pk)).get())
    assert result.percent == D("40.0")  # a submitted report is not yet counted

    final.status, final.reviewed_at = ProjectReportStatus.APPROVED, now
    final.save()
    results = contract_results(with_results(Contract.objects.filter(pk=contract.pk)).get())
    assert [r.percent for r in results] == [D("110.0")]
    assert average_achievement(results) == D("100.0")  # capped at 100 in the average
