"""Panel pages per role, including what each role must NOT see."""

from __future__ import annotations

import re
from decimal import Decimal

import fixtures_panels
import pytest
from django.http import HttpResponse
from fixtures_panels import PanelWorld

from jiangxin.platform.panels import services
from jiangxin.platform.panels.models import ConflictDeclaration, Panel, ScoreSheet, SheetStatus

pytestmark = pytest.mark.django_db
pw = fixtures_panels.pw


def test_office_creates_a_panel_adds_experts_and_assigns_applications(pw: PanelWorld) -> None:
    assert pw.round is not None
    office = pw.client("office")
    assert office.get("/panels/new/").status_code == 200
    response = office.post("/panels/new/", {"round": pw.round.pk, "stage_key": "central_review", "title": "现场评审",
                                            "rubric_key": "", "aggregation": "trimmed_mean", "trim_count": 1,
                                            "trim_min_experts": 5})
    panel = Panel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/panels/{panel.pk}/"
    assert panel.rubric_key == "nanchang_academy.naming" and panel.aggregation == "trimmed_mean"
    office.post(f"/panels/{panel.pk}/experts/", {"experts": [pw.users["e1"].pk, pw.users["e_same"].pk]})
    office.post(f"/panels/{panel.pk}/assign/", {"applications": [pw.apps["a"].pk]})
    page = office.get(f"/panels/{panel.pk}/").content.decode()
    assert "专家1" in page and "同单位专家" in page and "已回避" in page and "替换" in page
    assert office.get("/panels/").status_code == 200


def test_office_cannot_pick_a_rubric_of_another_program(pw: PanelWorld) -> None:
    assert pw.round is not None
    response = pw.client("office").post("/panels/new/", {
        "round": pw.round.pk, "stage_key": "central_review", "title": "t", "rubric_key": "nanchang_studio.assessment",
        "aggregation": "mean", "trim_count": 1, "trim_min_experts": 5})
    assert response.status_code == 200 and "不能使用所选评分表" in response.content.decode()
    assert not Panel.objects.exists()


def test_an_office_rubric_can_be_loaded_as_yaml_and_bad_yaml_is_explained(pw: PanelWorld) -> None:
    assert pw.round is not None
    base = {"round": pw.round.pk, "stage_key": "central_review", "title": "t", "rubric_key": "office", "aggregation": "mean",
            "trim_count": 1, "trim_min_experts": 5}
    bad = pw.client("office").post("/panels/new/", {**base, "rubric_yaml": "key: x\n"})
    assert bad.status_code == 200 and "评分表无法使用" in bad.content.decode()
    yaml_text = ("key: office.test\ntitle: 测试评分表\ndocument: nanchang_academy\ncite: {article: 附件1}\n"
                 "official: false\nnotice: 主管部门试用表\ntotal_points: 10\n"
                 "sections: [{key: a, title: 甲, points: 10}]\n"
                 "items: [{key: x, section: a, title: 项一, points: 10, kind: manual, cite: {article: 附件1}}]\n")
    ok = pw.client("office").post("/panels/new/", {**base, "rubric_yaml": yaml_text})
    assert ok.status_code == 302
    assert services.panel_rubric(Panel.objects.get()).key == "office.test"


@pytest.mark.parametrize("who", ["district", "unit", "e1", "finance"])
def test_panel_management_is_office_only(pw: PanelWorld, who: str) -> None:
    panel = pw.panel()
    sheet = pw.sheet(panel, "e1")
    client = pw.client(who)
    assert client.get("/panels/").status_code == 403
    assert client.get("/panels/new/").status_code == 403
    assert client.get(f"/panels/{panel.pk}/").status_code == 403
    assert client.post(f"/panels/{panel.pk}/experts/", {"experts": [pw.users["e4"].pk]}).status_code == 403
    assert client.post(f"/panels/{panel.pk}/assign/", {"applications": [pw.apps["b"].pk]}).status_code == 403
    assert client.post(f"/panels/sheets/{sheet.pk}/reopen/", {"reason": "x"}).status_code == 403
    assert panel.members.count() == 3 and panel.assignments.count() == 1


def test_office_of_another_authority_sees_no_panel(pw: PanelWorld) -> None:
    panel = pw.panel()
    client = pw.client("office_gz")
    assert client.get(f"/panels/{panel.pk}/").status_code == 404
    assert "现场评审专家组" not in client.get("/panels/").content.decode()


def test_expert_declares_then_scores_with_a_live_total_then_submits_and_signs(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.sheet(panel, "e1")
    client = pw.client("e1")
    mine = client.get("/panels/mine/").content.decode()
    assert "东湖精工有限公司工匠学院" in mine
    response = client.get(f"/panels/sheets/{sheet.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/panels/sheets/{sheet.pk}/declare/"
    assert client.post(f"/panels/sheets/{sheet.pk}/declare/", {"conflict": "no"}).status_code == 302
    page = client.get(f"/panels/sheets/{sheet.pk}/").content.decode()
    assert 'name="i__overall"' in page and "非政策评分表" in page and "满分 100 分" in page
    live = client.post(f"/panels/sheets/{sheet.pk}/preview/", {"i__overall": "87.5"}).content.decode()
    assert 'id="live-total-value" class="num">87.5<' in live
    assert "未填写" in client.post(f"/panels/sheets/{sheet.pk}/preview/", {"i__overall": ""}).content.decode()
    response = client.post(f"/panels/sheets/{sheet.pk}/", {"i__overall": "87.5", "note__overall": "基础扎实",
                                                           "action": "submit"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total == Decimal("87.5")
    assert sheet.entries.get().note == "基础扎实"
    client.post(f"/panels/sheets/{sheet.pk}/sign/", {})  # without the confirmation tick: refused
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    client.post(f"/panels/sheets/{sheet.pk}/sign/", {"confirm": "1"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SIGNED


def test_declaring_a_conflict_through_the_page_recuses(pw: PanelWorld) -> None:
    panel = pw.panel()
    sheet = pw.sheet(panel, "e2")
    client = pw.client("e2")
    form = client.post(f"/panels/sheets/{sheet.pk}/declare/", {"conflict": "yes", "reason": ""})
    assert form.status_code == 200 and "请说明利益冲突的情形" in form.content.decode()
    client.post(f"/panels/sheets/{sheet.pk}/declare/", {"conflict": "yes", "reason": "曾在该单位任职"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RECUSED
    assert ConflictDeclaration.objects.get(member=sheet.member).reason == "曾在该单位任职"
    # a recused expert cannot score nor download the evidence
    assert client.post(f"/panels/sheets/{sheet.pk}/", {"i__overall": "1"}).status_code == 403


def _visible_main(response: HttpResponse) -> str:
    """The text a reader sees in <main> (tags and attributes — tokens, ids, hashed names — left out)."""
    page = response.content.decode()
    main = page[page.find("<main"):page.find("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_an_expert_cannot_see_another_experts_sheet_before_submitting_their_own(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    other = pw.score_manual(panel, "e2", "70", sign=False)
    draft_of_third = pw.sheet(panel, "e3")
    mine = pw.sheet(panel, "e1")
    client = pw.client("e1")
    assert client.get(f"/panels/sheets/{other.pk}/").status_code == 404
    assert client.get(f"/panels/sheets/{mine.pk}/others/").status_code in (302, 403)
    assert not re.search(r"(?<![\d.])70(?:\.00)?(?![\d.])", _visible_main(client.get("/panels/mine/")))
    pw.score_manual(panel, "e1", "90", sign=False)
    assert client.get(f"/panels/sheets/{other.pk}/").status_code == 200
    others = client.get(f"/panels/sheets/{mine.pk}/others/").content.decode()
    assert "专家2" in others and "70.00" in others and "尚未提交" in others
    # a sheet still in draft stays hidden
    assert client.get(f"/panels/sheets/{draft_of_third.pk}/").status_code == 404
    # read-only: no form for someone else's sheet, and posting to it is refused
    assert client.post(f"/panels/sheets/{other.pk}/", {"i__overall": "1"}).status_code == 403
    assert client.post(f"/panels/sheets/{other.pk}/sign/", {"confirm": "1"}).status_code == 404


def test_a_non_assigned_expert_sees_nothing(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "80")
    client = pw.client("outsider")
    page = client.get("/panels/mine/").content.decode()
    assert "暂无分配给您的评审任务" in page and "东湖精工" not in page
    for url in (f"/panels/sheets/{sheet.pk}/", f"/panels/sheets/{sheet.pk}/others/",
                f"/panels/sheets/{sheet.pk}/declare/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/panels/sheets/{sheet.pk}/preview/", {"i__overall": "1"}).status_code == 404
    assert services.assigned_applications(pw.users["outsider"]).count() == 0


def test_applicants_and_district_staff_cannot_open_sheets(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "80")
    for who in ("unit", "district", "finance"):
        assert pw.client(who).get(f"/panels/sheets/{sheet.pk}/").status_code == 404
        assert pw.client(who).get("/panels/mine/").status_code == 403


def test_edit_after_sign_off_is_refused(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "80")
    client = pw.client("e1")
    assert client.post(f"/panels/sheets/{sheet.pk}/", {"i__overall": "99", "action": "save"}).status_code == 403
    sheet.refresh_from_db()
    assert sheet.total == Decimal(80) and sheet.status == SheetStatus.SIGNED
    page = client.get(f"/panels/sheets/{sheet.pk}/").content.decode()
    assert 'name="i__overall"' not in page and "已签字确认" in page


def test_office_reopens_a_signed_sheet_with_a_reason(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "80")
    office = pw.client("office")
    assert office.get(f"/panels/sheets/{sheet.pk}/").status_code == 200
    office.post(f"/panels/sheets/{sheet.pk}/reopen/", {"reason": ""})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SIGNED
    office.post(f"/panels/sheets/{sheet.pk}/reopen/", {"reason": "总分与意见不符"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert "总分与意见不符" in pw.client("e1").get(f"/panels/sheets/{sheet.pk}/").content.decode()


def test_office_replaces_a_recused_expert_from_the_panel_page(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e1", "e_same"))
    recused = pw.sheet(panel, "e_same")
    pw.client("office").post(f"/panels/sheets/{recused.pk}/replace/", {"expert": pw.users["e4"].pk})
    assert ScoreSheet.objects.get(member__expert=pw.users["e4"]).status == SheetStatus.DRAFT


def test_the_academy_sheet_renders_every_item_kind_with_its_points(pw: PanelWorld) -> None:
    panel = pw.panel()
    sheet = pw.sheet(panel, "e1")
    client = pw.client("e1")
    client.post(f"/panels/sheets/{sheet.pk}/declare/", {"conflict": "no"})
    page = client.get(f"/panels/sheets/{sheet.pk}/").content.decode()
    assert page.count('class="score-item') == len(services.panel_rubric(panel).items) == 17
    assert 'name="i__venue_sites__0"' in page and "专门办公场所" in page and "满分 6 分" in page
    assert 'name="i__faculty_honours__2"' in page and "每个 5 分" in page
    assert 'name="i__contest_hosting__hosting_capability__occupations"' in page
    assert 'name="i__compliance_violation"' in page
    # nothing entered yet: the scorer already gives 0 (every 附件1 item has a natural blank)
    live = client.post(f"/panels/sheets/{sheet.pk}/preview/", {}).content.decode()
    assert 'id="live-total-value" class="num">0<' in live
    live = client.post(f"/panels/sheets/{sheet.pk}/preview/", {
        "i__venue_sites__0": "1", "i__venue_sites__1": "1", "i__faculty_honours__2": "2",
        "i__compliance_violation": "1"}).content.decode()
    # 2 ticks + 2 全国技术能手 × 5 = 10 capped at 5 → 7, and the veto fires
    assert 'id="live-total-value" class="num">7<' in live and "一票否决" in live
    bad = client.post(f"/panels/sheets/{sheet.pk}/preview/", {"i__faculty_honours__0": "-1"}).content.decode()
    assert "不小于 0 的整数" in bad


def test_expert_tasks_and_nav(pw: PanelWorld) -> None:
    pw.panel(rubric_key="manual")
    page = pw.client("e1").get("/").content.decode()
    assert "待评分的申报" in page and "我的评审任务" in page
    assert "评审专家组" in pw.client("office").get("/").content.decode()
