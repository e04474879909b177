"""The web benchmark: a national-size registry on PostgreSQL, served by gunicorn, loaded by
locust. `make bench`; see bench/README.md. Results go to bench/results/ (not in git)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
RESULTS = REPO / "bench" / "results"
SCENARIOS = ("baseline", "directory", "ngo_page", "statistics")
WORDS = ["жастар", "болашак", "Ынтымақ", "экология", "молодёжь", "Шапағат", "семья", "Ақниет"]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def prepare_database(pg: str, name: str, fresh: bool = False) -> str:
    """Create, migrate and seed the national database once; reuse it when present
    (`--fresh` drops it first, e.g. after a migration was rewritten)."""
    import psycopg

    url = f"{pg.rstrip('/')}/{name}"
    with psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ortaq.settings.dev"}
    subprocess.run([BIN / "ortaq", "migrate", "-v0"], env=env, check=True)
    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*) FROM registry_ngoprofile").fetchone()[0]
    if count < 20_000:
        log(f"seeding the national registry into {name} (once; a minute or two)")
        started = time.perf_counter()
        subprocess.run(
            [BIN / "ortaq", "seed_demo", "--scale", "national"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log(f"seeded in {time.perf_counter() - started:.0f} s")
    else:
        log(f"reusing {name}: {count} NGOs")
    return url


def samples(url: str, path: Path) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        ngos = [
            r[0]
            for r in conn.execute("SELECT id FROM registry_ngoprofile ORDER BY random() LIMIT 500")
        ]
        regions = [r[0] for r in conn.execute("SELECT id FROM reference_region")]
    path.write_text(json.dumps({"ngos": ngos, "regions": regions, "words": WORDS}))


def start_server(url: str, port: int, workers: int, static_root: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ortaq.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ORTAQ_REQUIRE_2FA": "false",
        "DEBUG": "false",
        "REDIS_URL": "-",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([BIN / "ortaq", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [BIN / "ortaq", "compilemessages", "-v0"],
        env=env,
        cwd=REPO / "src" / "ortaq",
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "ortaq.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def run_scenario(name: str, port: int, users: int, seconds: int, sample_file: Path) -> dict:
    prefix = RESULTS / name
    env = {**os.environ, "BENCH_SCENARIO": name, "BENCH_SAMPLES": str(sample_file)}
    subprocess.run(
        [
            BIN / "locust",
            "-f",
            str(REPO / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "scenario": name,
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database", default="ortaq_bench")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8291)
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed the database")
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=list(SCENARIOS))
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = prepare_database(args.pg, args.database, args.fresh)
    sample_file = RESULTS / "samples.json"
    samples(url, sample_file)
    with tempfile.TemporaryDirectory() as static_root:
        server = start_server(url, args.port, args.workers, Path(static_root))
        try:
            results = []
            for name in args.only:
                log(f"{name}: {args.users} users for {args.seconds} s")
                results.append(run_scenario(name, args.port, args.users, args.seconds, sample_file))
        finally:
            stop(server)
    base = next((r["rps"] for r in results if r["scenario"] == "baseline"), None)
    for r in results:
        r["ratio_to_baseline"] = round(r["rps"] / base, 3) if base else None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    meta = {
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "cpus": os.cpu_count(),
    }
    (RESULTS / f"bench-{stamp}.json").write_text(
        json.dumps({"setup": meta, "results": results}, indent=2)
    )
    print()
    print(
        f"{'scenario':<12}{'requests':>10}{'errors':>8}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'vs base':>9}"
    )
    for r in results:
        ratio = f"{r['ratio_to_baseline']:.2f}" if r["ratio_to_baseline"] is not None else "-"
        print(
            f"{r['scenario']:<12}{r['requests']:>10}{r['errors']:>8}{r['rps']:>9.1f}"
            f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{ratio:>9}"
        )
    print(f"\nresults: {RESULTS}/bench-{stamp}.json")
    sys.exit(0)


if __name__ == "__main__":
    main()
