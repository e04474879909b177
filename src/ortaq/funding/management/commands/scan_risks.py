"""`ortaq scan_risks`: find the risk signals of funding now (the nightly job does it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortaq.funding.enums import RiskKind
from ortaq.funding.risk.services import risk_scan


class Command(BaseCommand):
    help = "Find the risk signals of funding (double funding, wholesalers, late reporters, ...)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = risk_scan()
        for kind in RiskKind:
            self.stdout.write(f"{kind.value}: {summary.found.get(kind.value, 0)}")
        self.stdout.write(
            f"created {summary.created}, updated {summary.updated}, "
            f"not seen this time {summary.not_seen}, {summary.seconds} s"
        )
