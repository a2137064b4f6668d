"""Issue 12, item 5: a damaged upload inside a backup is never restored. Every uploaded file's
SHA-256 is in the manifest and all are checked before anything is swapped in; an archive of the
older format (no checksums) is refused. Item 4: files made in the background stay out."""

import hashlib
import io
import json
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lebork_einclusion import backups
from lebork_einclusion.models import GeneratedFile

SCAN = b"%PDF-1.4 scan of a disability certificate\n" + bytes(range(256)) * 4
SCAN_NAME = "media/recruitment/scans/orzeczenie-integrity.pdf"


@pytest.fixture(scope="module")
def archive(tmp_path_factory, django_db_setup, django_db_blocker):
    """A backup of the test database with an uploaded scan and a file made in the background
    (its row committed for the backup, removed afterwards)."""
    media = Path(settings.MEDIA_ROOT)
    scan = media / SCAN_NAME.removeprefix("media/")
    scan.parent.mkdir(parents=True, exist_ok=True)
    scan.write_bytes(SCAN)
    path = tmp_path_factory.mktemp("backup") / "backup.tar"
    with django_db_blocker.unblock():
        owner = get_user_model().objects.get(username="koordynator")
        generated = GeneratedFile(title="Umowy", filename="umowy.pdf", created_by=owner)
        generated.status = GeneratedFile.Status.DONE
        generated.file.save("umowy.pdf", io.BytesIO(b"%PDF-1.4 75 PESELs"), save=False)
        generated.save()
        try:
            call_command("backup", output=str(path), stdout=io.StringIO())
        finally:
            generated.file.delete(save=False)
            generated.delete()
    return path


@pytest.fixture(scope="module")
def restored(archive, tmp_path_factory, django_db_blocker):
    """A scratch database and media folder holding the archive restored once (dropped after)."""
    name = f"einclusion_integrity_{uuid.uuid4().hex[:8]}"
    params = backups._libpq_params("postgres")
    media = tmp_path_factory.mktemp("restored") / "media"
    with django_db_blocker.unblock():
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        call_command(
            "restore",
            str(archive),
            database=name,
            media_root=str(media),
            no_input=True,
            stdout=io.StringIO(),
        )
    yield name, media
    with django_db_blocker.unblock(), psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def _write(target: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(target, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def _flip_two_bytes(data: bytes) -> bytes:
    damaged = bytearray(data)
    damaged[100] ^= 0xFF
    damaged[200] ^= 0x01
    return bytes(damaged)


def _tampered(kind: str, members: dict[str, bytes]) -> dict[str, bytes]:
    members = dict(members)
    if kind == "two flipped bytes":
        members[SCAN_NAME] = _flip_two_bytes(members[SCAN_NAME])
    elif kind == "a file missing":
        del members[SCAN_NAME]
    elif kind == "a file added":
        members["media/recruitment/scans/planted.pdf"] = b"%PDF-1.4 planted"
    elif kind == "the old format":
        manifest = json.loads(members["manifest.json"])
        manifest["format"] = 1
        del manifest["media"]
        members["manifest.json"] = json.dumps(manifest).encode()
    return members


def _state(database: str, media: Path) -> tuple[dict, dict]:
    files = {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media.rglob("*")
        if p.is_file()
    }
    return backups.table_counts(database), files


def test_the_manifest_holds_every_uploaded_files_checksum(db, archive):
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == backups.FORMAT_VERSION == 2
    uploads = {n.removeprefix("media/"): d for n, d in members.items() if n.startswith("media/")}
    assert manifest["media"] == {n: hashlib.sha256(d).hexdigest() for n, d in uploads.items()}
    assert manifest["media"][SCAN_NAME.removeprefix("media/")] == hashlib.sha256(SCAN).hexdigest()


@pytest.mark.parametrize(
    "kind", ["two flipped bytes", "a file missing", "a file added", "the old format"]
)
def test_a_damaged_upload_is_refused_before_anything_changes(
    db, archive, restored, tmp_path, django_db_blocker, kind
):
    database, media = restored
    with django_db_blocker.unblock():
        with psycopg.connect(**backups._libpq_params(database), autocommit=True) as conn:
            conn.execute("DELETE FROM django_session")  # a change the restore would undo
        before = _state(database, media)
        damaged = _write(tmp_path / "damaged.tar", _tampered(kind, _members(archive)))
        with pytest.raises(CommandError) as caught:
            call_command(
                "restore",
                str(damaged),
                database=database,
                media_root=str(media),
                no_input=True,
                stdout=io.StringIO(),
            )
        after = _state(database, media)
    assert "Nothing was changed" in str(caught.value)
    if kind != "the old format":
        assert "orzeczenie-integrity.pdf" in str(caught.value) or "planted.pdf" in str(caught.value)
    assert after == before
    assert (media / SCAN_NAME.removeprefix("media/")).read_bytes() == SCAN


def test_files_made_in_the_background_are_left_out_of_the_backup(db, archive, restored):
    members = _members(archive)
    assert not [name for name in members if name.startswith("media/generated/")]
    assert json.loads(members["manifest.json"])["tables"]["core_generatedfile"] == 0
    database, media = restored
    assert backups.table_counts(database)["core_generatedfile"] == 0
    assert not (media / "generated").exists()
