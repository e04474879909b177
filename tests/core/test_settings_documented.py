"""Every setting of our own that the code reads is defined in settings/base.py from the
environment (through the strict readers of settings/env.py) and documented in README.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import global_settings

import ortaq

PACKAGE = Path(ortaq.__file__).resolve().parent
README = PACKAGE.parent.parent / "README.md"
BASE = PACKAGE / "settings" / "base.py"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_database", "env_email", "env_url"}
# Settings of the libraries we configure (not ours to document one by one).
THIRD_PARTY = ("ACCOUNT_", "MFA_", "AXES_", "CELERY_", "WHITENOISE_", "SPECTACULAR_")
READ = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]*)\b")
GETATTR = re.compile(r"getattr\(\s*settings\s*,\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def _reads() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "settings" in path.relative_to(PACKAGE).parts[:1] or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (READ, GETATTR):
            for name in pattern.findall(text):
                found.setdefault(name, set()).add(str(path.relative_to(PACKAGE)))
    return found


def _own(name: str) -> bool:
    return not hasattr(global_settings, name) and not name.startswith(THIRD_PARTY)


def _env_names_of_base() -> dict[str, list[str]]:
    """Setting name → the environment variables its value is read from in base.py."""
    names: dict[str, list[str]] = {}
    for node in ast.parse(BASE.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign):
            continue
        env = [
            call.args[0].value
            for call in ast.walk(node.value)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in ENV_READERS
            and call.args
            and isinstance(call.args[0], ast.Constant)
        ]
        for target in node.targets:
            if isinstance(target, ast.Name):
                names.setdefault(target.id, []).extend(env)
    return names


def _configuration_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_the_scan_finds_our_settings() -> None:
    reads = _reads()
    assert {"NGO_REPORT_DEADLINE", "ORTAQ_PROXY_COUNT", "SITE_URL"} <= set(reads)
    assert not _own("LANGUAGE_CODE")
    assert not _own("ACCOUNT_EMAIL_SUBJECT_PREFIX")


def test_every_setting_the_code_reads_is_defined_from_the_environment() -> None:
    defined = _env_names_of_base()
    missing = {
        name: sorted(where)
        for name, where in _reads().items()
        if _own(name) and not defined.get(name)
    }
    assert missing == {}


def test_every_setting_the_code_reads_is_in_the_readme() -> None:
    defined = _env_names_of_base()
    table = _configuration_table()
    undocumented = sorted(
        f"{name} (env {variable})"
        for name in _reads()
        if _own(name)
        for variable in defined.get(name, [name])
        if f"`{variable}`" not in table
    )
    assert undocumented == []


def test_no_fallback_hides_a_missing_setting_of_ours() -> None:
    fallbacks = sorted(
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        for name in GETATTR.findall(path.read_text(encoding="utf-8"))
        if _own(name)
    )
    assert fallbacks == []


def test_every_environment_variable_of_the_settings_is_in_the_readme() -> None:
    table = _configuration_table()
    variables = {v for env in _env_names_of_base().values() for v in env}
    assert "SITE_URL" in variables
    assert sorted(v for v in variables if f"`{v}`" not in table) == []
