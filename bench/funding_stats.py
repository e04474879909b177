"""Time the regional funding statistics on national-scale data (PostgreSQL, in-process client).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ortaq_stats_nat \\
        .venv/bin/python bench/funding_stats.py [--contracts] [-n 20]

The database must hold the national funding history (`seed_demo --scale national`: about
11,000 funded projects over 2019–2025). `--contracts` first adds, once, what the national seed
does not make yet: a contract for every funded project up to 2024 with its target, approved
reports with values (both reports up to 2023, the progress report in 2024) and a published
evaluation up to 2023 — so the indicators-achieved and evaluation queries have national-size
work too. Then, for each page, n requests with the cache cleared before each (cold: the
figures are computed) and n with the cache warm, through Django's test client (no HTTP
server: the view, the queries and the template), and prints p50 / p95 / max in milliseconds.
Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortaq.settings.test")


def add_contracts() -> None:
    from django.db import transaction
    from django.utils import timezone

    from ortaq.funding.enums import (
        ApplicationStatus,
        ContractStatus,
        EvaluationCriterion,
        EvaluationStatus,
        ProjectReportStatus,
        ReportKind,
    )
    from ortaq.funding.models import (
        Application,
        Contract,
        ContractIndicator,
        Evaluation,
        EvaluationScore,
        Indicator,
        Report,
        ReportIndicatorValue,
    )

    if Contract.objects.exists():
        print(f"[bench] {Contract.objects.count()} contracts already there")
        return
    now = timezone.now()
    applications = list(
        Application.objects.filter(
            status=ApplicationStatus.FUNDED, lot__competition__programme__year__lte=2024
        ).select_related("lot__competition__programme", "decision_line")
    )
    indicators = {i.application_id: i for i in Indicator.objects.all()}
    started = time.perf_counter()
    with transaction.atomic():
        contracts = Contract.objects.bulk_create(
            [
                Contract(
                    application=a,
                    number=f"B-{a.pk}",
                    organiser_id=a.lot.competition.organiser_id,
                    ngo_id=a.ngo_id,
                    region_id=a.region_id,
                    title=a.title,
                    amount=a.decision_line.amount or 1,
                    start_date=dt.date(a.lot.competition.programme.year, 3, 1),
                    end_date=dt.date(a.lot.competition.programme.year, 11, 30),
                    signed_on=dt.date(a.lot.competition.programme.year, 3, 1),
                    status=ContractStatus.COMPLETED
                    if a.lot.competition.programme.year <= 2023
                    else ContractStatus.ACTIVE,
                )
                for a in applications
            ],
            batch_size=2000,
        )
        years = {c.application_id: c.start_date.year for c in contracts}
        targets = ContractIndicator.objects.bulk_create(
            [
                ContractIndicator(
                    contract=c,
                    source=indicators[c.application_id],
                    name=indicators[c.application_id].name,
                    unit=indicators[c.application_id].unit,
                    baseline=indicators[c.application_id].baseline,
                    target=indicators[c.application_id].target,
                )
                for c in contracts
                if c.application_id in indicators
            ],
            batch_size=2000,
        )
        target_of = {t.contract_id: t for t in targets}
        reports = []
        for c in contracts:
            year = years[c.application_id]
            for number, kind, end in (
                (1, ReportKind.PROGRESS, dt.date(year, 6, 30)),
                (2, ReportKind.FINAL, dt.date(year, 11, 30)),
            ):
                approved = year <= 2023 or number == 1
                reports.append(
                    Report(
                        contract=c,
                        number=number,
                        kind=kind,
                        period_start=dt.date(year, 3, 1),
                        period_end=end,
                        due_date=end + dt.timedelta(days=10),
                        status=ProjectReportStatus.APPROVED if approved else "draft",
                        submitted_at=now if approved else None,
                        reviewed_at=now if approved else None,
                    )
                )
        reports = Report.objects.bulk_create(reports, batch_size=2000)
        values = []
        for r in reports:
            target = target_of.get(r.contract_id)
            if target is None or r.status != ProjectReportStatus.APPROVED:
                continue
            share = Decimal((r.contract_id * 7 + r.number * 13) % 120) / 100
            actual = target.baseline + (target.target - target.baseline) * share
            values.append(ReportIndicatorValue(report=r, indicator=target, actual=round(actual, 2)))
        ReportIndicatorValue.objects.bulk_create(values, batch_size=5000)
        evaluations = Evaluation.objects.bulk_create(
            [
                Evaluation(contract=c, status=EvaluationStatus.PUBLISHED, published_at=now)
                for c in contracts
                if years[c.application_id] <= 2023
            ],
            batch_size=2000,
        )
        EvaluationScore.objects.bulk_create(
            [
                EvaluationScore(evaluation=e, criterion=criterion, value=(e.contract_id + n) % 6)
                for e in evaluations
                for n, criterion in enumerate(EvaluationCriterion.values)
            ],
            batch_size=5000,
        )
    print(
        f"[bench] added {len(contracts)} contracts, {len(reports)} reports, {len(values)} values,"
        f" {len(evaluations)} evaluations in {time.perf_counter() - started:.0f} s"
    )


def measure(n: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    from ortaq.reference.models import Region

    kyzylorda = Region.objects.get(code="43").pk
    client = Client()
    pages = {
        "page, whole country": "/ru/stats/funding/",
        "page, 2023 Kyzylorda": f"/ru/stats/funding/?year=2023&region={kyzylorda}",
        "CSV": "/ru/stats/funding/?format=csv",
        "XLSX": "/ru/stats/funding/?format=xlsx",
        "API": "/api/v1/stats/funding/",
        "NGO statistics (for comparison)": "/ru/stats/ngos/",
    }
    print(f"{'':34} {'cold p50':>9} {'p95':>7} {'max':>7} {'warm p50':>9} {'p95':>7}")
    for name, url in pages.items():
        for _ in range(2):  # warm-up: imports, template loading, connections
            cache.clear()
            assert client.get(url).status_code == 200
        cold, warm = [], []
        for _ in range(n):
            cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            cold.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        for _ in range(n):
            start = time.perf_counter()
            client.get(url)
            warm.append((time.perf_counter() - start) * 1000)

        def p(values: list[float], q: float) -> float:
            return sorted(values)[min(len(values) - 1, int(q * len(values)))]

        print(
            f"{name:34} {statistics.median(cold):8.1f} {p(cold, 0.95):7.1f} {max(cold):7.1f}"
            f" {statistics.median(warm):8.1f} {p(warm, 0.95):7.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", action="store_true", help="add contracts etc. once")
    parser.add_argument("-n", type=int, default=20, help="requests per page and state")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to the national PostgreSQL database")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from ortaq.funding.models import Application

    funded = Application.objects.filter(status="funded").count()
    print(f"[bench] {funded} funded applications")
    if args.contracts:
        add_contracts()
    measure(args.n)


if __name__ == "__main__":
    main()
