"""`make security`: the installed dependencies against known vulnerabilities (pip-audit).

Runs pip-audit on the environment of the Python that runs this script, with the exceptions of
security/pip-audit-exceptions.txt (each with its reason). Exit status:

- 1 when a dependency has a known vulnerability that is not an exception;
- 0 with a SKIPPED notice when the vulnerability service could not be asked (no network, or
  it answered for no dependency at all: a mirror that knows no package makes pip-audit say
  "no known vulnerabilities" having audited nothing). On CI (`$CI` set) the notice is an
  error annotation in the log, never silent; with PIP_AUDIT_REQUIRED=1 it fails the build.

`subprocess` (bandit B404, B603) runs one fixed command without a shell: this Python,
pip-audit, and the advisory ids of our own exceptions file.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404
import sys
from pathlib import Path

EXCEPTIONS = Path(__file__).with_name("pip-audit-exceptions.txt")
OUR_OWN = {"ortaq"}  # the project itself is not on PyPI


def exceptions() -> list[str]:
    ids = []
    for number, line in enumerate(EXCEPTIONS.read_text(encoding="utf-8").splitlines(), 1):
        entry, _, reason = line.partition("#")
        if not entry.strip():
            continue
        if not reason.strip():
            sys.exit(f"{EXCEPTIONS.name}:{number}: an exception needs its reason after '#'.")
        ids.append(entry.strip())
    return ids


def skipped(reason: str) -> int:
    if os.environ.get("CI"):
        print(f"::error::pip-audit could NOT audit the dependencies on CI: {reason}")
        if os.environ.get("PIP_AUDIT_REQUIRED") == "1":
            return 1
    print("")
    print(f"*** NOTICE: pip-audit is SKIPPED: {reason} ***")
    print("")
    return 0


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"]
    command += ["--vulnerability-service", "pypi"]
    for vuln in exceptions():
        command += ["--ignore-vuln", vuln]
    try:
        # A fixed command (this Python, pip-audit, ids from our own file), no shell.
        done = subprocess.run(  # nosec B603
            command, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        return skipped("the vulnerability service did not answer within 10 minutes")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return skipped(f"the vulnerability service could not be reached ({last})")

    dependencies = [d for d in report.get("dependencies", []) if d["name"] not in OUR_OWN]
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d, v) for d in audited for v in d.get("vulns", [])]
    for dependency, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
        print(
            f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
            f"(fixed in: {fixed}) {vuln.get('description', '')[:200]}"
        )
    if found:
        print(
            f"{len(found)} known vulnerabilities. Upgrade, or add the id to {EXCEPTIONS.name} "
            "with the reason it does not apply."
        )
        return 1
    if not audited:
        return skipped(
            f"the vulnerability service answered for none of the {len(dependencies)} "
            "dependencies (is PyPI's JSON API reachable?)"
        )
    missing = len(dependencies) - len(audited)
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerability.")
    if missing:
        print(f"pip-audit: {missing} dependencies could not be audited (not found on PyPI).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
