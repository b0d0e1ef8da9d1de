"""九江市工匠学院 (the fictional test program of ``tests/programs/jiujiang_academy``) from round to annual
assessment, through the pages as each role sees them.

Everything goes through the pages with a logged-in user of the acting role, except: the programs are loaded with
the ``load_programs`` command (what a deployment runs at start), the organisations and users are made with the
product's models (an administrator would make them on the organisation and user pages), and the calendar is moved
on with ``timezone.localdate`` (a publicity notice cannot be backdated, and the annual assessment is a
fourth-quarter affair of the next year). The yearly run is posted on the ledger page; the test settings run its
background job at once. Every figure and article checked is the test program's own: the 75-point mark, 10 days of
publicity counting the first, 900,000 yuan in 5:3:2, the JJGJXY certificate prefix, 附件一/附件二 and 第五、九、
十二、十四条 of the fictional 《九江工匠学院办法》."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.assessments.models import Assessment
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.designations.models import Designation
from jiangxin.platform.ledger.models import LedgerEntry
from jiangxin.platform.orgs.models import Category, Level, Organisation
from jiangxin.platform.panels.models import Panel, ScoreSheet
from jiangxin.platform.people.models import Ban
from jiangxin.platform.publicity.models import Notice
from jiangxin.platform.review.models import Case
from jiangxin.platform.rounds.models import Program, Round

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42"
DOC = "九江工匠学院办法"


def org(name: str, level: str, category: str, parent: Organisation | None = None) -> Organisation:
    o = Organisation(name=name, level=level, category=category, jurisdiction="jiujiang", parent=parent)
    o.full_clean(exclude=["path"])  # the model accepts the city the program declares
    o.save()
    return o


def person(username: str, role: str, organisation: Organisation | None) -> User:
    u = User(username=username, role=role, organisation=organisation, must_change_password=False,
             display_name=username)
    u.set_password(PASSWORD)
    u.save()
    return u


def client(u: User) -> Client:
    c = Client()
    c.force_login(u)
    return c


def ok(response: Any) -> str:
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        return ""
    return str(response.content.decode())


def test_jiujiang_academy_round_to_naming_to_money_to_annual_assessment(monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2026, 6, 1)  # a fixed calendar: naming falls well before the 20 December deadline
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    call_command("load_programs", verbosity=0)
    program = Program.objects.get(key="jiujiang_academy")
    assert (program.jurisdiction, program.document) == ("jiujiang", "jiujiang_academy")
    city = org("九江市总工会", Level.AUTHORITY, Category.UNION)
    lianxi = org("濂溪区总工会", Level.DISTRICT, Category.UNION, city)
    unit_org = org("九江精工有限公司", Level.MEMBER, Category.ENTERPRISE, lianxi)
    college = org("九江职业技术学院", Level.MEMBER, Category.COLLEGE, city)
    office = client(person("jj_office", Role.OFFICE, city))
    district = client(person("jj_district", Role.DISTRICT, lianxi))
    unit_user = person("jj_unit", Role.UNIT, unit_org)
    unit = client(unit_user)
    experts = [person(f"jj_expert{i}", Role.EXPERT, college) for i in range(3)]

    # 1. the office opens a round of its own program
    ok(office.post(f"/rounds/new/{program.key}/", {
        "year": today.year, "title": f"{today.year}年九江市工匠学院命名", "opens": today - dt.timedelta(days=10),
        "closes": today + dt.timedelta(days=20), "notice_reference": "九工发〔示例〕1号"}))
    rnd = Round.objects.get(program=program)
    ok(office.post(f"/rounds/{rnd.pk}/open/", {}))
    rnd.refresh_from_db()
    assert rnd.status == "open", rnd.status

    # 2. the unit applies and submits
    ok(unit.post(f"/applications/new/{rnd.pk}/"))
    app = Application.objects.get(round=rnd)
    page = ok(unit.get(f"/applications/{app.pk}/edit/"))
    assert "命名评分材料（附件一）" in page  # the program's own evidence conditions
    ok(unit.post(f"/applications/{app.pk}/edit/", {
        "applicant_type": "enterprise", "d-academy_name": "九江精工工匠学院", "d-introduction": "实训基地与师资概况",
        "_save": "1"}))
    ok(unit.post(f"/applications/{app.pk}/evidence/", {
        "condition": "annex_one", "description": "评分材料",
        "file": SimpleUploadedFile("评分材料.pdf", demo_pdf("jiujiang") + b" " * 200, content_type="application/pdf")}))
    page = ok(unit.get(f"/applications/{app.pk}/submit/"))
    assert f"{DOC} 第五条" in page, page
    ok(unit.post(f"/applications/{app.pk}/submit/", {"confirm": "yes"}))
    app.refresh_from_db()
    assert app.status == "submitted", app.status
    case = Case.objects.get(application=app)
    assert case.stage == "district_check"

    # 3. the district union checks the facts (第九条（一）)
    page = ok(district.get("/review/"))
    assert "九江精工工匠学院" in page or "九江精工有限公司" in page
    ok(district.post(f"/review/cases/{case.pk}/eligibility/", {
        "applicant_type": "enterprise", "serious_violation": "false", "previously_revoked": "false", "note": "已核实"}))
    case.refresh_from_db()
    assert case.stage == "panel_review", case.stage
    page = ok(district.get(f"/review/cases/{case.pk}/"))
    assert f"{DOC} 第九条（一）" in page and f"{DOC} 第五条" in page

    # 4. the panel scores with the program's own 附件一 (第九条（二）): three experts, each a sheet of its items
    ok(office.post("/panels/new/", {"round": rnd.pk, "stage_key": "panel_review", "title": "命名评审专家组",
                                    "rubric_key": "", "aggregation": "mean", "trim_count": 1, "trim_min_experts": 5}))
    panel = Panel.objects.get(round=rnd)
    assert panel.rubric_key == "jiujiang_academy.naming"
    ok(office.post(f"/panels/{panel.pk}/experts/", {"experts": [e.pk for e in experts]}))
    ok(office.post(f"/panels/{panel.pk}/assign/", {"applications": [app.pk]}))
    for expert, training in zip(experts, ("36", "38", "40"), strict=True):
        c = client(expert)
        sheet = ScoreSheet.objects.get(member__panel=panel, member__expert=expert, application=app)
        ok(c.post(f"/panels/sheets/{sheet.pk}/declare/", {"conflict": "no"}))
        page = ok(c.get(f"/panels/sheets/{sheet.pk}/"))
        assert "场地与设备" in page and "示范带动" in page and "满分 40 分" in page
        # 固定培训场地 + 实训设备齐全 (16), one 省级工匠 and one 市级工匠 (12), training, 对外开放培训 (10)
        ok(c.post(f"/panels/sheets/{sheet.pk}/", {
            "i__premises__0": "1", "i__premises__1": "1", "i__teachers__0": "1", "i__teachers__1": "1",
            "i__training": training, "i__outreach__0": "1", "action": "submit"}))
        ok(c.post(f"/panels/sheets/{sheet.pk}/sign/", {"confirm": "1"}))
        sheet.refresh_from_db()
        assert sheet.status == "signed" and sheet.total == Decimal(38 + int(training)), (sheet.status, sheet.total)
    ok(office.post(f"/review/cases/{case.pk}/panel/", {"note": "专家组均分"}))
    case.refresh_from_db()
    # mean 76: above this program's mark of 75 (Nanchang's 80 would have failed it)
    assert case.stage == "publicity" and case.score == Decimal("76"), (case.stage, case.score)
    step = case.steps.filter(action="panel_result").get()
    assert f"{DOC} 附件一说明" in " ".join(step.citations) or any(
        f"{DOC} 附件一说明" in str(t) for t in step.outcome.get("trace", [])), step.citations
    assert step.citations == [f"{DOC} 第九条（二）"]
    assert [t["citation"]["label"] for t in step.outcome["trace"]] == [f"{DOC} 附件一说明", f"{DOC} 第九条（二）"]
    assert step.outcome["panel"]["rubric"] == "jiujiang_academy.naming"

    # 5. publicity of 10 days counting the first (第九条（三）); a notice cannot be backdated, so the clock moves
    # on 11 days before the office closes it and the case moves on to naming
    start = today
    ok(office.post(f"/review/rounds/{rnd.pk}/do/publicity-open/", {
        "start": start.isoformat(), "title": "九江市工匠学院拟命名名单公示", "reference": "九工公〔示例〕1号"}))
    notice = Notice.objects.get(round=rnd)
    assert (notice.window_start, notice.window_end) == (start, start + dt.timedelta(days=9))
    later = start + dt.timedelta(days=11)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    ok(office.post(f"/review/rounds/{rnd.pk}/do/publicity-close/", {}))
    case.refresh_from_db()
    assert case.stage == "naming", case.stage

    # 6. naming (第九条（四）): a designation with the program's own certificate prefix
    named_on = later
    ok(office.post(f"/review/cases/{case.pk}/name/", {"on": named_on.isoformat(), "note": "发文命名"}))
    case.refresh_from_db()
    assert (case.stage, case.state) == ("named", "done"), (case.stage, case.state)
    designation = Designation.objects.get(program="jiujiang_academy")
    assert designation.holder_org == unit_org and designation.certificate_no.startswith("JJGJXY"), designation
    named = case.steps.last()
    assert named.citations == [f"{DOC} 第九条（四）"] and named.outcome["value"]["meets_deadline"] is True
    page = ok(office.get(f"/designations/{designation.pk}/"))
    assert designation.certificate_no in page

    # 7. the yearly run of the naming year pays the first tranche: 5/10 of 900,000 (第十二条)
    ok(office.post("/ledger/", {"run-program": program.key, "run-year": str(rnd.year), "commit": "1"}))
    paid = LedgerEntry.objects.get(designation=designation, kind="tranche")
    assert (paid.year, paid.amount, paid.citation) == (rnd.year, Decimal("450000.00"), f"{DOC} 第十二条"), paid
    assert "450,000" in ok(unit.get("/ledger/mine/")) or "450000" in ok(unit.get("/ledger/mine/"))

    # 8. the next year's annual assessment (第十四条) with the program's own 附件二, in the fourth quarter
    year = rnd.year + 1
    autumn = dt.date(year, 11, 2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: autumn)
    ok(office.post("/assessments/rounds/new/", {"program": program.pk, "year": year, "opens": autumn.isoformat(),
                                                "self_report_due": dt.date(year, 12, 1).isoformat(),
                                                "reference": "九工考〔示例〕1号"}))
    assessment = Assessment.objects.get(designation=designation, round__year=year)
    ok(unit.post(f"/assessments/{assessment.pk}/submit/", {
        "self_report": "年度自评", "summary": "年度总结",
        "self_report_file": SimpleUploadedFile("自评.pdf", demo_pdf("jj") + b" " * 200,
                                               content_type="application/pdf")}))
    page = ok(office.get(f"/assessments/{assessment.pk}/"))
    assert 'data-item="plan_done"' in page and 'data-item="effect"' in page
    # 计划按期完成 (20) + 资金规范使用 (10), 4 培训班 (20), 培训成效 30 → 80: 合格 (70) but not 优秀 (88)
    ok(office.post(f"/assessments/{assessment.pk}/score/", {
        "i__plan_done__0": "1", "i__plan_done__1": "1", "i__sessions__0": "4", "i__effect": "30"}))
    assessment.refresh_from_db()
    assert (assessment.total, assessment.grade) == (Decimal("80"), "合格"), (assessment.total, assessment.grade)
    assert assessment.outcome["computation"] == "jiujiang_academy/annual_score"
    labels = [t["citation"]["label"] for t in assessment.outcome["trace"]]
    assert labels[0] == f"{DOC} 第十四条" and f"{DOC} 附件二说明" in labels
    assert f"{DOC} 附件二" in " ".join(labels)
    ok(office.post(f"/assessments/rounds/{assessment.round_id}/publish/"))
    assessment.refresh_from_db()
    assert assessment.status == "published"

    # 9. with the year passed, that year's run pays the second tranche: 3/10 (第十二条)
    ok(office.post("/ledger/", {"run-program": program.key, "run-year": str(year), "commit": "1"}))
    second = LedgerEntry.objects.get(designation=designation, kind="tranche", year=year)
    assert (second.amount, second.citation) == (Decimal("270000.00"), f"{DOC} 第十二条")

    # 10. fraud found later (第十七条): revocation through the sanctions form, with the program's own ban
    designation.refresh_from_db()
    page = ok(office.get(f"/designations/{designation.pk}/"))
    assert f">{DOC} 第十七条</cite>" in page  # the fraud ground is offered with the program's own article
    response = office.post(f"/designations/{designation.pk}/status/", {
        "expect": designation.status, "ground": "revoke_fraud", "finding": "虚报培训人数",
        "decision_reference": "九工发〔示例〕9号", "occurred_on": autumn.isoformat(), "on": autumn.isoformat()})
    assert response.status_code == 302, response.content.decode()[-3000:]
    designation.refresh_from_db()
    assert (designation.status, designation.status_citation) == ("revoked", f"{DOC} 第十七条")
    clawback = LedgerEntry.objects.get(designation=designation, kind="clawback")
    assert (clawback.amount, clawback.citation) == (Decimal("-720000.00"), f"{DOC} 第十七条")
    ban = Ban.objects.get(organisation=unit_org)
    assert (ban.program, ban.citation_label, ban.end) == ("jiujiang_academy", f"{DOC} 第十七条", None)

    # 11. the staff and public pages that list every program show this one too, under its own city
    for url in ("/", "/dashboards/", "/designations/", "/rounds/", f"/review/rounds/{rnd.pk}/", "/ledger/",
                "/assessments/"):
        assert office.get(url).status_code == 200, url
    assert "九江精工有限公司" in ok(Client().get("/public/directory/"))
    orgs_page = ok(office.get("/orgs/?jurisdiction=jiujiang"))
    # in English the program's own labels.yaml names it and its stages
    english = client(User.objects.get(username="jj_office"))
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = ok(english.get(f"/review/rounds/{rnd.pk}/"))
    assert "Jiujiang craftsman academy" in page and "Panel review (Annex I)" in page
    # the city comes from the program's platform.yaml (jurisdiction_title), not from the platform's list
    assert '<option value="jiujiang" selected>九江市</option>' in orgs_page and "九江精工有限公司" in orgs_page
