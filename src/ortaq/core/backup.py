"""Backups of a whole installation, and their restore (`ortaq backup`, `ortaq restore`).

A backup is one folder:

    manifest.json        format version, when, which Ortaq, the database engine, the last
                         applied migration of each app, and the SHA-256 and size of every file
    database.dump        PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`)
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    media/  private/     copies of MEDIA_ROOT and PRIVATE_MEDIA_ROOT

A folder rather than a tar archive: the dump and the uploads (JPEG, PDF) are compressed already,
so an archive would save nothing; tools that take backups off the machine (rsync, restic, borg)
copy and deduplicate a folder file by file, where one archive changes completely every night;
and checking a folder needs no room to unpack it. It is written under a temporary name beside
the target and renamed when complete, so a folder with the final name is always a whole backup.
It holds personal data: the folder is readable by its owner only (0700, files 0600).

The restore checks everything before it changes anything: the manifest, that every path stays
inside the backup's folders, that no file is missing, added, a symbolic link or different from
its checksum, that the engine matches and the code knows every migration of the backup, that no
uploaded file would be overwritten and that the database has no table at all. Then it copies the
files, restores the database and migrates it when the backup is older than the code.

Checksums find damage and careless edits; they do not prove who wrote the backup. Whoever can
rewrite a backup can rewrite its manifest too: keep backups where the application cannot write.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ortaq.core.errors import DomainError

FORMAT = "ortaq-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
TREES = ("media", "private")
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    """The backup cannot be made, or cannot be restored; nothing was changed."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    files: int
    size: int
    skipped_links: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary:
    path: Path
    engine: str
    created_at: str
    ortaq_version: str
    files_restored: int
    files_present: int
    migrations_applied: list[str]


def _trees() -> dict[str, Path]:
    """Where each folder of the backup comes from and goes back to (read on each use)."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _ortaq_version() -> str:
    try:
        return metadata.version("ortaq")
    except metadata.PackageNotFoundError:
        return "unknown"


def _copy_and_hash(source: Path, target: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, target.open("xb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _hash(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as reader:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


# --- PostgreSQL tools ---------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore from PATH, else the newest of Debian's postgresql-client packages."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    raise BackupError(
        _("{tool} was not found: install the PostgreSQL client (postgresql-client).").format(
            tool=name
        )
    )


def _pg_arguments(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment; the password goes in the environment, never on
    the command line, where every user of the machine could read it."""
    params = connection.settings_dict
    arguments = [f"--dbname={params['NAME']}"]
    if params.get("HOST"):
        arguments.append(f"--host={params['HOST']}")
    if params.get("PORT"):
        arguments.append(f"--port={params['PORT']}")
    if params.get("USER"):
        arguments.append(f"--username={params['USER']}")
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    options = params.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return arguments, env


def _run(tool: str, arguments: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [_pg_tool(tool), *arguments], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("{tool} failed: {error}").format(tool=tool, error=done.stderr.strip()[-2000:])
        )


# --- Backup -------------------------------------------------------------------------------------


def _dump_database(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.vendor == "postgresql":
        arguments, env = _pg_arguments(connection)
        _run("pg_dump", ["--format=custom", f"--file={target}", *arguments], env)
    else:
        if connection.in_atomic_block:
            # SQLite's backup waits for the writer to finish: from inside its own transaction
            # it would wait forever.
            raise RuntimeError("A SQLite backup cannot run inside a transaction.")
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # A consistent copy while the site keeps running; then one self-contained file
            # (no -wal beside it) that a restore can read without writing next to it.
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    os.chmod(target, 0o600)


def _last_migrations(connection: BaseDatabaseWrapper) -> dict[str, str]:
    last: dict[str, str] = {}
    recorder = MigrationRecorder(connection)
    if recorder.has_table():
        for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
            last[app] = name
    return last


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to root, path) of every entry below root, sorted, links not followed."""
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            path = Path(folder) / name
            yield path.relative_to(root).as_posix(), path


def backup(*, output: Path, using: str = "default") -> BackupSummary:
    """Write a backup of the database and of both folders of uploaded files to `output`."""
    output = Path(output).absolute()
    trees = _trees()
    for root in trees.values():
        if _inside(output, root):
            raise BackupError(
                _(
                    "{path} is inside the uploaded files ({folder}): keep backups outside "
                    "MEDIA_ROOT and PRIVATE_MEDIA_ROOT."
                ).format(path=output, folder=root)
            )
    if output.exists() or output.is_symlink():
        raise BackupError(
            _("{path} already exists: choose a new folder for the backup.").format(path=output)
        )
    connection = connections[using]
    engine = connection.vendor
    if engine not in DATABASE_FILES:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent))
    try:
        migrations = _last_migrations(connection)
        created_at = timezone.now().isoformat()
        database_file = DATABASE_FILES[engine]
        _dump_database(connection, work / database_file)
        files = {database_file: _hash(work / database_file)}
        skipped: list[str] = []
        for prefix, root in trees.items():
            (work / prefix).mkdir(mode=0o700)
            if not root.is_dir():
                continue
            for relative, path in _walk(root):
                name = f"{prefix}/{relative}"
                target = work / prefix / relative
                if path.is_symlink():
                    skipped.append(name)
                elif path.is_dir():
                    target.mkdir(mode=0o700)
                elif path.is_file():
                    files[name] = _copy_and_hash(path, target)
                    os.chmod(target, 0o600)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at,
            "ortaq_version": _ortaq_version(),
            "database": {"engine": engine, "file": database_file},
            "migrations": migrations,
            "files": dict(sorted(files.items())),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.chmod(work / MANIFEST, 0o600)
        os.rename(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    uploads = [entry for name, entry in files.items() if name != database_file]
    return BackupSummary(
        path=output,
        engine=engine,
        files=len(uploads),
        size=sum(entry["size"] for entry in files.values()),
        skipped_links=skipped,
    )


# --- Verification -------------------------------------------------------------------------------


def _refuse(message: str | Promise) -> BackupError:
    return BackupError(f"{message} {_('Nothing was restored.')}")


def _safe_name(name: str) -> bool:
    if name in DATABASE_FILES.values():
        return True
    if "\\" in name or "\x00" in name:
        return False
    parts = name.split("/")
    return len(parts) >= 2 and parts[0] in TREES and all(p not in ("", ".", "..") for p in parts)


def _well_formed(manifest: Any) -> bool:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return False
    database, files, migrations = (
        manifest.get("database"),
        manifest.get("files"),
        manifest.get("migrations"),
    )
    return (
        isinstance(database, dict)
        and DATABASE_FILES.get(str(database.get("engine"))) == database.get("file")
        and isinstance(files, dict)
        and database.get("file") in files
        and all(
            isinstance(name, str)
            and isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
            for name, entry in files.items()
        )
        and isinstance(migrations, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in migrations.items())
    )


def verify(*, path: Path) -> dict[str, Any]:
    """The manifest of the backup at `path`, once every file in it matches; else BackupError."""
    path = Path(path)
    try:
        if (path / MANIFEST).is_symlink():
            raise ValueError(MANIFEST)
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if isinstance(manifest, dict) and manifest.get("format") == FORMAT:
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise _refuse(
                _(
                    "This backup has format version {found}; this version of Ortaq reads "
                    "version {ours}."
                ).format(found=version, ours=FORMAT_VERSION)
            )
    if not _well_formed(manifest):
        raise _refuse(
            _("{path} is not an Ortaq backup: its manifest.json cannot be read.").format(path=path)
        )
    files: dict[str, dict[str, Any]] = manifest["files"]
    for name in sorted(files):
        if not _safe_name(name):
            raise _refuse(
                _(
                    "The backup's manifest names a file outside the backup's folders: {name}."
                ).format(name=name)
            )
    for relative, entry in _walk(path):
        if entry.is_symlink():
            raise _refuse(
                _(
                    "The backup holds a symbolic link, which a restore never follows: {name}."
                ).format(name=relative)
            )
        if entry.is_dir() and relative.split("/")[0] in TREES:
            continue  # folders (empty ones too) hold nothing a restore would copy
        if relative != MANIFEST and relative not in files:
            raise _refuse(
                _("The backup holds a file its manifest does not list: {name}.").format(
                    name=relative
                )
            )
    for name in sorted(files):
        entry = path / name
        if not entry.is_file():
            raise _refuse(_("The backup is incomplete: {name} is missing.").format(name=name))
        if _hash(entry) != files[name]:
            raise _refuse(
                _(
                    "The backup is damaged or was altered: {name} does not match its checksum."
                ).format(name=name)
            )
    return dict(manifest)


# --- Restore ------------------------------------------------------------------------------------


def _check_migrations_known(migrations: dict[str, str]) -> None:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app, name in sorted(migrations.items()):
        if (app, name) not in graph.nodes:
            raise _refuse(
                _(
                    "The backup was made by a newer version of Ortaq (migration {app}.{name} is "
                    "unknown here): upgrade Ortaq first."
                ).format(app=app, name=name)
            )


def _file_plan(files: dict[str, dict[str, Any]]) -> tuple[list[tuple[str, Path]], int]:
    """The files to copy (name, destination) and how many are there already, identical;
    refuses when one would overwrite a different file."""
    trees = _trees()
    to_copy: list[tuple[str, Path]] = []
    present = 0
    for name in sorted(files):
        prefix, _sep, relative = name.partition("/")
        if prefix not in TREES:
            continue
        destination = trees[prefix] / relative
        if destination.is_symlink() or (destination.exists() and not destination.is_file()):
            same = False
        elif destination.exists():
            same = _hash(destination) == files[name]
        else:
            to_copy.append((name, destination))
            continue
        if not same:
            raise _refuse(
                _(
                    "{path} already exists with other content; the restore does not overwrite "
                    "files."
                ).format(path=destination)
            )
        present += 1
    return to_copy, present


def _restore_database(connection: BaseDatabaseWrapper, dump: Path) -> None:
    if connection.vendor == "postgresql":
        arguments, env = _pg_arguments(connection)
        connection.close()
        _run(
            "pg_restore",
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *arguments,
                str(dump),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{pathname2url(str(dump.absolute()))}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def _copy_file(source: Path, destination: Path, expected: dict[str, Any]) -> None:
    """Copied under a temporary name, checked again, then renamed: a file in place is whole."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(handle)
    os.unlink(temporary)
    try:
        if _copy_and_hash(source, Path(temporary)) != expected:
            raise BackupError(
                _("{name} changed while it was being restored.").format(name=source.name)
            )
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def restore(*, path: Path, using: str = "default") -> RestoreSummary:
    """Restore the backup at `path` into an empty database and the folders of uploaded files."""
    path = Path(path)
    manifest = verify(path=path)
    connection = connections[using]
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise _refuse(
            _("The backup is of a {engine} database and cannot be restored into {target}.").format(
                engine=engine, target=connection.vendor
            )
        )
    _check_migrations_known(manifest["migrations"])
    files: dict[str, dict[str, Any]] = manifest["files"]
    to_copy, present = _file_plan(files)
    tables = connection.introspection.table_names()
    if tables:
        raise _refuse(
            _(
                "The database is not empty (it already has {count} tables): restore only into a "
                "new, empty database."
            ).format(count=len(tables))
        )

    # Files first: should the database fail, running the restore again finds them in place.
    for name, destination in to_copy:
        _copy_file(path / name, destination, files[name])
    _restore_database(connection, path / manifest["database"]["file"])
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _back in plan]
    if pending:
        call_command("migrate", interactive=False, verbosity=0, database=using)
    return RestoreSummary(
        path=path,
        engine=engine,
        created_at=str(manifest.get("created_at", "")),
        ortaq_version=str(manifest.get("ortaq_version", "")),
        files_restored=len(to_copy),
        files_present=present,
        migrations_applied=pending,
    )
