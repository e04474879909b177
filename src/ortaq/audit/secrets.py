"""Audit entries never hold secrets: password hashes, TOTP secrets, session keys, tokens.

Whatever a service passes as changes (a snapshot of a user includes `password`), the value of
every key named like a secret is replaced by REDACTED, at any depth; the name stays, so the log
still says *that* a password changed.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[secret]"

# A word of the key (split on `_`, `-`, `.`, spaces and camelCase) names a secret.
_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "secret", "token", "key", "otp", "totp", "seed", "salt"}
)
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def is_secret_key(key: str) -> bool:
    words = {w.lower() for w in _WORD.findall(str(key))}
    return bool(words & _SECRET_WORDS) or "password" in str(key).lower()


def redact_secrets(value: Any) -> Any:
    """`value` with the value of every secret-named key replaced by REDACTED."""
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(key) else redact_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_secrets(item) for item in value]
    return value
