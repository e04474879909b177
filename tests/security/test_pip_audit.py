"""`make security`'s dependency audit (security/pip_audit.py): a finding fails, an exception
needs its reason, an unreachable service is SKIPPED loudly, never read as "no findings"."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "security" / "pip_audit.py"


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("pip_audit_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exceptions = tmp_path / "pip-audit-exceptions.txt"
    exceptions.write_text("# none\n", encoding="utf-8")
    monkeypatch.setattr(module, "EXCEPTIONS", exceptions)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PIP_AUDIT_REQUIRED", raising=False)
    return module


def _answer(monkeypatch: pytest.MonkeyPatch, stdout: str, seen: list[Any] | None = None) -> None:
    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if seen is not None:
            seen.append(command)
        return subprocess.CompletedProcess(command, 1, stdout=stdout, stderr="ConnectionError")

    monkeypatch.setattr(subprocess, "run", run)


def _report(*dependencies: dict[str, Any]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vuln = {"id": "GHSA-1", "fix_versions": ["5.2.20"], "description": "bad"}
    _answer(
        monkeypatch,
        _report(
            {"name": "django", "version": "5.2.19", "vulns": [vuln]},
            {"name": "ortaq", "skip_reason": "not on PyPI"},
        ),
    )
    assert audit.main() == 1
    assert "VULNERABLE django 5.2.19: GHSA-1 (fixed in: 5.2.20) bad\n" in capsys.readouterr().out


def test_no_vulnerability_passes(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer(monkeypatch, _report({"name": "django", "version": "5.2.19", "vulns": []}))
    assert audit.main() == 0
    assert capsys.readouterr().out == (
        "pip-audit: 1 dependencies audited, no known vulnerability.\n"
    )


def test_a_service_that_answers_for_nothing_is_skipped_not_passed(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer(monkeypatch, _report({"name": "django", "version": "5.2.19", "skip_reason": "404"}))
    assert audit.main() == 0
    assert "*** NOTICE: pip-audit is SKIPPED" in capsys.readouterr().out


def test_an_unreachable_service_is_an_error_annotation_on_ci(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer(monkeypatch, "")
    monkeypatch.setenv("CI", "true")
    assert audit.main() == 0
    assert capsys.readouterr().out.startswith(
        "::error::pip-audit could NOT audit the dependencies on CI: the vulnerability service "
        "could not be reached (ConnectionError)\n"
    )
    monkeypatch.setenv("PIP_AUDIT_REQUIRED", "1")
    assert audit.main() == 1


def test_exceptions_are_passed_on_and_need_a_reason(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    _answer(monkeypatch, _report({"name": "django", "version": "5.2.19", "vulns": []}), seen)
    audit.EXCEPTIONS.write_text("GHSA-2  # only the CLI is affected\n", encoding="utf-8")
    assert audit.main() == 0
    assert seen[0][-2:] == ["--ignore-vuln", "GHSA-2"]
    audit.EXCEPTIONS.write_text("GHSA-3\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="needs its reason"):
        audit.main()
