"""Consistent backups of everything (records, history, uploaded files) and their restore.

A backup is one zip: ``data.json`` (Django's serialised records of every app, history tables
included, with natural foreign keys to content types), ``media/`` (uploaded files) and
``manifest.json`` (when, schema migrations, row counts per table). It is read inside one
repeatable-read transaction, so rows written meanwhile cannot leave it half-consistent.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
FORMAT_VERSION = 1


class RestoreRefused(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: dict[str, int]


def table_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if any(label == e or label.startswith(f"{e}.") for e in EXCLUDED):
            continue
        counts[label] = model._default_manager.count()
    return counts


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def backup(path: Path) -> BackupResult:
    path = Path(path)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        data = io.StringIO()
        call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, stdout=data, verbosity=0)
        counts = table_counts()
        migrations = _applied_migrations()
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "tables": counts,
    }
    media_root = Path(settings.MEDIA_ROOT)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr("data.json", data.getvalue())
        if media_root.exists():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                archive.write(file, f"media/{file.relative_to(media_root).as_posix()}")
    return BackupResult(path, counts)


def _database_is_empty() -> bool:
    return all(count == 0 for count in table_counts().values())


def restore(path: Path, *, replace: bool = False) -> dict[str, int]:
    """Restore a backup into this (migrated) database. Refuses a non-empty database unless
    ``replace`` is given, and refuses a backup made at another schema version."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise RestoreRefused(f"{path}: not a semicluster backup ({exc})") from exc
    with archive:
        names = set(archive.namelist())
        if not {"manifest.json", "data.json"} <= names:
            raise RestoreRefused(f"{path}: manifest.json or data.json is missing")
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreRefused(f"{path}: backup format {manifest.get('format')} is not {FORMAT_VERSION}")
        missing = sorted(set(manifest["migrations"]) - set(_applied_migrations()))
        if missing:
            raise RestoreRefused(
                "the backup was made with migrations this database lacks; run `semicluster migrate` first: "
                + ", ".join(missing[:5])
            )
        if not replace and not _database_is_empty():
            raise RestoreRefused(
                "the database is not empty; restore into an empty database or pass --replace"
            )
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            fixture.write_bytes(archive.read("data.json"))
            with transaction.atomic():
                if replace:
                    call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
                counts = table_counts()
                expected = manifest["tables"]
                differing = {
                    k: (expected.get(k), counts.get(k)) for k in expected if expected.get(k) != counts.get(k)
                }
                if differing:
                    raise RestoreRefused(f"row counts differ after restore (expected, got): {differing}")
            media_root = Path(settings.MEDIA_ROOT)
            for name in names:
                if name.startswith("media/") and not name.endswith("/"):
                    target = (media_root / name.removeprefix("media/")).resolve()
                    if media_root.resolve() not in target.parents:
                        raise RestoreRefused(f"unsafe path in backup: {name}")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as source, target.open("wb") as sink:
                        shutil.copyfileobj(source, sink)
    return counts


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def _canonical(value: Any) -> Any:
    # The serialiser writes "…:56Z" for a whole second and "…:56.000Z" for a few microseconds;
    # compare the instants, not their spelling.
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000).isoformat()
    return value


def serialised_snapshot() -> dict[tuple[str, str], Any]:
    """Every table's rows as serialised by Django, for comparing two databases in tests."""
    data = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, stdout=data, verbosity=0)
    rows = json.loads(data.getvalue())
    return {
        (row["model"], str(row["pk"])): {key: _canonical(value) for key, value in row["fields"].items()}
        for row in rows
    }
