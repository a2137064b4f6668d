"""Backups that restore: one .tar holding the database (pg_dump -Fc), the uploaded files and a
manifest (row counts, the latest audit event, checksums).

`make backup` / `manage.py backup` write it; `make restore FILE=...` / `manage.py restore`
check it first (the dump's and every uploaded file's SHA-256, `pg_restore --list`) and then
restore in a single transaction, so a damaged file changes nothing: the database and the uploads
stay as they were.

Files made in the background (GeneratedFile: PDFs of a whole call, with PESEL numbers) are
short-lived copies of what the database holds: neither their rows nor their files are backed up.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings

DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
# 2: every uploaded file's SHA-256 in the manifest ("media"), generated files left out.
FORMAT_VERSION = 2
# Left out of every backup: files made in the background (their rows and their folder).
EXCLUDED_TABLE_DATA = ("core_generatedfile",)
EXCLUDED_MEDIA_FOLDERS = ("generated",)


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in plain words."""


def pg_bindir() -> Path:
    """The PostgreSQL client programs: EINCLUSION_PG_BINDIR (scripts/dev.sh exports the one it
    found), else on PATH, else the newest /usr/lib/postgresql/*/bin, as scripts/dev.sh looks."""

    def complete(directory) -> bool:
        return (Path(directory) / "pg_dump").exists() and (Path(directory) / "pg_restore").exists()

    configured = os.environ.get("EINCLUSION_PG_BINDIR")
    if configured and complete(configured):
        return Path(configured)
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and complete(Path(os.path.realpath(pg_ctl)).parent):
        return Path(os.path.realpath(pg_ctl)).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
        reverse=True,
    )
    for candidate in candidates:
        if complete(candidate):
            return candidate
    found = shutil.which("pg_dump")
    if found and complete(Path(found).parent):
        return Path(found).parent
    raise BackupError("pg_dump/pg_restore not found (Debian: apt-get install postgresql-client).")


# libpq connection keywords that may come from DATABASES (DATABASE_URL's query string lands
# in OPTIONS, e.g. ?host=/run/postgresql&port=5432&sslmode=require).
_LIBPQ = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def _libpq_params(database: str | None = None) -> dict:
    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
    }
    for key, value in (db.get("OPTIONS") or {}).items():
        if key in _LIBPQ:
            params[key] = value
    params = {key: str(value) for key, value in params.items() if value not in (None, "")}
    params["dbname"] = database or db["NAME"]
    return params


def _pg_env(database: str | None = None) -> dict:
    """libpq settings for pg_dump/pg_restore: the password goes in the environment, never argv."""
    env = dict(os.environ)
    params = _libpq_params(database)
    for key, name in _LIBPQ.items():
        if key in params:
            env[name] = params[key]
    env["PGDATABASE"] = params["dbname"]
    return env


def _run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, check=False, **kwargs)  # noqa: S603


def table_counts(database: str | None = None) -> dict[str, int]:
    """Rows in every table of the public schema (exact counts)."""
    with _connection(database) as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
    return counts


def latest_audit_event(database: str | None = None) -> dict | None:
    """The newest row of the audit trail (pghistory event tables): table, id and time."""
    with _connection(database) as cursor:
        cursor.execute(
            "SELECT c.table_name FROM information_schema.columns c "
            "WHERE c.table_schema = 'public' AND c.column_name = 'pgh_created_at'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        if not tables:
            return None
        # Table names come from information_schema, not from input.
        union = " UNION ALL ".join(
            f"SELECT '{t}' AS t, pgh_id, pgh_created_at FROM \"{t}\""  # noqa: S608
            for t in tables
        )
        query = f"SELECT t, pgh_id, pgh_created_at FROM ({union}) e ORDER BY 3 DESC, 2 DESC LIMIT 1"  # noqa: S608
        cursor.execute(query)
        row = cursor.fetchone()
    if row is None:
        return None
    return {"table": row[0], "id": row[1], "at": row[2].isoformat()}


class _connection:
    """A cursor of its own (autocommit) on a database of the configured server: it sees what
    is committed, as pg_dump does, whatever transaction the caller is in."""

    def __init__(self, database):
        self.database = database

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(**_libpq_params(self.database), autocommit=True)
        self.cursor = self.conn.cursor()
        return self.cursor

    def __exit__(self, *exc):
        self.cursor.close()
        self.conn.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: Path) -> dict[str, Path]:
    """The uploads to back up, by their path relative to MEDIA_ROOT (generated files left out)."""
    if not media_root.exists():
        return {}
    files = {}
    for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
        relative = path.relative_to(media_root).as_posix()
        if relative.split("/", 1)[0] in EXCLUDED_MEDIA_FOLDERS:
            continue
        files[relative] = path
    return files


def create_backup(output: Path | None = None) -> Path:
    """Dump the database and pack it with the uploads; returns the archive's path."""
    bindir = pg_bindir()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    if output is None:
        settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
        output = settings.BACKUP_DIR / f"einclusion-{stamp}.tar"
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="einclusion-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAME
        # Counts and the latest event first: the dump (one snapshot, taken after) holds at
        # least these rows; on a quiet system exactly these.
        counts = table_counts()
        for table in EXCLUDED_TABLE_DATA:
            if table in counts:
                counts[table] = 0
        latest = latest_audit_event()
        excluded = [f"--exclude-table-data={table}" for table in EXCLUDED_TABLE_DATA]
        result = _run(
            [
                str(bindir / "pg_dump"),
                "-Fc",
                "--no-owner",
                "--no-privileges",
                *excluded,
                "-f",
                str(dump),
            ],
            _pg_env(),
        )
        if result.returncode != 0:
            raise BackupError("pg_dump failed: " + result.stderr.decode(errors="replace").strip())
        media_files = _media_files(Path(settings.MEDIA_ROOT))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": settings.DATABASES["default"]["NAME"],
            "dump_sha256": _sha256(dump),
            "tables": counts,
            "latest_audit_event": latest,
            "media_files": len(media_files),
            "media": {name: _sha256(path) for name, path in media_files.items()},
        }
        partial = output.with_suffix(output.suffix + ".partial")
        # The archive holds personal data: readable by its owner only.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            data = json.dumps(manifest, indent=2, default=str).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP_NAME)
            for name, path in media_files.items():
                tar.add(path, arcname=MEDIA_PREFIX + name)
        partial.replace(output)
    return output


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, mode="r") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise KeyError(MANIFEST_NAME)
            return json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(
            f"{archive} is not an eInclusion backup or is damaged ({error}). Nothing was changed."
        ) from None


def _check_media(archive: Path, unpacked: Path, manifest: dict) -> None:
    """Every uploaded file in the archive is the one the manifest lists, byte for byte (its
    SHA-256), and none is missing or added; otherwise BackupError, before anything changes."""
    expected = manifest.get("media")
    if not isinstance(expected, dict):
        raise BackupError(
            f"The manifest of {archive} lists no checksums of the uploaded files. "
            "Nothing was changed."
        )
    media = unpacked / MEDIA_PREFIX.rstrip("/")
    found = (
        {p.relative_to(media).as_posix(): p for p in media.rglob("*") if p.is_file()}
        if media.exists()
        else {}
    )
    problems = []
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            problems.append(f"{name} (missing)")
        elif name not in expected:
            problems.append(f"{name} (not in the manifest)")
        elif _sha256(found[name]) != expected[name]:
            problems.append(f"{name} (checksum mismatch)")
    if problems:
        shown = ", ".join(problems[:5]) + (f" and {len(problems) - 5} more" if problems[5:] else "")
        raise BackupError(
            f"{len(problems)} uploaded file(s) in {archive} are damaged or missing: {shown}. "
            "Nothing was changed."
        )


def restore_backup(archive: Path, database: str | None = None, media_root: Path | None = None):
    """Restore an archive made by create_backup into `database` (default: the configured one)
    and its uploads into `media_root` (default: MEDIA_ROOT).

    Everything is checked before anything is touched; the database is restored with
    `pg_restore --clean --single-transaction`, so a failure half-way rolls back completely.
    Stop the web and worker processes first (docs/deploy.md). Returns the manifest.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist. Nothing was changed.")
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is a backup of format {manifest.get('format')}; this version restores "
            f"format {FORMAT_VERSION} only (it checks every uploaded file's checksum). Restore it "
            "with the version of the application that made it. Nothing was changed."
        )
    bindir = pg_bindir()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="einclusion-restore-") as tmp:
        tmp = Path(tmp)
        try:
            with tarfile.open(archive, mode="r") as tar:
                # The "data" filter refuses absolute paths, "..", links out of the folder.
                tar.extractall(tmp / "unpacked", filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(
                f"{archive} cannot be unpacked ({error}). Nothing was changed."
            ) from None
        dump = tmp / "unpacked" / DUMP_NAME
        if not dump.is_file() or _sha256(dump) != manifest.get("dump_sha256"):
            raise BackupError(
                f"The database dump in {archive} is missing or damaged (checksum mismatch). "
                "Nothing was changed."
            )
        _check_media(archive, tmp / "unpacked", manifest)
        env = _pg_env(database)
        listing = _run([str(bindir / "pg_restore"), "--list", str(dump)], env)
        if listing.returncode != 0:
            raise BackupError(
                f"The database dump in {archive} cannot be read by pg_restore "
                f"({listing.stderr.decode(errors='replace').strip()}). Nothing was changed."
            )
        result = _run(
            [
                str(bindir / "pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                env["PGDATABASE"],
                str(dump),
            ],
            env,
        )
        if result.returncode != 0:
            raise BackupError(
                "pg_restore failed and rolled back; the database is unchanged: "
                + result.stderr.decode(errors="replace").strip()[:2000]
            )
        # The uploads: swapped in whole only after the database is restored.
        unpacked_media = tmp / "unpacked" / MEDIA_PREFIX.rstrip("/")
        staging = media_root.parent / f".{media_root.name}.restoring"
        if staging.exists():
            shutil.rmtree(staging)
        if unpacked_media.exists():
            shutil.copytree(unpacked_media, staging)
        else:
            staging.mkdir(parents=True)
        previous = media_root.parent / f".{media_root.name}.before-restore"
        if previous.exists():
            shutil.rmtree(previous)
        if media_root.exists():
            media_root.rename(previous)
        staging.rename(media_root)
        if previous.exists():
            shutil.rmtree(previous)
    return manifest
