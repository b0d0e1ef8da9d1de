"""Course file checks: the evidence checker's content sniffing (``applications.uploads.sniff``) extended with
video (MP4/WebM) and PowerPoint (PPTX); a size limit of its own (``JIANGXIN_COURSE_UPLOAD_MAX_BYTES``)."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.conf import settings

from jiangxin.platform.academy.models import MaterialKind
from jiangxin.platform.applications.uploads import UploadError, deep, sniff, zip_names

__all__ = ["ACCEPT", "CONTENT_TYPES", "UploadError", "check_course_file", "sniff_course"]

#: material kind → extensions accepted
ACCEPT: dict[str, tuple[str, ...]] = {
    MaterialKind.VIDEO: ("mp4", "webm"),
    MaterialKind.COURSEWARE: ("pdf", "pptx"),
    MaterialKind.LESSON_PLAN: ("docx", "pdf"),
}
CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "pdf": "application/pdf",
                 "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
LABELS = {MaterialKind.VIDEO: "MP4、WebM", MaterialKind.COURSEWARE: "PDF、PPTX", MaterialKind.LESSON_PLAN: "DOCX、PDF"}


def max_bytes() -> int:
    return int(getattr(settings, "JIANGXIN_COURSE_UPLOAD_MAX_BYTES", 500 * 1024 * 1024))


def sniff_course(head: bytes, stream: IO[bytes]) -> str | None:
    """The real type from the content: PDF/DOCX via the evidence checker, plus MP4, WebM and PPTX."""
    known = sniff(head, stream)
    if known is not None:
        return known
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"PK\x03\x04"):
        names = zip_names(stream)
        if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
            return "pptx"
    return None


def check_course_file(uploaded: Any, kind: str) -> tuple[str, str]:
    """Returns (file type, sha256); raises UploadError with a Chinese message."""
    if kind not in ACCEPT:
        raise UploadError("请选择资料类别（教学视频、课件或教案）。")
    name = str(getattr(uploaded, "name", "") or "")
    size = int(getattr(uploaded, "size", 0) or 0)
    if size <= 0:
        raise UploadError("文件为空，请重新选择。")
    if size > max_bytes():
        raise UploadError(f"文件过大：{size / 1048576:.1f} MB，课程资料单个文件不得超过 {max_bytes() / 1048576:.0f} MB。")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    label = LABELS[MaterialKind(kind)]
    if extension not in ACCEPT[kind]:
        raise UploadError(f"{MaterialKind(kind).label}只接受 {label} 文件（收到“.{extension}”）。")
    stream = uploaded.file
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    actual = sniff_course(head, stream)
    if actual is None:
        raise UploadError(f"文件内容不是可接受的格式（{label}），请检查文件是否损坏或被改名。")
    if actual != extension:
        raise UploadError(f"文件扩展名“.{extension}”与文件实际内容（{actual.upper()}）不符，已拒收。")
    deep(actual, stream)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    stream.seek(0)
    return actual, digest.hexdigest()
