"""The restore drill: the demo world with its files is backed up with `ortaq backup` and restored
with `ortaq restore` into an empty database; every table (row count and a checksum of its rows)
and every file (SHA-256) must be the same: 0 differences.

The commands run as the operator runs them, in their own processes, against databases of their
own: a SQLite file always, and on PostgreSQL (when DATABASE_URL says so) the databases
`ortaq_backup_src` and `ortaq_backup_dst`, created here and dropped afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

import ortaq

SRC_DIR = Path(ortaq.__file__).resolve().parent.parent
PG_SOURCE, PG_TARGET = "ortaq_backup_src", "ortaq_backup_dst"


@dataclass
class Site:
    """One installation: its database and its two folders of uploaded files."""

    root: Path
    database_url: str

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def private(self) -> Path:
        return self.root / "private"

    @property
    def sqlite_file(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    def ortaq(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "ORTAQ_DATA_DIR"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="ortaq.settings.test",
            PYTHONPATH=str(SRC_DIR),
            DATABASE_URL=self.database_url,
            ORTAQ_DATA_DIR=str(self.root),
            MEDIA_ROOT=str(self.media),
            PRIVATE_MEDIA_ROOT=str(self.private),
            LANGUAGE="en",
        )
        return subprocess.run(
            [sys.executable, "-m", "ortaq", *args],
            env=env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def run(self, *args: str) -> str:
        done = self.ortaq(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout


def _sqlite_site(root: Path) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    return Site(root=root, database_url=f"sqlite:///{root / 'ortaq.sqlite3'}")


def _add_files(site: Site) -> None:
    """Files the demo does not make: a public agenda (Kazakh name), an empty file, a deep one."""
    documents = site.media / "councils" / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "күн тәртібі 2026.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (site.media / "empty.txt").write_bytes(b"")
    deep = site.private / "funding" / "applications" / "2026" / "03"
    deep.mkdir(parents=True, exist_ok=True)
    (deep / "budget.xlsx").write_bytes(os.urandom(5000))


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _sqlite_snapshot(path: Path) -> dict[str, Any]:
    """Every table: (row count, SHA-256 of its rows in order); and the schema itself (tables,
    indexes, triggers — the append-only audit trigger must come back too)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _, _ in schema if kind == "table"]
        snapshot: dict[str, Any] = {"schema": schema}
        for table in tables:
            rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"'))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            snapshot[table] = (len(rows), digest)
    finally:
        db.close()
    return snapshot


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [
        f"{key}: {before.get(key)!r} != {after.get(key)!r}"
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    """The small demo on SQLite with public and private files, and its backup."""
    root = tmp_path_factory.mktemp("drill-sqlite")
    source = _sqlite_site(root / "source")
    source.run("migrate", "--verbosity", "0")
    source.run("seed_demo")
    _add_files(source)
    backup = root / "backups" / "2026-03-01"
    source.run("backup", "--output", str(backup))
    return source, backup


def test_drill_sqlite_demo_restores_with_no_difference(
    sqlite_demo: tuple[Site, Path], tmp_path: Path
) -> None:
    source, backup = sqlite_demo
    target = _sqlite_site(tmp_path / "target")

    out = target.run("restore", str(backup))

    assert "Restored" in out
    before, after = _sqlite_snapshot(source.sqlite_file), _sqlite_snapshot(target.sqlite_file)
    assert _differences(before, after) == []
    assert before["accounts_user"][0] > 10
    assert before["funding_visitphoto"][0] > 0
    assert _hashes(target.media) == _hashes(source.media)
    assert _hashes(target.private) == _hashes(source.private)
    assert "councils/documents/күн тәртібі 2026.pdf" in _hashes(target.media)
    assert len(_hashes(source.private)) > 1  # the demo's visit photos and the budget


def test_drill_a_tampered_backup_restores_nothing_into_an_empty_database(
    sqlite_demo: tuple[Site, Path], tmp_path: Path
) -> None:
    _, backup = sqlite_demo
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered, symlinks=True)
    photo = sorted((tampered / "private").rglob("*.jpg"))[0]
    photo.write_bytes(photo.read_bytes()[:-10] + b"0123456789")
    target = _sqlite_site(tmp_path / "target")

    done = target.ortaq("restore", str(tampered))

    assert done.returncode == 1
    assert str(photo.relative_to(tampered)) in done.stderr
    # Refused before the database was even opened: no file, or a file without a table.
    assert not target.sqlite_file.exists() or _sqlite_snapshot(target.sqlite_file) == {"schema": []}
    assert not target.media.exists()
    assert not target.private.exists()


def test_drill_a_restore_refuses_a_database_that_is_not_empty(
    sqlite_demo: tuple[Site, Path], tmp_path: Path
) -> None:
    _, backup = sqlite_demo
    target = _sqlite_site(tmp_path / "target")
    target.run("migrate", "--verbosity", "0")
    before = _sqlite_snapshot(target.sqlite_file)

    done = target.ortaq("restore", str(backup))

    assert done.returncode == 1
    assert "Nothing was restored" in done.stderr
    assert _sqlite_snapshot(target.sqlite_file) == before
    assert not target.media.exists()


def test_drill_an_older_backup_is_migrated_after_the_restore(
    sqlite_demo: tuple[Site, Path], tmp_path: Path
) -> None:
    source, _ = sqlite_demo
    old = _sqlite_site(tmp_path / "old")
    shutil.copyfile(source.sqlite_file, old.sqlite_file)
    old.run("migrate", "funding", "0004_implementation", "--verbosity", "0")
    backup = tmp_path / "old-backup"
    old.run("backup", "--output", str(backup))
    target = _sqlite_site(tmp_path / "target")

    out = target.run("restore", str(backup))

    assert "funding.0005_tranche_release_guard" in out
    restored = sqlite3.connect(target.sqlite_file)
    try:
        applied = restored.execute(
            "SELECT name FROM django_migrations WHERE app = 'funding' ORDER BY name DESC LIMIT 1"
        ).fetchone()
        triggers = restored.execute(
            "SELECT count(*) FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name LIKE 'funding_%'"
        ).fetchone()
    finally:
        restored.close()
    # Migrated up to the newest migration of funding, whichever it is now.
    newest = max(p.stem for p in (Path(ortaq.__file__).parent / "funding/migrations").glob("0*.py"))
    assert applied == (newest,)
    assert triggers[0] > 0


# --- PostgreSQL -------------------------------------------------------------------------------


def _postgres_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def _pg_connect(url: str, dbname: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname=dbname,
        autocommit=True,
    )


def _pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{dbname}"


def _pg_snapshot(url: str, dbname: str) -> dict[str, Any]:
    with _pg_connect(url, dbname) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        snapshot: dict[str, Any] = {
            "sequences": db.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                "ORDER BY sequencename"
            ).fetchall(),
            "triggers": db.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
                "ORDER BY 1, 2"
            ).fetchall(),
            # PostgreSQL prints a partial index's predicate differently once dumped and
            # restored (ARRAY[...]::text[] becomes ARRAY[(...)::text], the same condition):
            # compare the definitions up to WHERE, and that there is one.
            "indexes": db.execute(
                "SELECT indexname, split_part(indexdef, ' WHERE ', 1), indexdef LIKE '% WHERE %' "
                "FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
            ).fetchall(),
        }
        for table in tables:
            snapshot[table] = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM public."{table}" t'
            ).fetchone()
    return snapshot


@pytest.mark.skipif(
    not _postgres_url().startswith(("postgres://", "postgresql://")),
    reason="the PostgreSQL drill runs when DATABASE_URL is a PostgreSQL database",
)
def test_drill_postgresql_demo_restores_with_no_difference(tmp_path: Path) -> None:
    url = _postgres_url()
    with _pg_connect(url, "postgres") as admin:
        for name in (PG_SOURCE, PG_TARGET):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        source = Site(root=tmp_path / "source", database_url=_pg_url(url, PG_SOURCE))
        source.root.mkdir()
        source.run("migrate", "--verbosity", "0")
        source.run("seed_demo")
        _add_files(source)
        backup = tmp_path / "backup"
        source.run("backup", "--output", str(backup))
        target = Site(root=tmp_path / "target", database_url=_pg_url(url, PG_TARGET))
        target.root.mkdir()

        target.run("restore", str(backup))

        before, after = _pg_snapshot(url, PG_SOURCE), _pg_snapshot(url, PG_TARGET)
        assert _differences(before, after) == []
        assert before["accounts_user"][0] > 10
        assert before["funding_visitphoto"][0] > 0
        assert len(before["triggers"]) > 0
        assert _hashes(target.media) == _hashes(source.media)
        assert _hashes(target.private) == _hashes(source.private)
        assert len(_hashes(source.private)) > 1

        again = target.ortaq("restore", str(backup))
        assert again.returncode == 1
        assert "Nothing was restored" in again.stderr
        assert _pg_snapshot(url, PG_TARGET) == after
    finally:
        with _pg_connect(url, "postgres") as admin:
            for name in (PG_SOURCE, PG_TARGET):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
