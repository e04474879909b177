"""What the steps of the demo share: the password of every demo account and the world they
fill in (organisations and people found by earlier steps, the logins printed at the end)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Ortaq-demo-2026"


@dataclass
class DemoWorld:
    scale: str = "small"
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role, e-mail)
    objects: dict[str, Any] = field(default_factory=dict)  # shared between steps
    log: list[str] = field(default_factory=list)

    def login(self, role: str, email: str) -> None:
        if (role, email) not in self.logins:
            self.logins.append((role, email))
