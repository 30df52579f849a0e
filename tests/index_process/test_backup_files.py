"""Backup and restore include the evidence files: read and written through the storage API, so the
round trip is the same whether the files live on the filesystem or in S3-compatible storage."""

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc_dashboard.env import file_storage_from_env
from indicators.models import Evidence
from tests.index_process.helpers import COMMUNE_A, COMMUNE_B, png_bytes, published_year, self_assess, unit_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def new_database(tmp_path):
    """A new, empty database (the one tests/services/test_backup.py makes)."""
    from tests.services import test_backup

    yield from test_backup.new_database.__wrapped__(tmp_path)


def manage(*args, database_url: str, media_root: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CCHC_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="cchc_dashboard.settings.production",
        CCHC_MEDIA_ROOT=str(media_root),
    )
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    return result


def test_backup_and_restore_bring_the_evidence_files_back(
    commune_set,
    commune_admin,
    other_commune_admin,
    index_staff,
    media_root,
    tmp_path,
    new_database,
):
    from tests.index_process.helpers import evidence

    self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A), submit=False)
    evidence(
        commune_admin,
        commune_set,
        unit_of(commune_set, COMMUNE_A),
        [commune_set.criteria.get(code="1.2")],
        content=png_bytes(),
        name="anh.png",
        title="Ảnh chụp",
    )
    published_year(index_staff, {COMMUNE_A: commune_admin, COMMUNE_B: other_commune_admin}, commune_set)
    stored = {e.file.name: hashlib.sha256(e.file.read()).hexdigest() for e in Evidence.objects.exclude(file="")}
    assert len(stored) == 3

    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup))
    archive = Path(f"{backup}.files.tar")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == sorted(stored)

    restored_media = tmp_path / "restored-media"
    assert manage("migrate", "--no-input", "-v0", database_url=new_database, media_root=restored_media).returncode == 0
    result = manage("restore", str(backup), database_url=new_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr
    assert "3 stored files" in result.stdout
    for name, digest in stored.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest


def test_restore_refuses_a_backup_whose_files_are_missing(
    commune_set, commune_admin, media_root, tmp_path, new_database
):
    self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A), submit=False)
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup))
    Path(f"{backup}.files.tar").unlink()
    restored_media = tmp_path / "restored-media"
    assert manage("migrate", "--no-input", "-v0", database_url=new_database, media_root=restored_media).returncode == 0
    result = manage("restore", str(backup), database_url=new_database, media_root=restored_media)
    assert result.returncode != 0
    assert "files.tar is missing" in result.stderr
    check = manage(
        "shell",
        "-c",
        "from indicators.models import Evidence; print(Evidence.objects.count())",
        database_url=new_database,
        media_root=restored_media,
    )
    assert check.stdout.strip().splitlines()[-1] == "0"  # nothing half-restored


def test_s3_compatible_storage_is_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("CCHC_FILE_STORAGE", "s3")
    monkeypatch.setenv("CCHC_S3_BUCKET", "cchc-evidence")
    monkeypatch.setenv("CCHC_S3_ENDPOINT_URL", "https://s3.example.vn")
    config = file_storage_from_env()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    expected = {"bucket_name": "cchc-evidence", "default_acl": "private", "file_overwrite": False}
    assert expected.items() <= config["OPTIONS"].items()
    assert config["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    monkeypatch.delenv("CCHC_S3_BUCKET")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CCHC_S3_BUCKET"):
        file_storage_from_env()
    monkeypatch.setenv("CCHC_FILE_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        file_storage_from_env()
    monkeypatch.setenv("CCHC_FILE_STORAGE", "filesystem")
    assert file_storage_from_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
