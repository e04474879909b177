"""`ortaq backup` / `ortaq restore`: what a backup holds, and every reason a restore refuses.

The drill (a whole demo backed up and restored into an empty database) is in
test_backup_drill.py; these tests run in-process against the test database, which is never
empty, so each refusal is asserted by its exact message (the checks before the emptiness check
are the ones under test) and by the target folders staying empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import ortaq
from ortaq.core import backup as backup_service
from ortaq.core.backup import DATABASE_FILES, BackupError

ENGINE = connection.vendor  # "sqlite" or "postgresql": the suite runs on both
DUMP = DATABASE_FILES[ENGINE]
# SQLite's backup API copies committed pages, so on SQLite the test database must not be inside
# the transaction pytest-django wraps each test in; pg_dump reads from its own connection.
pytestmark = pytest.mark.django_db(transaction=ENGINE == "sqlite")


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> dict[str, Path]:
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "councils" / "documents").mkdir(parents=True)
    (media / "councils" / "documents" / "күн тәртібі.pdf").write_bytes(b"%PDF-1.4 agenda")
    (media / "empty.txt").write_bytes(b"")
    (private / "funding" / "visits").mkdir(parents=True)
    (private / "funding" / "visits" / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = private
    return {"media": media, "private": private, "root": tmp_path}


@pytest.fixture
def made(folders: dict[str, Path]) -> Path:
    output = folders["root"] / "backups" / "b1"
    backup_service.backup(output=output)
    return output


@pytest.fixture
def empty_targets(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Where a restore would put the files: must stay empty when it refuses."""
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = private
    return {"media": media, "private": private}


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _manifest(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    return result


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _restore_refused(path: Path) -> str:
    with pytest.raises(BackupError) as refused:
        backup_service.restore(path=path)
    return str(refused.value.message)


def test_backup_holds_the_database_the_files_and_a_manifest_of_their_checksums(
    folders: dict[str, Path],
) -> None:
    output = folders["root"] / "backups" / "b1"

    summary = backup_service.backup(output=output)

    manifest = _manifest(output)
    assert manifest["format"] == "ortaq-backup"
    assert manifest["format_version"] == 1
    assert manifest["ortaq_version"] == "0.1.0"
    assert manifest["database"] == {"engine": ENGINE, "file": DUMP}
    last = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name"):
        last[app] = name
    assert manifest["migrations"] == last
    newest = max(p.stem for p in (Path(ortaq.__file__).parent / "funding/migrations").glob("0*.py"))
    assert manifest["migrations"]["funding"] == newest
    assert sorted(manifest["files"]) == sorted(
        [
            DUMP,
            "media/councils/documents/күн тәртібі.pdf",
            "media/empty.txt",
            "private/funding/visits/photo.jpg",
        ]
    )
    for name, entry in manifest["files"].items():
        data = (output / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert (output / "media" / "empty.txt").read_bytes() == b""
    assert summary.files == 3
    # The backup holds personal data: only its owner may read it.
    assert stat.S_IMODE(output.stat().st_mode) == 0o700
    assert stat.S_IMODE((output / DUMP).stat().st_mode) == 0o600
    assert list(output.parent.iterdir()) == [output]  # no temporary folder left behind


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite copy; PostgreSQL is in the drill")
def test_backup_copies_the_rows_of_the_database(folders: dict[str, Path]) -> None:
    import sqlite3

    from ortaq.reference.models import Region

    output = folders["root"] / "b"
    backup_service.backup(output=output)

    copy = sqlite3.connect(output / "database.sqlite3")
    try:
        (count,) = copy.execute(f'SELECT count(*) FROM "{Region._meta.db_table}"').fetchone()
        (journal,) = copy.execute("PRAGMA journal_mode").fetchone()
    finally:
        copy.close()
    assert count == Region.objects.count() > 0
    assert journal == "delete"  # one self-contained file, no -wal beside it


def test_backup_refuses_an_output_that_exists(folders: dict[str, Path]) -> None:
    output = folders["root"] / "already"
    output.mkdir()
    (output / "keep.txt").write_text("mine")

    with pytest.raises(BackupError) as refused:
        backup_service.backup(output=output)

    assert refused.value.message == f"{output} already exists: choose a new folder for the backup."
    assert _tree(output) == ["keep.txt"]


@pytest.mark.parametrize("under", ["media", "private"])
def test_backup_refuses_an_output_inside_the_media_folders(
    folders: dict[str, Path], under: str
) -> None:
    """A dump under MEDIA_ROOT would be published at /media/; under the private folder it
    would be backed up into itself."""
    output = folders[under] / "councils" / "backup"

    with pytest.raises(BackupError) as refused:
        backup_service.backup(output=output)

    assert refused.value.message == (
        f"{output} is inside the uploaded files ({folders[under]}): "
        "keep backups outside MEDIA_ROOT and PRIVATE_MEDIA_ROOT."
    )
    assert not output.exists()


def test_backup_command_prints_a_summary(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    output = folders["root"] / "b"
    call_command("backup", output=str(output))
    out = capsys.readouterr().out
    assert f"Backup written to {output}" in out
    assert "3 files" in out


def test_restore_refuses_a_tampered_file_and_restores_nothing(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    (made / "private" / "funding" / "visits" / "photo.jpg").write_bytes(b"\xff\xd8\xff other")

    message = _restore_refused(made)

    assert message == (
        "The backup is damaged or was altered: private/funding/visits/photo.jpg does not "
        "match its checksum. Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []
    assert _tree(empty_targets["private"]) == []


def test_restore_refuses_a_tampered_database_dump(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    with (made / DUMP).open("r+b") as dump:
        dump.seek(200)
        dump.write(b"X")

    assert _restore_refused(made) == (
        f"The backup is damaged or was altered: {DUMP} does not match its checksum. "
        "Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_a_missing_file(made: Path, empty_targets: dict[str, Path]) -> None:
    (made / "media" / "empty.txt").unlink()

    assert _restore_refused(made) == (
        "The backup is incomplete: media/empty.txt is missing. Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_a_file_the_manifest_does_not_list(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    (made / "media" / "smuggled.html").write_text("<script>alert(1)</script>")

    assert _restore_refused(made) == (
        "The backup holds a file its manifest does not list: media/smuggled.html. "
        "Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_a_tampered_manifest_checksum(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    manifest = _manifest(made)
    manifest["files"]["media/empty.txt"]["sha256"] = "0" * 64
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        "The backup is damaged or was altered: media/empty.txt does not match its checksum. "
        "Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_a_manifest_that_is_not_json(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    (made / "manifest.json").write_text('{"format": "ortaq-backup", ', encoding="utf-8")

    assert _restore_refused(made) == (
        f"{made} is not an Ortaq backup: its manifest.json cannot be read. Nothing was restored."
    )


def test_restore_refuses_a_folder_without_manifest(
    tmp_path: Path, empty_targets: dict[str, Path]
) -> None:
    assert _restore_refused(tmp_path) == (
        f"{tmp_path} is not an Ortaq backup: its manifest.json cannot be read. "
        "Nothing was restored."
    )


@pytest.mark.parametrize(
    "name",
    [
        "media/../../outside.txt",
        "../outside.txt",
        "/etc/cron.d/evil",
        "media/./x.txt",
        "static/x.txt",
        "media\\..\\x.txt",
        "manifest.json",
    ],
)
def test_restore_refuses_a_manifest_naming_a_path_outside_its_folders(
    made: Path, empty_targets: dict[str, Path], name: str
) -> None:
    manifest = _manifest(made)
    manifest["files"][name] = {"sha256": hashlib.sha256(b"").hexdigest(), "size": 0}
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        f"The backup's manifest names a file outside the backup's folders: {name}. "
        "Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []
    assert not (empty_targets["media"].parent.parent / "outside.txt").exists()


def test_restore_refuses_a_symbolic_link_in_the_backup(
    made: Path, empty_targets: dict[str, Path], tmp_path: Path
) -> None:
    """A link would copy whatever it points to (a server's secrets) into the public media."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET_KEY=…")
    target = made / "media" / "empty.txt"
    target.unlink()
    os.symlink(secret, target)
    manifest = _manifest(made)
    manifest["files"]["media/empty.txt"] = {
        "sha256": hashlib.sha256(secret.read_bytes()).hexdigest(),
        "size": secret.stat().st_size,
    }
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        "The backup holds a symbolic link, which a restore never follows: media/empty.txt. "
        "Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_an_unknown_format_version(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    manifest = _manifest(made)
    manifest["format_version"] = 2
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        "This backup has format version 2; this version of Ortaq reads version 1. "
        "Nothing was restored."
    )


def test_restore_refuses_a_backup_newer_than_the_code(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    manifest = _manifest(made)
    manifest["migrations"]["funding"] = "0099_from_the_future"
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        "The backup was made by a newer version of Ortaq (migration funding.0099_from_the_future "
        "is unknown here): upgrade Ortaq first. Nothing was restored."
    )
    assert _tree(empty_targets["media"]) == []


def test_restore_refuses_a_backup_of_another_database_engine(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    manifest = _manifest(made)
    other = "postgresql" if ENGINE == "sqlite" else "sqlite"
    manifest["database"] = {"engine": other, "file": DATABASE_FILES[other]}
    manifest["files"][DATABASE_FILES[other]] = manifest["files"].pop(DUMP)
    (made / DUMP).rename(made / DATABASE_FILES[other])
    _write_manifest(made, manifest)

    assert _restore_refused(made) == (
        f"The backup is of a {other} database and cannot be restored into {ENGINE}. "
        "Nothing was restored."
    )


def test_restore_refuses_to_overwrite_a_different_file(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    existing = empty_targets["media"] / "councils" / "documents" / "күн тәртібі.pdf"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"%PDF-1.4 a newer agenda")

    assert _restore_refused(made) == (
        f"{existing} already exists with other content; the restore does not overwrite files. "
        "Nothing was restored."
    )
    assert existing.read_bytes() == b"%PDF-1.4 a newer agenda"
    assert _tree(empty_targets["private"]) == []


def test_restore_refuses_a_database_that_is_not_empty(
    made: Path, empty_targets: dict[str, Path]
) -> None:
    from ortaq.reference.models import Region

    regions = Region.objects.count()

    tables = len(connection.introspection.table_names())

    assert _restore_refused(made) == (
        f"The database is not empty (it already has {tables} tables): restore only into a new, "
        "empty database. Nothing was restored."
    )
    assert Region.objects.count() == regions
    assert _tree(empty_targets["media"]) == []
    assert _tree(empty_targets["private"]) == []


def test_restore_command_turns_a_refusal_into_an_error(
    made: Path, empty_targets: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    (made / "media" / "empty.txt").unlink()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(made))

    assert str(refused.value) == (
        "The backup is incomplete: media/empty.txt is missing. Nothing was restored."
    )


def test_restore_messages_are_translated(
    made: Path, empty_targets: dict[str, Path], settings: Any
) -> None:
    from django.utils import translation

    (made / "media" / "empty.txt").unlink()
    with translation.override("ru"):
        assert _restore_refused(made) == (
            "Резервная копия неполна: нет файла media/empty.txt. Ничего не восстановлено."
        )
    with translation.override("kk"):
        assert _restore_refused(made) == (
            "Резервтік көшірме толық емес: media/empty.txt файлы жоқ. "
            "Ештеңе қалпына келтірілген жоқ."
        )


def test_commands_speak_the_operators_language(
    made: Path, empty_targets: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (made / "media" / "empty.txt").unlink()
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(made))

    assert str(refused.value) == (
        "Резервная копия неполна: нет файла media/empty.txt. Ничего не восстановлено."
    )
