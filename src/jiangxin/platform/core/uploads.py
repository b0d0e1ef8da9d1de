"""Evidence upload checks: size limit, content sniffing by magic bytes, extension agreement, SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import IO

from django.conf import settings

#: extension → the sniffed type it must be
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
LABELS = "PDF、JPEG、PNG、DOCX、XLSX"


class UploadError(Exception):
    """A refused file, with a message for the user."""


def zip_names(stream: IO[bytes]) -> set[str]:
    """Member names of a ZIP container (Office files are ZIPs); empty when it is not a readable ZIP."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        stream.seek(0)


def sniff(head: bytes, stream: IO[bytes]) -> str | None:
    """The file's real type from its content, or None when it is not an allowed type."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        names = zip_names(stream)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def deep(kind: str, stream: IO[bytes]) -> None:
    """The deep checks of :mod:`core.filecheck` (PDF structure, zip limits, active content), as UploadError."""
    from jiangxin.platform.core.filecheck import FileRejected, deep_check

    try:
        deep_check(kind, stream)
    except FileRejected as exc:
        raise UploadError(str(exc)) from None


def check_upload(uploaded: object) -> tuple[str, str]:
    """Check an uploaded file; returns (file type, sha256). Raises UploadError with a Chinese message."""
    name = str(getattr(uploaded, "name", "") or "")
    size = int(getattr(uploaded, "size", 0) or 0)
    limit = settings.JIANGXIN_UPLOAD_MAX_BYTES
    if size <= 0:
        raise UploadError("文件为空，请重新选择。")
    if size > limit:
        raise UploadError(f"文件过大：{size / 1048576:.1f} MB，单个文件不得超过 {limit / 1048576:.0f} MB。")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise UploadError(f"不支持的文件类型“.{extension}”，只接受 {LABELS}。")
    stream = uploaded.file if hasattr(uploaded, "file") else io.BytesIO()  # type: ignore[attr-defined]
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    actual = sniff(head, stream)
    if actual is None:
        raise UploadError(f"文件内容不是可接受的格式（只接受 {LABELS}），请检查文件是否损坏或被改名。")
    if actual != EXTENSIONS[extension]:
        raise UploadError(f"文件扩展名“.{extension}”与文件实际内容（{actual.upper()}）不符，已拒收。")
    deep(actual, stream)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():  # type: ignore[attr-defined]
        digest.update(chunk)
    stream.seek(0)
    return actual, digest.hexdigest()
