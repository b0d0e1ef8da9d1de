"""入侵防范（恶意代码）: uploads are checked beyond their first bytes, through the evidence upload page — a PDF
header in front of an executable or HTML, a PDF that does not parse or runs script, a zip bomb dressed as XLSX,
an Office file with macros are all refused and nothing is stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import fixtures_apps
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures_apps import World, docx_bytes, pdf_bytes

from jiangxin.platform.applications.models import Evidence

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64


def _upload(world: World, app: Any, name: str, content: bytes) -> str:
    response = world.client("unit_a").post(f"/applications/{app.pk}/evidence/", {
        "condition": "c1", "file": SimpleUploadedFile(name, content), "description": "证书"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _stored(media: Path) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def _xlsx_like(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.4\n" + PE, "可执行程序"),
    (b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n", "网页、脚本"),
    (b"%PDF-1.7\n" + b"0" * 500 + b"\n%%EOF\n", "结构无法解析"),
    (pdf_bytes() + PE, "可执行程序"),
], ids=["pdf-header-then-exe", "html-behind-pdf-header", "pdf-that-does-not-parse", "exe-appended-to-a-pdf"])
def test_disguised_pdfs_are_refused(world: World, media: Path, content: bytes, message: str) -> None:
    html = _upload(world, world.studio_application(), "证书.pdf", content)
    assert message in html
    assert Evidence.objects.count() == 0 and _stored(media) == []


def test_a_pdf_with_javascript_is_refused(world: World, media: Path) -> None:
    content = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert "脚本" in _upload(world, world.studio_application(), "证书.pdf", content)
    assert Evidence.objects.count() == 0


def test_a_zip_bomb_dressed_as_xlsx_is_refused(world: World, media: Path) -> None:
    bomb = _xlsx_like({"xl/worksheets/sheet1.xml": b"0" * (100 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    html = _upload(world, world.studio_application(), "名单.xlsx", bomb)
    assert "压缩炸弹" in html
    assert Evidence.objects.count() == 0 and _stored(media) == []


def test_an_office_file_with_macros_or_an_executable_member_is_refused(world: World, media: Path) -> None:
    app = world.studio_application()
    assert "宏或可执行" in _upload(world, app, "名单.xlsx", _xlsx_like({"xl/vbaProject.bin": b"\x00" * 100}))
    assert "宏或可执行" in _upload(world, app, "名单.xlsx", _xlsx_like({"xl/media/run.exe": PE}))
    assert Evidence.objects.count() == 0


def test_genuine_files_still_pass(world: World) -> None:
    app = world.studio_application()
    _upload(world, app, "证书.pdf", pdf_bytes())
    _upload(world, app, "方案.docx", docx_bytes())
    assert sorted(Evidence.objects.values_list("file_type", flat=True)) == ["docx", "pdf"]


def test_spreadsheet_imports_refuse_a_zip_bomb_before_opening_it() -> None:
    from jiangxin.platform.cultivation import services_training
    from jiangxin.platform.park import services as park

    bomb = _xlsx_like({"xl/worksheets/sheet1.xml": b"0" * (100 * 1024 * 1024)})
    with pytest.raises(park.ParkError, match="压缩炸弹"):
        park._rows_from_upload(SimpleUploadedFile("到园.xlsx", bomb))
    with pytest.raises(services_training.CultivationError, match="压缩炸弹"):
        services_training._read_rows(SimpleUploadedFile("考勤.xlsx", bomb))


def test_the_trainee_import_refuses_a_zip_bomb_xlsx(users: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    from jiangxin.platform.academy import services as academy

    settings.MEDIA_ROOT = tmp_path
    bomb = _xlsx_like({"xl/worksheets/sheet1.xml": b"0" * (100 * 1024 * 1024)})
    with pytest.raises(academy.AcademyError, match="压缩炸弹"):
        academy.start_import(users["unit"], SimpleUploadedFile("学员.xlsx", bomb))
    with pytest.raises(academy.AcademyError, match="宏或可执行"):
        academy.start_import(users["unit"], SimpleUploadedFile("学员.xlsx", _xlsx_like({"xl/vbaProject.bin": b"1"})))
