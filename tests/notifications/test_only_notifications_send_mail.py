"""Only notifications sends e-mail: every other module calls notify()."""

from __future__ import annotations

import re
from pathlib import Path

import ortaq

PACKAGE = Path(ortaq.__file__).resolve().parent
MAILING = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
    r"EmailMultiAlternatives|get_connection)\b|django\.core\.mail"
)


def test_no_module_but_notifications_sends_mail() -> None:
    offenders = sorted(
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in {"notifications", "settings"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MAILING.search(line)
    )
    assert offenders == []
