"""`ortaq check_council_hosts`: list the active councils attached to an organisation that may
not host them (councils.enums.COUNCIL_HOST_KINDS); exit status 1 when there is one.

Such councils were written before the rule (migration councils/0003), or their host's kind
changed since. The services freeze them (nothing is formed, approved or changed, their seats
give no monitoring right); a platform administrator corrects the host or the kind in the
back office, or deactivates the council. Nothing is changed here.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from ortaq.councils.checks import host_refusal
from ortaq.councils.selectors import councils_with_unlawful_host


class Command(BaseCommand):
    help = "List the active councils whose host organisation may not host their kind."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            found = 0
            for council in councils_with_unlawful_host():
                found += 1
                host = council.organisation
                refusal = host_refusal(council.kind, host.kind, host.name)
                self.stdout.write(f"Council {council.pk} “{council.name}”: {refusal}")
        if not found:
            self.stdout.write("Every active council has a host that may host it.")
            return
        noun = "council has" if found == 1 else "councils have"
        self.stdout.write(f"{found} {noun} a host that may not host it.")
        raise SystemExit(1)
