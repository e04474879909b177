"""Time the funding pages on national-scale data (PostgreSQL, gunicorn on 127.0.0.1).

    python bench/funding_pages.py [--db postgres://postgres@127.0.0.1:5432/ortaq_bench]

The database must hold the national funding history (`funding.demo_national`; bench/README.md
says how to add it to `ortaq_bench`). The script picks the largest published competition
(Kyzylorda's state social order of 2019: 165 lots), starts gunicorn as bench/run.py does,
logs the organiser (official@ortaq.kz) in through the login form, then times — 5 warm-up
requests, then N sequential ones each — the public competition list, the competition's
results page and the organiser's application list (first page of 50), next to /healthz
(the stack's own cost), and prints p50 / p95 /
max in milliseconds. Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from run import BIN, log, start_server, stop

ORGANISER = "official@ortaq.kz"
PASSWORD = "Ortaq-demo-2026"  # ortaq.demo.world.DEMO_PASSWORD
N = 50


def _ask(url: str, code: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ortaq.settings.dev"}
    out = subprocess.run(
        [BIN / "ortaq", "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    return out.splitlines()[-1] if out else ""


def busiest_project(url: str) -> int:
    """A public contract with the most tranches, reports and visits (the fullest page)."""
    code = (
        "from django.db.models import Count\n"
        "from ortaq.funding.models import Contract\n"
        "c = Contract.objects.exclude(status='draft').annotate(n=Count('visits', distinct=True)"
        " + Count('reports', distinct=True)).order_by('-n', 'pk').first()\n"
        "print(c.pk if c else '')\n"
    )
    found = _ask(url, code)
    if not found.isdigit():
        raise SystemExit("no public contract: seed the national data with demo_projects")
    return int(found)


def largest_competition(url: str) -> int:
    """The published competition with the most decision lines (asked through Django)."""
    code = (
        "from django.db.models import Count\n"
        "from ortaq.funding.models import Competition\n"
        "c = Competition.objects.filter(status='published', organiser__memberships__user__email="
        f"'{ORGANISER}').annotate(n=Count('decision__lines')).order_by('-n', 'pk').first()\n"
        "print(c.pk if c else '')\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ortaq.settings.dev"}
    out = subprocess.run(
        [BIN / "ortaq", "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    if not out.splitlines() or not out.splitlines()[-1].isdigit():
        raise SystemExit("no published competition of the organiser: seed the national funding")
    return int(out.splitlines()[-1])


def opener_logged_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base + "/en/accounts/login/"
    page = opener.open(login, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": ORGANISER, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    with opener.open(request, timeout=30) as response:
        response.read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit("logging in failed")
    return opener


def measure(
    opener: urllib.request.OpenerDirector, url: str, n: int
) -> tuple[float, float, float, int]:
    for _ in range(5):
        opener.open(url, timeout=60).read()
    times = []
    size = 0
    for _ in range(n):
        start = time.perf_counter()
        with opener.open(url, timeout=60) as response:
            body = response.read()
            assert response.status == 200
            assert response.geturl() == url, response.geturl()  # not sent to the login page
        times.append((time.perf_counter() - start) * 1000)
        size = len(body)
    times.sort()
    return statistics.median(times), times[int(0.95 * (n - 1))], times[-1], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/ortaq_bench")
    parser.add_argument("--port", type=int, default=8214)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("-n", type=int, default=N)
    args = parser.parse_args()
    competition = largest_competition(args.db)
    project = busiest_project(args.db)
    base = f"http://127.0.0.1:{args.port}"
    paths = {
        "baseline (/healthz)": "/healthz",
        "public competition list": "/ru/funding/",
        "results of the competition": f"/ru/funding/competitions/{competition}/results/",
        "organiser's applications": f"/ru/funding/manage/competitions/{competition}/applications/",
        # Funding II
        "public project list": "/ru/funding/projects/",
        "public project map": "/ru/funding/projects/map/",
        "public project page": f"/ru/funding/projects/{project}/",
        "funding statistics (cached)": "/ru/stats/funding/",
        "organiser's contracts": "/ru/funding/manage/contracts/",
        "organiser's report queue": "/ru/funding/manage/reports/",
        "organiser's risk signals": "/ru/funding/manage/risks/",
    }
    with tempfile.TemporaryDirectory() as static_root:
        log(f"gunicorn with {args.workers} workers on {base}; competition {competition}")
        server = start_server(args.db, args.port, args.workers, Path(static_root))
        try:
            anonymous = urllib.request.build_opener()
            organiser = opener_logged_in(base)
            for name, path in paths.items():
                opener = organiser if "organiser" in name else anonymous
                p50, p95, worst, size = measure(opener, base + path, args.n)
                print(
                    f"{name:28} {path:58} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                    f"max {worst:7.1f} ms  {size // 1024} KiB",
                    flush=True,
                )
        finally:
            stop(server)


if __name__ == "__main__":
    main()
