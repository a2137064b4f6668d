"""Backups restore: dump, restore into a fresh database, compare every table's rows and the
latest audit event; a damaged archive changes nothing (SECURITY.md, "Data")."""

import io
import json
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lebork_einclusion import backups


@pytest.fixture
def scratch_database(django_db_blocker):
    """A fresh, empty database on the same server, dropped afterwards."""
    name = f"einclusion_restore_{uuid.uuid4().hex[:8]}"
    params = backups._libpq_params("postgres")
    with django_db_blocker.unblock(), psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with django_db_blocker.unblock(), psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def archive(tmp_path_factory, django_db_setup, django_db_blocker):
    """One backup of the test database (the demo data, committed) with an uploaded scan."""
    media = Path(settings.MEDIA_ROOT)
    (media / "scans").mkdir(parents=True, exist_ok=True)
    (media / "scans" / "orzeczenie.pdf").write_bytes(b"%PDF-1.4 demo scan")
    path = tmp_path_factory.mktemp("backup") / "backup.tar"
    with django_db_blocker.unblock():
        call_command("backup", output=str(path), stdout=io.StringIO())
    return path


# Each test asks for `db`: pytest-django then runs it before the transactional (browser) tests,
# which empty the database when they finish.


def test_the_archive_holds_the_dump_the_uploads_and_a_manifest(db, archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "database.dump" in names
    assert "media/scans/orzeczenie.pdf" in names
    assert manifest["tables"]["core_publicunit"] == 7
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only


def test_a_restore_into_a_fresh_database_has_every_row_and_the_latest_audit_event(
    db, archive, scratch_database, tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        call_command(
            "restore",
            str(archive),
            database=scratch_database,
            media_root=str(tmp_path / "media"),
            no_input=True,
            stdout=io.StringIO(),
        )
        source_counts = backups.table_counts()
        restored_counts = backups.table_counts(scratch_database)
        source_event = backups.latest_audit_event()
        restored_event = backups.latest_audit_event(scratch_database)
    assert restored_counts == source_counts
    assert sum(restored_counts.values()) > 0
    assert restored_event == source_event is not None
    assert (tmp_path / "media" / "scans" / "orzeczenie.pdf").read_bytes() == b"%PDF-1.4 demo scan"


def _damaged(archive: Path, target: Path, *, truncate: bool) -> Path:
    """A copy of the archive whose dump is cut short (checksum updated, so pg_restore is the
    one to notice) or replaced by garbage (checksum left, so the check notices)."""
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        dump = tar.extractfile("database.dump").read()
        # The uploads as they were (their checksums match): only the dump is damaged.
        uploads = [
            (m.name, tar.extractfile(m).read())
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith("media/")
        ]
    if truncate:
        dump = dump[: len(dump) * 2 // 3]
        import hashlib

        manifest["dump_sha256"] = hashlib.sha256(dump).hexdigest()
    else:
        dump = b"this is not a dump" * 100
    with tarfile.open(target, "w") as tar:
        for name, data in (
            ("manifest.json", json.dumps(manifest).encode()),
            ("database.dump", dump),
            *uploads,
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.parametrize("truncate", [False, True], ids=["garbage", "truncated"])
def test_a_damaged_backup_is_refused_and_changes_nothing(
    db, archive, scratch_database, tmp_path, django_db_blocker, truncate
):
    media = tmp_path / "media"
    with django_db_blocker.unblock():
        call_command(
            "restore",
            str(archive),
            database=scratch_database,
            media_root=str(media),
            no_input=True,
            stdout=io.StringIO(),
        )
        with psycopg.connect(**backups._libpq_params(scratch_database), autocommit=True) as conn:
            conn.execute("DELETE FROM django_session")
            conn.execute(
                "INSERT INTO core_generatedfile (id, title, filename, created_by_id, created_at, status, done, total, file, error) SELECT gen_random_uuid(), 'marker', 'm', id, now(), 'done', 0, 0, '', '' FROM auth_user LIMIT 1"
            )
        before = backups.table_counts(scratch_database)
        damaged = _damaged(archive, tmp_path / "damaged.tar", truncate=truncate)
        with pytest.raises(CommandError, match=r"Nothing was changed|unchanged"):
            call_command(
                "restore",
                str(damaged),
                database=scratch_database,
                media_root=str(media),
                no_input=True,
                stdout=io.StringIO(),
            )
        after = backups.table_counts(scratch_database)
    assert after == before
    assert (media / "scans" / "orzeczenie.pdf").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    bogus = tmp_path / "notes.tar"
    bogus.write_bytes(b"not a tar at all")
    with pytest.raises(CommandError, match="not an eInclusion backup"):
        call_command("restore", str(bogus), no_input=True, stdout=io.StringIO())
