"""Deep upload checks (入侵防范 / 恶意代码防范): beyond the first bytes, whatever the name or header says.

- **Active content anywhere**: HTML, script or an embedded executable (Windows PE stub, ELF) refuses the file.
- **PDF**: parsed with pypdf (a maintained library); it must open, have at least one page and end with
  ``%%EOF`` (nothing appended); JavaScript, launch actions and embedded files are refused.
- **Office (XLSX/DOCX/PPTX) and every ZIP**: members are really decompressed (declared sizes are not trusted)
  with limits on the member count, each member's size, the total and the compression ratio (zip bombs);
  macros and executable members are refused.

Every refusal is :class:`FileRejected` with a Chinese message for the user.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO, TYPE_CHECKING, cast

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from pypdf.generic import DictionaryObject

CHUNK = 1 << 16

#: anywhere in a file (case-insensitive): markup a browser would run, or an executable's header
_ACTIVE = re.compile(rb"<\s*script|<\s*html|<!doctype\s+html|<\s*iframe|<\s*object\b|<\s*embed\b|javascript:|"
                     rb"<\?php|this program cannot be run in dos mode|\x7fELF[\x01\x02][\x01\x02]\x01", re.I)
#: PDF names that run something
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_EXECUTABLE_MEMBERS = (".exe", ".dll", ".js", ".vbs", ".bat", ".cmd", ".ps1", ".hta", ".scr", ".jar", ".msi",
                       ".com", ".html", ".htm", ".svgz")
_MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")


class FileRejected(Exception):
    """A file refused by a deep check; the message is for the user."""


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def scan_active(stream: IO[bytes], *, label: str = "") -> None:
    """Refuse HTML, script or an executable anywhere in the bytes (overlapping chunks: nothing hides at a seam)."""
    label = label or _("文件")
    stream.seek(0)
    tail = b""
    while block := stream.read(CHUNK):
        window = tail + block
        if _ACTIVE.search(window):
            stream.seek(0)
            raise FileRejected(_("%(label)s中含有网页、脚本或可执行程序内容，已拒收。") % {"label": label})
        tail = window[-64:]
    stream.seek(0)


def check_pdf(stream: IO[bytes]) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - 1024))
    if b"%%EOF" not in stream.read():
        stream.seek(0)
        raise FileRejected(_("PDF 文件结尾不完整或附加了其他内容，已拒收。"))
    stream.seek(0)
    tail = b""
    while block := stream.read(CHUNK):
        if _PDF_ACTIVE.search(tail + block):
            stream.seek(0)
            raise FileRejected(_("PDF 文件含有脚本、启动动作或嵌入文件，已拒收。"))
        tail = block[-32:]
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        pages = len(reader.pages)
        # anything but a dictionary fails below (AttributeError, TypeError) and is refused
        root = cast("DictionaryObject", reader.trailer["/Root"])
        if any(key in root for key in ("/OpenAction", "/AA")) and "/JS" in str(root.get("/OpenAction", "")):
            raise FileRejected(_("PDF 文件含有打开时运行的脚本，已拒收。"))
        names = root.get("/Names")
        if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
            raise FileRejected(_("PDF 文件含有脚本或嵌入文件，已拒收。"))
    except FileRejected:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError):
        raise FileRejected(_("PDF 文件结构无法解析（文件损坏或不是真正的 PDF），已拒收。")) from None
    finally:
        stream.seek(0)
    if pages < 1:
        raise FileRejected(_("PDF 文件没有任何页面，已拒收。"))


def check_zip(stream: IO[bytes]) -> None:
    """Decompress every member under limits; refuse zip bombs, macros and executable members."""
    max_members = _limit("JIANGXIN_ZIP_MAX_MEMBERS", 5000)
    max_member = _limit("JIANGXIN_ZIP_MAX_MEMBER_BYTES", 50 * 1024 * 1024)
    max_total = _limit("JIANGXIN_ZIP_MAX_TOTAL_BYTES", 200 * 1024 * 1024)
    max_ratio = _limit("JIANGXIN_ZIP_MAX_RATIO", 100)
    stream.seek(0, io.SEEK_END)
    packed = max(1, stream.tell())
    stream.seek(0)
    total = 0
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise FileRejected(_("压缩包内文件过多（%(n)s 个），已拒收。") % {"n": len(members)})
            for info in members:
                lower = info.filename.lower()
                if lower.endswith(_EXECUTABLE_MEMBERS) or lower.rsplit("/", 1)[-1] in _MACRO_MEMBERS:
                    raise FileRejected(_("文件中含有宏或可执行内容，已拒收。"))
                size = 0
                with archive.open(info) as member:
                    tail = b""
                    while block := member.read(CHUNK):
                        size += len(block)
                        total += len(block)
                        if size > max_member or total > max_total:
                            raise FileRejected(_("文件解压后过大（疑似压缩炸弹），已拒收。"))
                        if _ACTIVE.search(tail + block) and not lower.endswith((".png", ".jpeg", ".jpg", ".emf",
                                                                                ".wmf", ".gif", ".bin")):
                            raise FileRejected(_("文件中含有网页、脚本或可执行程序内容，已拒收。"))
                        tail = block[-64:]
                if total > 1024 * 1024 and total / packed > max_ratio:
                    raise FileRejected(_("文件压缩比异常（疑似压缩炸弹），已拒收。"))
    except FileRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise FileRejected(_("文件已损坏，无法读取，已拒收。")) from None
    finally:
        stream.seek(0)


def check_zip_declared(stream: IO[bytes], *, max_total: int, max_ratio: int | None = None) -> None:
    """A cheap check for very large spreadsheets (the trainee import): the central directory's sizes, which
    Python's zipfile enforces while reading, against a total and a ratio limit; macros and executables refused.
    Nothing is decompressed here."""
    max_ratio = max_ratio or _limit("JIANGXIN_ZIP_MAX_RATIO", 100)
    stream.seek(0, io.SEEK_END)
    packed = max(1, stream.tell())
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRejected(_("文件已损坏，无法读取，已拒收。")) from None
    finally:
        stream.seek(0)
    for info in members:
        lower = info.filename.lower()
        if lower.endswith(_EXECUTABLE_MEMBERS) or lower.rsplit("/", 1)[-1] in _MACRO_MEMBERS:
            raise FileRejected(_("文件中含有宏或可执行内容，已拒收。"))
    total = sum(info.file_size for info in members)
    if total > max_total or (total > 1024 * 1024 and total / packed > max_ratio):
        raise FileRejected(_("文件解压后过大（疑似压缩炸弹），已拒收。"))


def deep_check(kind: str, stream: IO[bytes]) -> None:
    """The deep checks for a file already sniffed as ``kind`` (pdf, docx, xlsx, pptx, jpg, png, mp4, webm, csv)."""
    if kind in ("docx", "xlsx", "pptx"):
        check_zip(stream)
        return
    if kind in ("mp4", "webm"):
        return  # video streams: binary media, served as attachments only
    scan_active(stream)
    if kind == "pdf":
        check_pdf(stream)
