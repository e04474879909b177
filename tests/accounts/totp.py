"""TOTP for the login tests: an authenticator for a user and codes right and wrong for now."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Rate limits and used TOTP codes live in the cache; ids are reused between tests."""
    cache.clear()


def with_totp(user: Any) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle one: now
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    valid = {format_hotp_value(hotp_value(secret, c)) for c in yield_hotp_counters_from_time()}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
