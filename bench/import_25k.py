"""Time `ortaq import_ngos` on a clean file of 25,000 NGOs, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_25k.py [--rows 25000] [--pg postgres://postgres@127.0.0.1:5432]

Each database is created empty and migrated first; the file is generated (valid BINs, the
reference codes). Reported: first import (all created), second import (all unchanged).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ORTAQ = str(REPO / ".venv" / "bin" / "ortaq")
sys.path.insert(0, str(REPO / "src"))

from ortaq.lib.identifiers import make_bin  # noqa: E402

REGIONS = [
    "10",
    "11",
    "15",
    "19",
    "23",
    "27",
    "31",
    "33",
    "35",
    "39",
    "43",
    "47",
    "55",
    "59",
    "61",
    "62",
    "63",
    "71",
    "75",
    "79",
]
FORMS = ["public_association", "public_foundation", "private_institution", "private_foundation"]
AREAS = ["family", "youth", "accord", "health", "education", "environment", "rights", "culture"]
COLUMNS = [
    "bin",
    "legal_form",
    "name_kk",
    "name_ru",
    "name_en",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "region",
    "district",
    "district_kato",
    "settlement",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "registration_year",
    "status",
    "activity_areas",
    "is_childrens",
    "is_youth",
    "is_disability",
    "is_ethnocultural",
    "is_volunteer",
    "description_ru",
    "description_kk",
]


def make_file(path: Path, rows: int) -> None:
    rng = random.Random(25)
    serial: dict[tuple[int, int], int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            year, month = rng.randint(1996, 2024), rng.randint(1, 12)
            bin_ = make_bin(year, month, serial.get((year, month), 40_000))
            serial[(year, month)] = int(bin_[6:11]) + 1
            writer.writerow(
                {
                    "bin": bin_,
                    "legal_form": rng.choice(FORMS),
                    "name_kk": f"«Ынтымақ-{i}» қоғамдық бірлестігі",
                    "name_ru": f"Общественное объединение «Ынтымак-{i}»",
                    "region": rng.choice(REGIONS),
                    "district": "Қазалы ауданы",
                    "settlement": rng.choice(["urban", "rural"]),
                    "phone": "+7 724 000 00 00",
                    "email": f"ngo{i}@example.kz",
                    "leader_name": "Серікова Д.",
                    "registration_year": str(year),
                    "status": rng.choice(["active"] * 8 + ["inactive", "suspended"]),
                    "activity_areas": ";".join(rng.sample(AREAS, 2)),
                    "is_childrens": rng.choice("01"),
                    "is_youth": "0",
                    "is_disability": "0",
                    "is_ethnocultural": "0",
                    "is_volunteer": rng.choice("01"),
                    "description_ru": "Поддержка молодёжных инициатив и волонтёрства",
                    "description_kk": "Жастар бастамалары мен волонтерлікті қолдау",
                }
            )


def run(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([ORTAQ, *args], env=env, check=True, stdout=subprocess.PIPE)
    return time.perf_counter() - start


def measure(name: str, database_url: str, path: Path) -> tuple[str, float, float]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ortaq.settings.dev",
    }
    run(env, "migrate", "-v0")
    run(env, "load_reference", "-v0")
    first = run(env, "import_ngos", str(path), "--no-progress")
    second = run(env, "import_ngos", str(path), "--no-progress")
    return name, first, second


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ngos.csv"
        make_file(path, args.rows)
        results = [measure("SQLite", f"sqlite:///{tmp}/import.sqlite3", path)]
        import psycopg

        admin = args.pg.rstrip("/") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS ortaq_import_bench")
            conn.execute("CREATE DATABASE ortaq_import_bench")
        try:
            results.append(measure("PostgreSQL", args.pg.rstrip("/") + "/ortaq_import_bench", path))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS ortaq_import_bench")
    print(f"\nimport_ngos, {args.rows} rows (subprocess wall time incl. Django start-up)")
    print(f"{'database':<12}{'first (created)':>18}{'second (unchanged)':>20}")
    for name, first, second in results:
        print(f"{name:<12}{first:>17.1f}s{second:>19.1f}s")


if __name__ == "__main__":
    main()
