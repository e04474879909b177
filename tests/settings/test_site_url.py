"""SITE_URL: the address every link in an e-mail is absolute on, refused when malformed."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ortaq.settings.env import env_url


def test_the_default_is_the_development_server(monkeypatch: Any) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    assert env_url("SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert settings.SITE_URL == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "value", ["https://ortaq.kz", "http://localhost:8000", "https://gov.kz/ortaq"]
)
def test_a_site_address_is_taken(monkeypatch: Any, value: str) -> None:
    monkeypatch.setenv("SITE_URL", value)
    assert env_url("SITE_URL", "http://127.0.0.1:8000") == value


@pytest.mark.parametrize(
    "value",
    ["ortaq.kz", "https://ortaq.kz/", "ftp://ortaq.kz", "https://", "https://ortaq.kz/?a=1"],
)
def test_a_malformed_site_address_fails_loudly(monkeypatch: Any, value: str) -> None:
    monkeypatch.setenv("SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"SITE_URL=.* must be like https://ortaq\.kz"):
        env_url("SITE_URL", "http://127.0.0.1:8000")
