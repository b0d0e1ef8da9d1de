"""数据保密性 / 剩余信息保护: after a demo load and trainee imports through the page, no valid resident ID number
is anywhere in the database or on disk (media and the var folder, zip members included); the raw upload is
stored encrypted (Fernet or SM4 behind the same setting) and removed after a successful import."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from jiangxin.platform.academy.models import ImportJob, ImportStatus, Trainee
from jiangxin.platform.people import crypto, filecrypt
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.identity import parse_resident_id

pytestmark = pytest.mark.django_db

_CANDIDATE = re.compile(rb"(?<![0-9])[1-9]\d{16}[\dXx](?![0-9])")


def _valid_ids(blob: bytes) -> set[str]:
    found = set()
    for match in _CANDIDATE.finditer(blob):
        text = match.group(0).decode("ascii")
        try:
            parse_resident_id(text)
        except PolicyError:
            continue
        found.add(text)
    return found


def _file_blobs(root: Path) -> list[tuple[str, bytes]]:
    out = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        out.append((str(path), data))
        if data[:4] == b"PK\x03\x04":  # XLSX/DOCX: look inside the compressed members too
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                out.extend((f"{path}!{name}", zf.read(name)) for name in zf.namelist())
    return out


def _database_blobs() -> list[tuple[str, bytes]]:
    out = []
    if connection.vendor == "sqlite":
        out.append(("sqlite dump", "\n".join(connection.connection.iterdump()).encode("utf-8")))
    for model in apps.get_models():
        rows = model._default_manager.values_list()
        out.append((model._meta.label, repr(list(rows)).encode("utf-8")))
    return out


@pytest.fixture
def disk(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


def test_no_plaintext_id_number_in_the_database_or_on_disk_after_demo_and_import(disk: Path, users: dict[str, Any],
                                                                                 client_for: Any) -> None:
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    # the demo's yearly runs end properly (they used to sit at "运行中 99%" for ever)
    from jiangxin.platform.ledger.models import RunJob

    assert RunJob.objects.exists()
    assert set(RunJob.objects.values_list("status", flat=True)) == {RunJob.Status.DONE}
    numbers = ids(5, seed=11)
    client = client_for(users["unit"])
    bad = [*(row(n) for n in numbers), row("36010219900101001X")]  # one bad check digit: an error report line
    response = client.post(reverse("academy:trainee_import"), {"file": upload("学员.csv", csv_bytes(bad))})
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == ImportStatus.SUCCEEDED and job.inserted == 5
    client.post(reverse("academy:trainee_import"),
                {"file": upload("坏表头.csv", csv_bytes([row(numbers[0])], header=("姓名",)))})
    assert ImportJob.objects.latest("id").status == ImportStatus.FAILED
    leaks = {where: found for where, blob in [*_file_blobs(disk), *_database_blobs()]
             if (found := _valid_ids(blob))}
    assert leaks == {}
    assert Trainee.objects.count() >= 5


def test_the_raw_upload_is_stored_encrypted_while_the_job_waits(disk: Path, users: dict[str, Any],
                                                                settings: Any) -> None:
    from jiangxin.platform.academy import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    numbers = ids(3, seed=5)
    job = services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n) for n in numbers])))
    stored = Path(job.source.path)
    raw = stored.read_bytes()
    assert raw.startswith(filecrypt.MAGIC) and not _valid_ids(raw)
    assert numbers[0].encode() in b"".join(filecrypt.decrypt_chunks(stored))
    from jiangxin.platform.academy import importer

    importer.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED and not stored.exists()
    assert not list((Path(settings.VAR_DIR) / "work").rglob("*.csv"))  # the private plaintext copy is gone


def test_sm4_is_available_behind_the_same_cipher_setting(disk: Path, settings: Any, users: dict[str, Any]) -> None:
    settings.JIANGXIN_ID_CIPHER = "jiangxin.platform.people.crypto.SM4Cipher"
    cipher = crypto.get_cipher()
    token = cipher.encrypt("360102199001010012")
    assert token.startswith("sm4:") and "360102199001010012" not in token
    assert cipher.decrypt(token) == "360102199001010012"
    source = io.BytesIO(b"x" * (filecrypt.CHUNK + 10))
    target = disk / "f.enc"
    filecrypt.encrypt_stream(source, target)
    assert target.read_bytes().split(b"\n")[1] == b"sm4"
    assert b"".join(filecrypt.decrypt_chunks(target)) == b"x" * (filecrypt.CHUNK + 10)
    # a cut-off file is refused, not read short
    target.write_bytes(target.read_bytes()[:-20])
    with pytest.raises(crypto.CipherError):
        b"".join(filecrypt.decrypt_chunks(target))


def test_an_import_file_encrypted_with_sm4_imports(disk: Path, settings: Any, users: dict[str, Any]) -> None:
    from jiangxin.platform.academy import services

    settings.JIANGXIN_ID_CIPHER = "jiangxin.platform.people.crypto.SM4Cipher"
    job = services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n) for n in ids(4, seed=3)])))
    assert job.status == ImportStatus.SUCCEEDED and job.inserted == 4
