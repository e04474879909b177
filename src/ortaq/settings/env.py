"""Strict readers of environment variables.

A typo in a deployment's environment must stop the server at start-up, not turn a
security switch silently off, so every reader raises ImproperlyConfigured on a value it
does not understand.
"""

from __future__ import annotations

import os
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict[str, Any]:
    value = env_str(name, default)
    try:
        config: dict[str, Any] = environ.Env.db_url_config(value)
    except Exception as exc:  # environ raises several kinds for malformed URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"{name}: only sqlite:// and postgres:// are supported.")
    return config


def env_email(name: str, default: str) -> dict[str, Any]:
    value = env_str(name, default)
    try:
        config: dict[str, Any] = environ.Env.email_url_config(value)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {exc}") from exc
    if not config.get("EMAIL_BACKEND"):
        raise ImproperlyConfigured(f"{name}: unknown e-mail scheme in {value!r}.")
    return config


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address of a site: scheme and host (and port), optionally a path
    prefix, no trailing slash, no query or fragment."""
    from urllib.parse import urlsplit

    value = env_str(name, default)
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or value.endswith("/")
        or any(c.isspace() for c in value)
    ):
        raise ImproperlyConfigured(
            f"{name}={value!r} must be like https://ortaq.kz (scheme and host, no trailing /)."
        )
    return value
