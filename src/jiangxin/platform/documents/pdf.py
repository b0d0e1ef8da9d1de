"""PDF rendering (公文 PDF) of issued documents in the GB/T 9704 layout, with reportlab.

Page: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 版头 (issuing office in red, 发文字号 under it,
a red rule); title 22 pt (2号) centred; body 16 pt (3号) with a fixed 28 pt line; issuing office and date at the
bottom right; page numbers "— N —" (odd pages right, even pages left). A certificate adds its number and a QR
code to the public verify page.

Fonts: an open CJK TrueType font installed from Debian (``fonts-wqy-zenhei``, installed by ``make fonts``), or the
file named by ``settings.JIANGXIN_PDF_FONT``. reportlab embeds only the glyphs used (a subset) into the document,
so the file reads the same on a machine without the font. A missing font is a clear error, never a fallback to a
font without Chinese glyphs.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from jiangxin.platform.core.officedocs import MARGINS_MM, Column, public_text

FONT_NAME = "JiangxinCJK"
#: Debian's open CJK TrueType fonts, first found wins (TrueType outlines: reportlab embeds a subset of them)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
RED = colors.HexColor("#C00000")


class FontMissing(RuntimeError):
    """No CJK font is installed; the message says how to install one (Chinese)."""


def font_path() -> Path:
    configured = str(getattr(settings, "JIANGXIN_PDF_FONT", "") or "")
    for candidate in ((configured,) if configured else FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    from django.utils.translation import gettext as _

    raise FontMissing(_("未找到中文字体：请运行 make fonts（安装 Debian 软件包 fonts-wqy-zenhei），"
                        "或在 JIANGXIN_PDF_FONT 中指定一个 TrueType 中文字体文件。"))


@cache
def _register(path: str) -> str:
    kwargs: dict[str, Any] = {"subfontIndex": 0} if path.endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, **kwargs))
    return FONT_NAME


def font() -> str:
    return _register(str(font_path()))


@dataclasses.dataclass(frozen=True)
class Official:
    """What a PDF shows. ``body`` paragraphs; ``fields`` label/value lines (a certificate's holder, unit…);
    ``rows``/``columns`` a table (ID numbers masked); ``verify_url`` adds the number and QR code block."""

    title: str
    issuer: str
    number: str
    date: str
    body: Sequence[str] = ()
    fields: Sequence[tuple[str, str]] = ()
    columns: Sequence[Column] = ()
    rows: Sequence[Mapping[str, Any]] = ()
    verify_url: str = ""
    subject: str = ""  # PDF metadata subject (e.g. the program)
    certificate: bool = False


class QrCode(Flowable):
    """A QR code (segno) drawn as vector squares: sharp at any print size, no image library needed."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        import segno

        self.qr = segno.make_qr(data, error="m")
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        matrix = self.qr.matrix
        border = 4  # the quiet zone a decoder needs
        count = len(matrix) + 2 * border
        cell = self.size / count
        canvas = self.canv
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for r, line in enumerate(matrix):
            for c, dark in enumerate(line):
                if dark:
                    canvas.rect((c + border) * cell, self.size - (r + border + 1) * cell, cell, cell,
                                stroke=0, fill=1)


def _styles(name: str) -> dict[str, ParagraphStyle]:
    return {
        "masthead": ParagraphStyle("masthead", fontName=name, fontSize=30, leading=40, alignment=TA_CENTER,
                                   textColor=RED),
        "reference": ParagraphStyle("reference", fontName=name, fontSize=16, leading=28, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=name, fontSize=22, leading=36, alignment=TA_CENTER,
                                wordWrap="CJK"),
        "body": ParagraphStyle("body", fontName=name, fontSize=16, leading=28, firstLineIndent=32,
                               alignment=TA_JUSTIFY, wordWrap="CJK"),
        "field": ParagraphStyle("field", fontName=name, fontSize=16, leading=28, wordWrap="CJK"),
        # a certificate keeps to one page: its facts in 4号 (14 pt) on a 22 pt line
        "cert_field": ParagraphStyle("cert_field", fontName=name, fontSize=14, leading=22, wordWrap="CJK"),
        "signature": ParagraphStyle("signature", fontName=name, fontSize=16, leading=28, alignment=TA_RIGHT,
                                    rightIndent=64, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=name, fontSize=12, leading=16, alignment=TA_CENTER,
                               wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=name, fontSize=10.5, leading=15, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(doc: Official, st: dict[str, ParagraphStyle], width: float) -> Table:
    total = sum(c.width for c in doc.columns) or 1
    data = [[_p(c.header, st["cell"]) for c in doc.columns]]
    for row in doc.rows:
        data.append([_p(str(public_text(c.key, row.get(c.key, ""))), st["cell"]) for c in doc.columns])
    table = Table(data, colWidths=[width * c.width / total for c in doc.columns], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2"))]))
    return table


def _page_number(canvas: Any, document: Any) -> None:
    page = canvas.getPageNumber()
    canvas.saveState()
    canvas.setFont(FONT_NAME, 14)
    y = 22 * mm
    text = f"— {page} —"
    if page % 2:
        canvas.drawRightString(A4[0] - MARGINS_MM["right"] * mm - 14, y, text)
    else:
        canvas.drawString(MARGINS_MM["left"] * mm + 14, y, text)
    canvas.restoreState()


def render_pdf(doc: Official) -> bytes:
    """The unsigned PDF of ``doc`` (sign it with :mod:`.signing` before handing it out)."""
    name = font()
    st = _styles(name)
    out = io.BytesIO()
    template = SimpleDocTemplate(out, pagesize=A4, topMargin=MARGINS_MM["top"] * mm,
                                 bottomMargin=MARGINS_MM["bottom"] * mm, leftMargin=MARGINS_MM["left"] * mm,
                                 rightMargin=MARGINS_MM["right"] * mm, title=doc.title, author=doc.issuer,
                                 subject=doc.subject or doc.title, creator="Jiangxin", lang="zh-CN")
    width = template.width
    # 版头 on one line: the issuing office's name shrinks to fit (down to 18 pt) instead of wrapping
    size = max(18.0, min(30.0, width / max(1, len(doc.issuer)) * 0.9))
    masthead = ParagraphStyle("masthead-fit", parent=st["masthead"], fontSize=size, leading=size * 1.3)
    gap = 0.6 if doc.certificate else 1.0
    story: list[Any] = [_p(doc.issuer, masthead), Spacer(1, 6 * gap * mm)]
    if doc.number:
        story.append(_p(doc.number, st["reference"]))
    story += [HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2 * mm, spaceAfter=10 * gap * mm),
              _p(doc.title, st["title"]), Spacer(1, 10 * gap * mm)]
    for label, value in doc.fields:
        story.append(_p(f"{label}：{value}", st["cert_field" if doc.certificate else "field"]))
    if doc.fields:
        story.append(Spacer(1, 6 * mm))
    story += [_p(text, st["body"]) for text in doc.body if text]
    if doc.columns:
        story += [Spacer(1, 4 * mm), _table(doc, st, width)]
    story += [Spacer(1, 14 * gap * mm),
              KeepTogether([_p(doc.issuer, st["signature"]), _p(doc.date, st["signature"])])]
    if doc.verify_url:
        qr = QrCode(doc.verify_url, 30 * mm)
        note = Table([[qr, [_p(f"证书编号：{doc.number}", st["small"]),
                            _p("扫描二维码或登录查验页面输入证书编号，可核验本证书的真伪及当前状态。", st["small"]),
                            _p(doc.verify_url, st["small"])]]],
                     colWidths=[34 * mm, width - 34 * mm])
        note.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [Spacer(1, 6 * gap * mm), KeepTogether([note])]
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()
