"""English pages: a task title names its subject (a round, an application) as data after an English colon; the
academy page counts honours in English; Jiangsu spending-line reasons, the claim's evidence note, a mentor without
职称 and interpretation titles that cite the documents read right in English — and the Chinese pages keep their
wording.

Found by an English crawl of the demo: 'Open for you:2026年…申报', 'Applications to complete:…',
'洪城工匠或洪城技师：1persons;…', '用餐补贴仅限培育对象本人', the unmarked evidence note, '(镇江 附件2 第11项)' in an
interpretation's title and '（None，Senior technician）' on the training file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import crawl
import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from jiangxin.platform.core.templatetags import labels
from jiangxin.platform.core.ui import TaskItem

pytestmark = pytest.mark.django_db


# --- task titles and their subject -----------------------------------------------------------------------------


def test_a_task_subject_is_data_after_a_translated_colon() -> None:
    with translation.override("en"):
        task = TaskItem(translation.gettext("可申报"), "/rounds/1/", 1, subject="2026年赣州工匠申报")
        html = render_to_string("core/my_tasks.html", {"tasks": [task]})
    assert 'Open for you: <span class="data">2026年赣州工匠申报</span>' in html
    assert "Open for you:2026" not in html and not crawl.chinese_outside_data(html)
    with translation.override("zh-hans"):
        task = TaskItem(translation.gettext("可申报"), "/rounds/1/", 1, subject="2026年赣州工匠申报")
        zh = render_to_string("core/my_tasks.html", {"tasks": [task]})
    assert '可申报：<span class="data">2026年赣州工匠申报</span>' in zh


def test_applicant_tasks_name_the_open_round_and_the_draft_as_data(client_for: Any) -> None:
    from review_helpers import submit, world

    from jiangxin.platform.applications.models import Application, Status
    from jiangxin.platform.rounds.models import RoundStatus

    w = world("ganzhou_craftsman", year=dt.date.today().year)
    w.round.status, w.round.closes = RoundStatus.OPEN, dt.date.today() + dt.timedelta(days=30)
    w.round.save()
    app = submit(w, "我的工匠申报")
    Application.objects.filter(pk=app.pk).update(status=Status.DRAFT)
    client = client_for(w.applicants[0])
    html = crawl.in_language(client, "en").get("/").content.decode()
    assert 'Application to complete: <span class="data">我的工匠申报</span>' in html
    assert f'Open for you: <span class="data">{w.round.title}</span>' in html
    assert "待完成的申报" not in html and "可申报" not in html
    assert not crawl.chinese_outside_data(html), crawl.chinese_outside_data(html)
    zh = crawl.in_language(client, "zh-hans").get("/").content.decode()
    assert '待完成的申报：<span class="data">我的工匠申报</span>' in zh and "可申报：" in zh


# --- the academy page ------------------------------------------------------------------------------------------


def test_academy_page_counts_honours_in_english(users: dict[str, Any], client_for: Any, settings: Any,
                                                 tmp_path: Any) -> None:
    from jiangxin.platform.academy import services
    from jiangxin.platform.academy.models import Teacher, TeacherStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    for name, honours in (("甲师傅", ["洪城工匠"]), ("乙师傅", ["洪城技师"]), ("丙师傅", ["全国技术能手"])):
        services.submit_teacher(users["unit"], {"name": name, "employer": "东湖精工有限公司", "majors": "焊工",
                                                "honours": honours, "title": "", "other_honours": "",
                                                "id_number": ""})
    Teacher.objects.update(status=TeacherStatus.APPROVED)
    client = client_for(users["unit"])
    url = f"/academy/org/{users['unit'].organisation_id}/"
    html = crawl.in_language(client, "en").get(url).content.decode()
    assert "National technical expert: 1 person; Hongcheng craftsman or technician: 2 people" in html
    assert "persons;" not in html and "洪城工匠或洪城技师" not in html
    zh = crawl.in_language(client, "zh-hans").get(url).content.decode()
    assert "全国技术能手：1人；洪城工匠或洪城技师：2人" in zh


# --- Jiangsu spending lines ------------------------------------------------------------------------------------


def test_rejected_spending_lines_give_their_reason_in_english(client_for: Any) -> None:
    from cultivation_helpers import make_year

    from jiangxin.platform.cultivation import services_results as s

    y = make_year(1, 0)
    day = dt.date(y.year.year, 5, 1)
    s.record_expense(y.unit_user, y.year, y.unit, category="teaching", amount=Decimal("9000"), spent_on=day,
                     description="授课")
    s.record_expense(y.unit_user, y.year, y.unit, category="meals", amount=Decimal("300"), spent_on=day,
                     description="餐费", at_unit_canteen=True, trainee_only=False)
    client = client_for(y.office)
    url = f"/cultivation/results/expenses/?unit={y.unit.pk}"
    html = crawl.in_language(client, "en").get(url).content.decode()
    assert "Meal allowances only for the trainee in person" in html
    assert "用餐补贴仅限培育对象本人" not in html
    zh = crawl.in_language(client, "zh-hans").get(url).content.decode()
    assert "用餐补贴仅限培育对象本人" in zh and "Meal allowances" not in zh


def test_a_reason_without_a_sentence_falls_back_to_the_rule_label() -> None:
    from jiangxin.platform.cultivation.selectors.results import line_reason, rejected_lines

    with translation.override("en"):
        assert line_reason({"rule": "meal_at_unit_canteen", "reason": "用餐补贴仅限承训单位食堂"}) == \
            "Meal allowances only for meals at the training unit's canteen"
        assert line_reason({"rule": "online_theory_only_for_remote_trainees", "reason": "中文"}) == \
            "Online theory only for remote trainees"
    assert rejected_lines(None) == []


# --- the claim's evidence note ---------------------------------------------------------------------------------


def test_claim_detail_marks_the_evidence_note_as_data(users: dict[str, Any], org_tree: dict[str, Any],
                                                      client_for: Any, monkeypatch: Any, settings: Any,
                                                      tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from jiangxin.platform.demo.data import demo_pdf
    from jiangxin.platform.designations import services as desig
    from jiangxin.platform.ledger import run_compute
    from jiangxin.platform.ledger import tasks as ledger_tasks
    from jiangxin.platform.ledger.models import SubsidyClaim

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(run_compute, "_results", lambda program, year: {})
    d = desig.designate(program="nanchang_academy", name="东湖工匠学院", on=dt.date(2024, 6, 1),
                        actor=users["office"], holder_org=org_tree["unit_a"])
    unit = client_for(users["unit"])
    unit.post(f"/ledger/claims/new/{d.pk}/contest_subsidy/", {
        "hosted__0__key": "市级洪工杯", "hosted__0__value": "2", "meta-year": str(timezone.localdate().year),
        "meta-evidence": SimpleUploadedFile("通知.pdf", demo_pdf("t"), content_type="application/pdf"),
        "meta-evidence_note": "承办通知与赛事总结（演示）", "_submit": "1"})
    claim = SubsidyClaim.objects.get()
    html = crawl.in_language(unit, "en").get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert '<span class="data" id="evidence-note">承办通知与赛事总结（演示）</span>' in html
    assert not any("承办通知" in p for p in crawl.chinese_outside_data(html))
    zh = crawl.in_language(unit, "zh-hans").get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert "承办通知与赛事总结（演示）" in zh
    with translation.override("en"):  # the office's task is grouped under a translated kind, not the code 'ledger'
        [task] = ledger_tasks.tasks_for(users["office"])
        assert (task.title, str(task.kind)) == ("Subsidy claims to review", "Funds ledger")


# --- interpretations -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "cited"), [
    ("the three deductions of the training item (镇江 附件2 第11项)", "镇江 附件2 第11项"),
    ("the 3-year consequences of 第二十一条", "第二十一条"),
    ("x (第七条（四）)", "第七条（四）")])
def test_chinese_terms_in_an_english_title_are_cited(text: str, cited: str) -> None:
    html = str(labels.cite_terms(text))
    assert f'<cite class="citation" lang="zh-Hans">{cited}</cite>' in html
    assert not crawl.chinese_outside_data(f"<p>{html}</p>")


def test_a_chinese_title_is_not_cited() -> None:
    assert str(labels.cite_terms("在赣州工作或居住")) == "在赣州工作或居住"
    assert str(labels.cite_terms("a <b> 第一条")) == 'a &lt;b&gt; <cite class="citation" lang="zh-Hans">第一条</cite>'


@pytest.mark.parametrize("code", ["I-RUB-02", "I-JS-07"])
def test_interpretation_page_cites_the_documents_in_its_english_title(code: str, users: dict[str, Any],
                                                                     client_for: Any) -> None:
    client = client_for(users["office"])
    html = crawl.in_language(client, "en").get(f"/interpretations/{code}/").content.decode()
    assert '<cite class="citation" lang="zh-Hans">' in html
    assert not crawl.chinese_outside_data(html), crawl.chinese_outside_data(html)
    zh = crawl.in_language(client, "zh-hans").get(f"/interpretations/{code}/").content.decode()
    assert "解释口径" in zh


# --- the mentor's qualification --------------------------------------------------------------------------------


def test_training_file_shows_a_missing_title_as_the_empty_marker(settings: Any, tmp_path: Any) -> None:
    from cultivation_helpers import make_year

    from jiangxin.platform.cultivation.models import Enrolment, Mentor, Title

    settings.MEDIA_ROOT = tmp_path / "media"
    y = make_year(n_a=1, n_b=0)
    e = y.enrolments_a[0]
    mentor = Mentor.objects.create(training_unit=y.unit, name="钱师傅", title=Title.NONE, skill_level="高级技师")
    Enrolment.objects.filter(pk=e.pk).update(mentor=mentor)
    client = Client()
    client.force_login(y.unit_user)
    html = crawl.in_language(client, "en").get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert '<span id="mentor-qualification"> (—, Senior technician)</span>' in html and "None" not in html
    zh = crawl.in_language(client, "zh-hans").get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert '<span id="mentor-qualification">（—，高级技师）</span>' in zh and "（无，" not in zh
    mentor.title = Title.ASSOCIATE_SENIOR
    mentor.save()
    zh = crawl.in_language(client, "zh-hans").get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert "（副高级，高级技师）" in zh
