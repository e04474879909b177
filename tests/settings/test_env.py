"""Settings come from the environment and refuse values they do not understand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from ortaq.settings.env import env_bool, env_database, env_email, env_int, env_list

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("1", True), ("Off", False), ("", False)]
)
def test_booleans(monkeypatch: Any, raw: str, value: bool) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not value) is value


def test_a_bad_boolean_fails_loudly(monkeypatch: Any) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False)


def test_a_bad_number_fails_loudly(monkeypatch: Any) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("AXES_FAILURE_LIMIT", 5)
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("AXES_FAILURE_LIMIT", 5, minimum=1)


def test_lists(monkeypatch: Any) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " ortaq.kz, www.ortaq.kz ,")
    assert env_list("ALLOWED_HOSTS", []) == ["ortaq.kz", "www.ortaq.kz"]


def test_database_urls(monkeypatch: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://ortaq:secret@db.local:5432/ortaq")
    config = env_database("DATABASE_URL", "sqlite:///x")
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.local",
        "ortaq",
    )
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/ortaq")
    with pytest.raises(ImproperlyConfigured, match="only sqlite:// and postgres://"):
        env_database("DATABASE_URL", "sqlite:///x")


def test_email_urls(monkeypatch: Any) -> None:
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user:pw@smtp.example.kz:587")
    config = env_email("EMAIL_URL", "consolemail://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "smtp.example.kz",
        587,
        True,
    )


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "ortaq", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


PROD = {
    "DJANGO_SETTINGS_MODULE": "ortaq.settings.prod",
    "SECRET_KEY": "k8#Vq2!xP0z@Lm4$Rt7^Wn1&Yb5*Hc9(Dj3)Fg6_Sa8+Ue2=Io4-Kl7~Nm0Qw3Er5",
    "ALLOWED_HOSTS": "ortaq.kz",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp://smtp.example.kz:25",
    "REDIS_URL": "-",
}


def test_production_settings_pass_the_deploy_check() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_weak_secret() -> None:
    result = _manage("check", env={**PROD, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "Set SECRET_KEY to a random value" in result.stderr


def test_production_refuses_a_bad_boolean() -> None:
    result = _manage("check", env={**PROD, "SESSION_COOKIE_SECURE": "sure"})
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE='sure' is not a boolean" in result.stderr


def test_celery_runs_in_process_without_redis_and_on_redis_with_it() -> None:
    code = (
        "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "ortaq.settings.dev", "REDIS_URL": "-"}
    without = _manage("shell", "--no-imports", "-c", code, env=env)
    assert without.stdout.split() == ["True", "memory://", "LocMemCache"], without.stderr
    with_redis = _manage(
        "shell", "--no-imports", "-c", code, env={**env, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    )
    assert with_redis.stdout.split() == ["False", "redis://127.0.0.1:6379/3", "RedisCache"]


def test_postgresql_connections_give_up_connecting_and_cancel_long_statements() -> None:
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    env = {"DJANGO_SETTINGS_MODULE": "ortaq.settings.dev"}
    url = "postgres://ortaq@db.example.kz:5432/ortaq?sslmode=require&options=-c%20work_mem=64MB"
    default = _manage("shell", "--no-imports", "-c", code, env={**env, "DATABASE_URL": url})
    assert default.stdout.strip() == str(
        {
            "sslmode": "require",
            "options": "-c work_mem=64MB -c statement_timeout=30000",
            "connect_timeout": 5,
        }
    ), default.stderr
    chosen = {
        "DATABASE_CONNECT_TIMEOUT": "3",
        "DATABASE_STATEMENT_TIMEOUT": "0",
        "DATABASE_URL": url.split("?")[0],
    }
    plain = _manage("shell", "--no-imports", "-c", code, env={**env, **chosen})
    assert plain.stdout.strip() == str(
        {"connect_timeout": 3, "options": "-c statement_timeout=0"}
    ), plain.stderr
    never = _manage("check", env={**env, "DATABASE_URL": url, "DATABASE_CONNECT_TIMEOUT": "0"})
    assert "DATABASE_CONNECT_TIMEOUT=0 is below the minimum 2" in never.stderr
