"""`ortaq audit_verify`: walk the hash chain of every audit stream (audit/verify.py) and name
each changed, deleted or reordered entry; exit status 1 when there is one. Changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortaq.audit.verify import verify


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log; exit status 1 when an entry was tampered with."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        for name, count in sorted(report.entries.items()):
            self.stdout.write(f"Stream {name}: {count} entries.")
        if report.unchained:
            self.stdout.write(
                f"{report.unchained} entries were written before the chain started (unchained)."
            )
        for problem in report.problems:
            self.stdout.write(f"TAMPERED {problem}")
        if report.ok:
            self.stdout.write("OK: every audit stream is intact.")
            return
        self.stdout.write(f"{len(report.problems)} problems found in the audit log.")
        raise SystemExit(1)
