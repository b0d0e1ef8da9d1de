"""Evidence uploads: size limit, content sniffing, disguised files, SHA-256, scoped downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import fixtures_apps
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures_apps import World, docx_bytes, pdf_bytes, png_bytes

from jiangxin.platform.applications.models import Evidence

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def _upload(world: World, app: Any, name: str, content: bytes, user: str = "unit_a", condition: str = "c1") -> Any:
    return world.client(user).post(f"/applications/{app.pk}/evidence/", {
        "condition": condition, "file": SimpleUploadedFile(name, content), "description": "证书"}, follow=True)


def _stored_files(media: Path) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def test_pdf_is_accepted_with_its_sha256_and_a_random_stored_name(world: World, media: Path) -> None:
    app = world.studio_application()
    content = pdf_bytes()
    response = _upload(world, app, "荣誉证书.pdf", content)
    assert "材料已上传" in response.content.decode()
    ev = Evidence.objects.get(application=app)
    assert ev.sha256 == hashlib.sha256(content).hexdigest() and ev.file_type == "pdf" and ev.size == len(content)
    assert ev.original_name == "荣誉证书.pdf" and "荣誉证书" not in ev.file.name
    download = world.client("unit_a").get(f"/applications/{app.pk}/evidence/{ev.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"


def test_docx_and_png_are_accepted(world: World) -> None:
    app = world.studio_application()
    _upload(world, app, "方案.docx", docx_bytes())
    _upload(world, app, "照片.png", png_bytes(), condition="c3")
    assert sorted(Evidence.objects.values_list("file_type", flat=True)) == ["docx", "png"]


def test_exe_renamed_pdf_is_refused_and_nothing_is_stored(world: World, media: Path) -> None:
    app = world.studio_application()
    response = _upload(world, app, "证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    assert "文件内容不是可接受的格式" in response.content.decode()
    assert Evidence.objects.count() == 0 and _stored_files(media) == []


def test_png_named_pdf_is_refused_as_a_mismatch(world: World, media: Path) -> None:
    app = world.studio_application()
    response = _upload(world, app, "扫描件.pdf", png_bytes())
    assert "与文件实际内容（PNG）不符" in response.content.decode()
    assert Evidence.objects.count() == 0 and _stored_files(media) == []


def test_unknown_extension_is_refused(world: World) -> None:
    app = world.studio_application()
    assert "不支持的文件类型" in _upload(world, app, "setup.exe", b"MZ" + b"\x00" * 10).content.decode()
    assert Evidence.objects.count() == 0


def test_oversized_file_is_refused(world: World, settings: Any, media: Path) -> None:
    settings.JIANGXIN_UPLOAD_MAX_BYTES = 1024
    app = world.studio_application()
    response = _upload(world, app, "大文件.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    assert "文件过大" in response.content.decode()
    assert Evidence.objects.count() == 0 and _stored_files(media) == []


def test_other_applicants_and_other_districts_cannot_download(world: World) -> None:
    app = world.studio_application(submit=False)
    _upload(world, app, "证书.pdf", pdf_bytes())
    ev = Evidence.objects.get()
    url = f"/applications/{app.pk}/evidence/{ev.pk}/"
    assert world.client("unit_b").get(url).status_code == 404
    assert world.client("indiv_1").get(url).status_code == 404
    assert world.client("district_donghu").get(url).status_code == 404  # still a draft
    from jiangxin.platform.applications import services

    services.submit(world.users["unit_a"], app)
    assert world.client("district_donghu").get(url).status_code == 200
    assert world.client("district_xihu").get(url).status_code == 404
    assert world.client("sysadmin").get(url).status_code == 404
    # the evidence id of one application under another's URL is not served either
    other = world.studio_application(user="unit_b")
    assert world.client("unit_b").get(f"/applications/{other.pk}/evidence/{ev.pk}/").status_code == 404


def test_a_file_outside_media_root_is_never_served(world: World, tmp_path: Path) -> None:
    app = world.studio_application()
    _upload(world, app, "证书.pdf", pdf_bytes())
    ev = Evidence.objects.get()
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(pdf_bytes())
    Evidence.objects.filter(pk=ev.pk).update(file=str(outside))
    assert world.client("unit_a").get(f"/applications/{app.pk}/evidence/{ev.pk}/").status_code == 404
    Evidence.objects.filter(pk=ev.pk).update(file="../secret.pdf")
    assert world.client("unit_a").get(f"/applications/{app.pk}/evidence/{ev.pk}/").status_code == 404


def test_no_upload_after_submission(world: World) -> None:
    app = world.studio_application(submit=True)
    response = _upload(world, app, "证书.pdf", pdf_bytes())
    assert "已提交的申报不能修改" in response.content.decode()
    assert Evidence.objects.count() == 0
