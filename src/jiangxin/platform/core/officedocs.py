"""Template engine for DOCX (python-docx) and XLSX (openpyxl) with ``{{placeholder}}`` fields (in core, the
bottom floor: the documents app and the cultivation results both render with it).

Shipped defaults are generated here in code (no binary files in the repository); an office may download a
default, edit it in Word/WPS/Excel, and upload it back. Rendering always goes through the same path.

DOCX defaults follow GB/T 9704 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
title 方正小标宋简体 2号 (22 pt) centred; body 仿宋_GB2312 3号 (16 pt) with a fixed 28 pt line (22 lines a page);
issuing body and date at the bottom right; page numbers "— 1 —" in 宋体 4号, odd pages right, even pages
left. Fonts are referenced by name only.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from jiangxin.platform.core.spreadsheet import safe_text
from jiangxin.policy.identity import mask_resident_id

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)   # 2号
BODY_SIZE = Pt(16)    # 3号
TABLE_SIZE = Pt(14)   # 4号
LINE = Pt(28)         # fixed line: 22 lines on the 225 mm type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ID_LIKE = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    width: float = 16  # characters (XLSX) / relative (DOCX)


class TemplateError(Exception):
    """A template that cannot be used; the message says why (Chinese)."""


def public_text(key: str, value: Any) -> Any:
    """ID numbers are masked in anything produced: by key, and anywhere an ID-like number appears."""
    if value is None:
        return ""
    if key in ("id_number", "resident_id"):
        return mask_resident_id(str(value)) if value else ""
    if isinstance(value, str):
        return ID_LIKE.sub(lambda m: mask_resident_id(m.group(0)), value)
    return value


# ---- DOCX -------------------------------------------------------------------------------------------------

def _all_scripts(rpr: Any, name: str) -> None:
    """Set ``name`` for Latin, East Asian and complex scripts alike (Word picks the East Asian font for 汉字)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _fonts(run: Any, name: str, size: Any = None, bold: bool | None = None) -> None:
    run.font.name = name
    _all_scripts(run._element.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _style_fonts(style: Any, name: str, size: Any) -> None:
    style.font.name = name
    style.font.size = size
    _all_scripts(style.element.get_or_add_rPr(), name)


def _page_number(paragraph: Any) -> None:
    """"— N —" with a PAGE field."""
    def text(t: str) -> None:
        _fonts(paragraph.add_run(t), PAGE_NUMBER_FONT, TABLE_SIZE)

    text("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run, PAGE_NUMBER_FONT, TABLE_SIZE)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif instr == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            run._element.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = instr or ""
            run._element.append(el)
    text(" —")


def gbt9704_document() -> Any:
    """An empty document with the GB/T 9704 page, styles and footers."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    normal = doc.styles["Normal"]
    _style_fonts(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)
    return doc


def _title(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(36)
    _fonts(p.add_run(text), TITLE_FONT, TITLE_SIZE)
    doc.add_paragraph()


def _body(doc: Any, text: str, *, indent: bool = True, align: Any = None, right_indent: Any = None) -> Any:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    if align is not None:
        p.alignment = align
    if right_indent is not None:
        p.paragraph_format.right_indent = right_indent
    _fonts(p.add_run(text), BODY_FONT, BODY_SIZE)
    return p


def default_docx(kind: str) -> bytes:
    doc = gbt9704_document()
    if kind == "certificate":
        _title(doc, "{{title}}")
        _body(doc, "{{name}}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        _body(doc, "{{unit}}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        _body(doc, "{{body}}")
        _body(doc, "{{honour}}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        _title(doc, "{{title}}")
        _body(doc, "{{body}}")
        doc.add_paragraph("{{rows}}")
    doc.add_paragraph()
    doc.add_paragraph()
    _body(doc, "{{issuer}}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(64))
    _body(doc, "{{date}}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(64))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _all_paragraphs(doc: Any) -> list[Any]:
    found = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
    for section in doc.sections:
        for part in (section.header, section.footer, section.even_page_footer, section.first_page_footer):
            found.extend(part.paragraphs)
    return found


def _set_text(paragraph: Any, text: str) -> None:
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for run in runs[1:]:
        run._element.getparent().remove(run._element)


def _borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _table_after(doc: Any, paragraph: Any, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)

    def fill(cell: Any, text: str, bold: bool) -> None:
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _fonts(p.add_run(text), HEADING_FONT if bold else BODY_FONT, TABLE_SIZE, bold)

    for cell, col in zip(header.cells, columns, strict=True):
        fill(cell, col.header, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, col in zip(cells, columns, strict=True):
            fill(cell, str(public_text(col.key, row.get(col.key, ""))), False)
    paragraph._p.addnext(table._tbl)


def render_docx(template: bytes, values: Mapping[str, str], *, columns: Sequence[Column] = (),
                rows: Sequence[Mapping[str, Any]] | None = None) -> bytes:
    doc = Document(io.BytesIO(template))
    table_at: list[Any] = []
    for paragraph in _all_paragraphs(doc):
        text = paragraph.text
        if "{{" not in text:
            continue
        whole = PLACEHOLDER.fullmatch(text.strip())
        if whole is not None and whole.group(1) == "rows":
            table_at.append(paragraph)
            continue
        new = PLACEHOLDER.sub(lambda m: str(public_text(m.group(1), values.get(m.group(1), ""))), text)
        lines = new.split("\n")
        _set_text(paragraph, lines[0])
        anchor = paragraph._p
        for line in lines[1:]:
            clone = copy.deepcopy(paragraph._p)
            anchor.addnext(clone)
            anchor = clone
            _set_text(Paragraph(clone, paragraph._parent), line)
    for paragraph in table_at:
        _table_after(doc, paragraph, columns, rows or [])
        paragraph._p.getparent().remove(paragraph._p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---- XLSX -------------------------------------------------------------------------------------------------

def default_xlsx(kind: str, columns: Sequence[Column]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "{{title}}"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(columns)))
    ws.row_dimensions[1].height = 32
    ws["A2"] = "{{issuer}}　{{date}}"
    ws["A2"].font = Font(name="仿宋_GB2312", size=11)
    ws["A3"] = "{{rows}}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_xlsx(template: bytes, values: Mapping[str, str], *, columns: Sequence[Column],
                rows: Sequence[Mapping[str, Any]]) -> bytes:
    from openpyxl.utils import get_column_letter

    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    anchor: tuple[int, int] | None = None
    for line in ws.iter_rows():
        for cell in line:
            if not isinstance(cell.value, str) or "{{" not in cell.value:
                continue
            if cell.value.strip() == "{{rows}}":
                anchor = (cell.row, cell.column)
                cell.value = None
                continue
            cell.value = safe_text(PLACEHOLDER.sub(
                lambda m: str(public_text(m.group(1), values.get(m.group(1), ""))), cell.value))
    if anchor is None:
        raise TemplateError("模板中没有 {{rows}} 占位符。")
    top, left = anchor
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, col in enumerate(columns):
        cell = ws.cell(row=top, column=left + i, value=col.header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="E7ECF2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(left + i)].width = col.width
    for r, row in enumerate(rows, start=1):
        for i, col in enumerate(columns):
            cell = ws.cell(row=top + r, column=left + i,
                           value=safe_text(public_text(col.key, row.get(col.key, ""))))
            cell.font = Font(name="仿宋_GB2312", size=11)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if col.width <= 10 else "left")
    ws.freeze_panes = ws.cell(row=top + 1, column=left)
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(c.width for c in columns) > 110 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- checking an uploaded template --------------------------------------------------------------------------

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def sniff(content: bytes) -> str:
    """"docx" or "xlsx" by content (ZIP magic bytes and the package's main part), else ""."""
    if not content.startswith(b"PK\x03\x04"):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                return ""
    except zipfile.BadZipFile:
        return ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""


def placeholders_in(content: bytes, file_type: str) -> list[str]:
    found: set[str] = set()
    if file_type == "docx":
        doc = Document(io.BytesIO(content))
        for p in _all_paragraphs(doc):
            found.update(PLACEHOLDER.findall(p.text))
    else:
        wb = load_workbook(io.BytesIO(content))
        for ws in wb.worksheets:
            for line in ws.iter_rows():
                for cell in line:
                    if isinstance(cell.value, str):
                        found.update(PLACEHOLDER.findall(cell.value))
    return sorted(found)
