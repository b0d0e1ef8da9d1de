"""Documents: XLSX/DOCX open with openpyxl/python-docx, hold the expected rows, mask ID numbers, write the
Chinese date and follow the GB/T 9704 page; office templates are validated and used."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import docx
import fixtures_apps
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt
from pub_helpers import academy_round, application

from jiangxin.platform.core.formats import chinese_date
from jiangxin.platform.documents import services
from jiangxin.platform.documents.models import DocumentTemplate
from jiangxin.platform.publicity import services as publicity

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = pytest.mark.django_db

FULL_ID = "360102198001010026"


def _text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(dt.date(2026, 11, 23)) == "2026年11月23日"
    assert chinese_date(dt.date(2026, 1, 5)) == "2026年1月5日"


def test_ranking_sheet_has_header_rows_widths_frozen_header_and_print_titles(world: Any) -> None:
    rnd = world.rounds["studio"]
    rows = [{"rank": 1, "name": "甲工作室", "unit": "东湖精工有限公司", "score": Decimal("91.50")},
            {"rank": 2, "name": "乙工作室", "unit": "西湖机电有限公司", "score": Decimal("88.00"), "note": "并列"}]
    wb = openpyxl.load_workbook(io.BytesIO(services.ranking_xlsx(rnd, rows, on=dt.date(2026, 11, 23))))
    ws = wb.active
    assert ws["A1"].value == f"{rnd.title}评审排名表"
    assert "2026年11月23日" in ws["A2"].value and "南昌市总工会" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["名次", "名称/姓名", "所在单位", "得分", "备注"]
    assert [c.value for c in ws[4]][:4] == [1, "甲工作室", "东湖精工有限公司", 91.5]
    assert ws["E5"].value == "并列"
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.column_dimensions["C"].width == 36


def test_naming_list_masks_id_numbers(world: Any) -> None:
    rnd = world.rounds["ganzhou"]
    named = [{"name": "李工匠", "unit": "赣州某厂", "title": "赣州工匠", "id_number": FULL_ID},
             {"name": "王工匠", "unit": f"备注里写了号码{FULL_ID}", "title": "赣州工匠"}]
    ws = openpyxl.load_workbook(io.BytesIO(services.naming_list_xlsx(rnd, named))).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(FULL_ID in v for v in values)
    assert "360102********0026" in values
    assert [c.value for c in ws[4]][:2] == [1, "李工匠"]


def test_publicity_notice_docx_rows_masked_ids_date_and_gbt9704_page(world: Any) -> None:
    rnd = world.rounds["ganzhou"]
    person = world.users["indiv_1"].person
    app = application(world, rnd, title="李工匠申报", org="zhanggong", user="indiv_1", person=person)
    notice = publicity.open_notice(rnd, [app], start=dt.date(2026, 9, 29), today=dt.date(2026, 9, 29),
                                   actor=world.users["office_gz"], title="2026年赣州工匠拟入选名单公示")
    document = docx.Document(io.BytesIO(services.publicity_notice_docx(notice)))
    text = _text(document)
    assert "2026年赣州工匠拟入选名单公示" in text
    assert "李工匠" in text and "章贡区人力资源和社会保障局" in text
    assert person.reveal_id_number() not in text and person.id_mask in text
    assert "2026年9月30日至2026年10月12日" in text and "按法定工作日计算" in text
    assert "2026年9月29日" in text  # the issuing date, bottom right
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "名称/姓名", "所在单位", "公民身份号码"]
    assert table.rows[1].cells[3].text == person.id_mask
    assert table.rows[1].cells[1].text == "李工匠"
    section = document.sections[0]
    # stored in twips, so compare in millimetres to a tenth
    measured = [round(x.mm, 1) for x in (section.page_width, section.page_height, section.top_margin,
                                         section.bottom_margin, section.left_margin, section.right_margin)]
    assert measured == [210.0, 297.0, 37.0, 35.0, 28.0, 26.0]
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.font.name == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    title = next(p for p in document.paragraphs if p.text == notice.title)
    assert title.runs[0].font.size == Pt(22) and title.runs[0].font.name == "方正小标宋简体"
    date_para = next(p for p in document.paragraphs if p.text == "2026年9月29日")
    assert date_para.alignment == 2  # right
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml and " —" in footer_xml


def test_naming_decision_and_certificate(world: Any) -> None:
    academy = academy_round(world)
    app = application(world, academy, title="东湖精工工匠学院")
    named = [{"name": "东湖精工工匠学院", "unit": "东湖精工有限公司"}]
    decision = docx.Document(io.BytesIO(services.naming_decision_docx(academy, named, on=dt.date(2026, 11, 23))))
    text = _text(decision)
    assert "关于工匠学院评定批次命名的决定" in text and "2026年11月23日" in text
    assert decision.tables[0].rows[1].cells[1].text == "东湖精工工匠学院"
    certificate = docx.Document(io.BytesIO(services.certificate_docx(app, on=dt.date(2026, 12, 1))))
    text = _text(certificate)
    assert "东湖精工工匠学院" in text and "2026年12月1日" in text and "{{" not in text


def _docx_template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_template_checks_magic_bytes_and_placeholders(world: Any) -> None:
    with pytest.raises(services.DocumentError, match="DOCX"):
        services.check_template("publicity_notice", b"%PDF-1.7 not a docx")
    with pytest.raises(services.DocumentError, match="DOCX"):
        services.check_template("publicity_notice", services.default_template("ranking_sheet"))
    with pytest.raises(services.DocumentError, match="无法识别的占位符"):
        services.check_template("publicity_notice", _docx_template("{{title}}", "{{rows}}", "{{salary}}"))
    with pytest.raises(services.DocumentError, match=r"缺少必需的占位符：\{\{rows\}\}"):
        services.check_template("publicity_notice", _docx_template("{{title}}"))
    assert services.check_template("publicity_notice", _docx_template("{{title}}", "{{rows}}")) == ["rows", "title"]


def test_office_template_is_used_for_its_rounds_and_can_be_reset(world: Any) -> None:
    rnd = world.rounds["studio"]
    office = world.users["office_nc"]
    services.upload_template(kind="naming_decision", organisation=office.organisation,
                             content=_docx_template("南昌市总工会文件", "{{title}}", "{{rows}}", "落款：{{issuer}} {{date}}"),
                             original_name="决定.docx", actor=office)
    out = docx.Document(io.BytesIO(services.naming_decision_docx(rnd, [{"name": "甲", "unit": "乙"}],
                                                                  on=dt.date(2026, 11, 23))))
    text = _text(out)
    assert "南昌市总工会文件" in text and "落款：南昌市总工会 2026年11月23日" in text
    assert out.tables[0].rows[1].cells[1].text == "甲"
    # another jurisdiction still gets the default
    gz = docx.Document(io.BytesIO(services.naming_decision_docx(world.rounds["ganzhou"], [])))
    assert "南昌市总工会文件" not in _text(gz)
    services.reset_template(kind="naming_decision", organisation=office.organisation, actor=office)
    assert "南昌市总工会文件" not in _text(docx.Document(io.BytesIO(services.naming_decision_docx(rnd, []))))


def test_template_pages_upload_replace_and_refuse(world: Any) -> None:
    office = world.client("office_nc")
    page = office.get("/documents/")
    assert page.status_code == 200 and "{{rows}}" in page.content.decode()
    default = office.get("/documents/templates/ranking_sheet/default/")
    assert default.status_code == 200 and default.content[:2] == b"PK"
    good = SimpleUploadedFile("rank.xlsx", services.default_template("ranking_sheet"))
    office.post("/documents/templates/upload/", {"kind": "ranking_sheet", "file": good})
    office.post("/documents/templates/upload/", {"kind": "ranking_sheet",
                                                 "file": SimpleUploadedFile("r2.xlsx",
                                                                            services.default_template("ranking_sheet"))})
    rows = DocumentTemplate.objects.filter(kind="ranking_sheet")
    assert rows.count() == 2 and rows.filter(active=True).count() == 1
    bad = office.post("/documents/templates/upload/", {"kind": "ranking_sheet",
                                                       "file": SimpleUploadedFile("fake.xlsx", b"not a zip at all")},
                      follow=True)
    assert "XLSX" in bad.content.decode()
    assert DocumentTemplate.objects.count() == 2
    for name in ("unit_a", "district_donghu", "expert"):
        assert world.client(name).get("/documents/").status_code == 403


def test_download_pages_per_role(world: Any) -> None:
    rnd = world.rounds["studio"]
    office = world.client("office_nc")
    for url in (f"/documents/rounds/{rnd.pk}/ranking.xlsx", f"/documents/rounds/{rnd.pk}/naming-list.xlsx"):
        response = office.get(url)
        assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
        openpyxl.load_workbook(io.BytesIO(response.content))
    response = office.get(f"/documents/rounds/{rnd.pk}/naming-decision.docx")
    assert response.status_code == 200
    docx.Document(io.BytesIO(response.content))
    assert world.client("office_gz").get(f"/documents/rounds/{rnd.pk}/ranking.xlsx").status_code == 404
    assert world.client("unit_a").get(f"/documents/rounds/{rnd.pk}/ranking.xlsx").status_code == 403
