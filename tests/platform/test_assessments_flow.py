"""Annual assessments (年度考核): opening a round (南昌工匠学院 第二十三条 Q4; 创新工作室 第十四条 year end), reminders,
submission and the late flag, scoring through each program's computation, publication, scope, results_for_year."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.assessments import services
from jiangxin.platform.assessments.models import Assessment, AssessmentStatus
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.designations import services as designations
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.rounds import services as round_services
from jiangxin.platform.rounds.models import Program

PROGRAMS = Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "programs"
PDF = demo_pdf("test")


def example(program: str, name: str) -> dict[str, Any]:
    raw = json.loads((PROGRAMS / program / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    facts = dict(raw.get("facts", raw))
    facts.pop("as_of")
    return facts


def weak_academy_year() -> dict[str, Any]:
    """附件2 example with every checklist unticked and no honours, placings or media: 47.5, 不合格."""
    facts = example("nanchang_academy", "annual_score")
    for key in ("venue_improvement", "implementation", "effectiveness", "staffing", "faculty_pool",
                "training_organisation", "project_organisation", "contest_placings"):
        facts[key] = []
    facts["media"], facts["faculty_honours"] = {}, {}
    return facts


def pdf(name: str = "自评报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclasses.dataclass
class W:
    office: Any
    park_office: Any
    unit_a: Any
    unit_b: Any
    studio_user: Any
    gz_office: Any
    gz_unit: Any
    orgs: dict[str, Organisation]
    programs: dict[str, Program]
    d: dict[str, Any]


@pytest.fixture
def w(org_tree: dict[str, Organisation], make_user: Any, register: Any, settings: Any, tmp_path: Path) -> W:
    settings.MEDIA_ROOT = tmp_path / "media"
    round_services.sync_programs()
    t = org_tree
    park = Organisation.objects.create(name="镇江市技能大师产业创新园管理办公室", level=Level.AUTHORITY,
                                       category=Category.UNION, jurisdiction=Jurisdiction.ZHENJIANG)
    studio = Organisation.objects.create(name="镇江张工技能大师工作室", level=Level.MEMBER,
                                         category=Category.ENTERPRISE, jurisdiction=Jurisdiction.ZHENJIANG,
                                         parent=park)
    office = make_user(Role.OFFICE, t["nanchang"], username="office")
    park_office = make_user(Role.PARK_OFFICE, park, username="park")
    unit_a = make_user(Role.UNIT, t["unit_a"], username="unit_a")
    unit_b = make_user(Role.UNIT, t["unit_b"], username="unit_b")
    studio_user = make_user(Role.UNIT, studio, username="studio")
    on = dt.date(2025, 6, 1)
    d = {
        "academy_a": designations.designate(program="nanchang_academy", name="东湖精工工匠学院", on=on, actor=office,
                                            holder_org=t["unit_a"]),
        "academy_b": designations.designate(program="nanchang_academy", name="西湖机电工匠学院", on=on, actor=office,
                                            holder_org=t["unit_b"]),
        "studio_a": designations.designate(program="nanchang_studio", name="东湖精工创新工作室", on=on, actor=office,
                                           holder_org=t["unit_a"]),
        "park": designations.designate(program="zhenjiang_park", name="张工技能大师工作室", on=on,
                                       actor=park_office, holder_org=studio),
    }
    gz_employer = Organisation.objects.create(name="赣州稀土新材料有限公司", level=Level.MEMBER,
                                              category=Category.ENTERPRISE, jurisdiction=Jurisdiction.GANZHOU,
                                              parent=t["ganzhou"])
    gz_office = make_user(Role.OFFICE, t["ganzhou"], username="office_gz")
    gz_unit = make_user(Role.UNIT, gz_employer, username="gz_unit")
    person = register(name="刘工匠", first17="36070219830315001", employer=gz_employer)
    d["ganzhou"] = designations.designate(program="ganzhou_craftsman", name="刘工匠", on=on, actor=gz_office,
                                          holder_person=person, scope_org=gz_employer)
    programs = {p.key: p for p in Program.objects.all()}
    return W(office, park_office, unit_a, unit_b, studio_user, gz_office, gz_unit, {**t, "park": park, "studio": studio}, programs, d)


def open_academy(w: W, *, opens: dt.date = dt.date(2026, 10, 15), due: dt.date = dt.date(2026, 12, 15),
                 year: int = 2026) -> Any:
    return services.open_round(w.office, w.programs["nanchang_academy"], year=year, opens=opens,
                               self_report_due=due)


def filed(w: W, a: Assessment, user: Any) -> Assessment:
    return services.submit(user, a, self_report="年度自评：各项工作按计划完成。", summary="年度工作总结。")


# ---- opening --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_nanchang_academy_art23_round_opened_outside_q4_is_flagged_but_opened(w: W) -> None:
    early = open_academy(w, opens=dt.date(2026, 6, 1), due=dt.date(2026, 6, 30))
    assert len(early.warnings) == 1 and "第二十三条" in early.warnings[0] and "第四季度" in early.warnings[0]
    assert early.assessments.count() == 2  # both live academy designations, nothing else
    q4 = open_academy(w, opens=dt.date(2027, 10, 8), due=dt.date(2027, 11, 30), year=2027)
    assert q4.warnings == []
    with pytest.raises(services.AssessmentError, match="已经开启"):
        open_academy(w)


@pytest.mark.django_db
def test_nanchang_studio_art14_deadline_after_year_end_is_flagged(w: W) -> None:
    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2027, 1, 15), office_parameters={
                                  "scoring_assessment_pass_mark": 80})
    assert any("第十四条" in x and "年底" in x for x in rnd.warnings)
    assert [a.designation for a in rnd.assessments.all()] == [w.d["studio_a"]]


@pytest.mark.django_db
def test_revoked_designations_are_not_assessed_and_programs_without_assessment_are_refused(w: W) -> None:
    designations.set_status(w.d["academy_b"], "revoked", reason="两年不合格", citation="第二十四条", actor=w.office)
    assert open_academy(w).assessments.get().designation == w.d["academy_a"]
    with pytest.raises(services.AssessmentError, match="未规定年度考核"):
        services.open_round(w.office, w.programs["jiangsu_technician"], year=2026, opens=dt.date(2026, 10, 1),
                            self_report_due=dt.date(2026, 12, 1))


@pytest.mark.django_db
def test_only_office_staff_open_rounds(w: W) -> None:
    with pytest.raises(PermissionDenied):
        services.open_round(w.unit_a, w.programs["nanchang_academy"], year=2026, opens=dt.date(2026, 10, 1),
                            self_report_due=dt.date(2026, 12, 1))


# ---- reminders ------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_reminders_go_n_days_before_the_deadline_once_and_only_to_units_that_have_not_filed(w: W,
                                                                                          settings: Any) -> None:
    settings.JIANGXIN_ASSESSMENT_REMINDER_DAYS = 5
    due = dt.date(2026, 12, 15)
    rnd = open_academy(w, due=due)
    filed(w, rnd.assessments.get(designation=w.d["academy_b"]), w.unit_b)
    assert services.send_reminders(due - dt.timedelta(days=6)) == 0
    assert services.send_reminders(due - dt.timedelta(days=5)) == 1
    notes = Notification.objects.filter(recipient=w.unit_a, title__startswith="催报")
    assert notes.count() == 1 and "2026-12-15" in notes.get().title
    assert not Notification.objects.filter(recipient=w.unit_b, title__startswith="催报").exists()
    assert services.send_reminders(due - dt.timedelta(days=4)) == 0  # once only
    assert services.send_reminders(due + dt.timedelta(days=1)) == 0  # not after the deadline


@pytest.mark.django_db
def test_my_tasks_list_the_unfiled_assessment_with_its_deadline_and_the_office_queue(w: W) -> None:
    from jiangxin.platform.assessments.tasks import tasks_for

    rnd = open_academy(w)
    [task] = tasks_for(w.unit_a)
    assert task.due == dt.date(2026, 12, 15) and task.subject == "东湖精工工匠学院"
    filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    assert tasks_for(w.unit_a) == []
    [office_task] = tasks_for(w.office)
    assert office_task.count == 1 and "待评分" in office_task.title
    with translation.override("en"):  # the round by year and program label, not its Chinese __str__
        [en_task] = tasks_for(w.office)
    assert en_task.title.startswith("2026 ") and en_task.title.endswith(" assessment: submissions to score")
    assert not re.search(r"[\u3400-\u9fff]", en_task.title)


# ---- submission -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_submission_with_files_before_the_deadline_is_not_late_and_is_audited(w: W) -> None:
    from jiangxin.platform.audit.models import AuditEvent

    today = timezone.localdate()
    rnd = open_academy(w, opens=today - dt.timedelta(days=3), due=today + dt.timedelta(days=10))
    a = rnd.assessments.get(designation=w.d["academy_a"])
    services.submit(w.unit_a, a, self_report_file=pdf(), summary_file=pdf("总结.pdf"))
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and a.late is False
    assert a.self_report_name == "自评报告.pdf" and len(a.self_report_sha256) == 64
    assert a.self_report_file.name.endswith(".pdf") and "自评" not in a.self_report_file.name
    assert AuditEvent.objects.filter(action="assessment.submit").count() == 1
    assert Notification.objects.filter(recipient=w.office, title__contains="已提交").exists()


@pytest.mark.django_db
def test_submission_after_the_deadline_is_accepted_and_flagged_late(w: W) -> None:
    today = timezone.localdate()
    rnd = open_academy(w, opens=today - dt.timedelta(days=30), due=today - dt.timedelta(days=1))
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    assert a.late is True


@pytest.mark.django_db
def test_submission_refuses_missing_reports_bad_files_and_other_units(w: W) -> None:
    rnd = open_academy(w)
    a = rnd.assessments.get(designation=w.d["academy_a"])
    with pytest.raises(services.AssessmentError, match="自评报告"):
        services.submit(w.unit_a, a, summary="总结")
    with pytest.raises(services.AssessmentError, match="扩展名"):
        services.submit(w.unit_a, a, self_report_file=SimpleUploadedFile("x.docx", PDF), summary="总结")
    with pytest.raises(PermissionDenied):
        filed(w, a, w.unit_b)
    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.PENDING


# ---- scoring --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_nanchang_academy_annex2_worked_example_scores_86_5_and_grades_good(w: W) -> None:
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    services.score(w.office, a, example("nanchang_academy", "annual_score"))
    a.refresh_from_db()
    assert a.total == Decimal("86.5") and a.grade == "良好" and a.passed is True
    assert a.status == AssessmentStatus.SCORED
    assert a.outcome["computation"] == "nanchang_academy/annual_score"
    assert a.outcome["citation"]["label"].endswith("第二十三条")
    venue = next(i for i in a.outcome["value"]["breakdown"] if i["key"] == "venue_improvement")
    assert venue["awarded"] == "3"


@pytest.mark.django_db
def test_nanchang_academy_annex2_year_without_ticks_scores_47_5_and_fails(w: W) -> None:
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_b"]), w.unit_b)
    services.score(w.office, a, weak_academy_year())
    assert a.total == Decimal("47.5") and a.grade == "不合格" and a.passed is False


@pytest.mark.django_db
def test_scoring_rejects_unknown_items_and_unsubmitted_assessments(w: W) -> None:
    rnd = open_academy(w)
    a = rnd.assessments.get(designation=w.d["academy_a"])
    with pytest.raises(services.AssessmentError, match="尚未提交"):
        services.score(w.office, a, {})
    filed(w, a, w.unit_a)
    with pytest.raises(services.AssessmentError) as err:
        services.score(w.office, a, {"no_such_item": 1})
    assert any(field == "no_such_item" for field, _ in err.value.problems)


@pytest.mark.django_db
def test_nanchang_studio_template_rubric_passes_with_the_office_pass_mark(w: W) -> None:
    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 20),
                              office_parameters={"scoring_assessment_pass_mark": 80})
    a = filed(w, rnd.assessments.get(), w.unit_a)
    services.score(w.office, a, example("nanchang_studio", "assessment_score"))
    assert a.total == Decimal(83) and a.passed is True and a.grade == "合格"
    assert a.outcome["value"]["official"] is False and a.outcome["value"]["pass_mark"] == "80"
    assert any(s["rule"] == "assessment_standard_not_official" for s in a.outcome["trace"])


@pytest.mark.django_db
def test_nanchang_studio_without_an_office_pass_mark_decides_nothing(w: W) -> None:
    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 20))
    a = filed(w, rnd.assessments.get(), w.unit_a)
    services.score(w.office, a, example("nanchang_studio", "assessment_score"))
    assert a.total == Decimal(83) and a.passed is None and a.grade == ""


@pytest.mark.django_db
def test_zhenjiang_evaluation_deducts_missing_presence_days_from_the_park_logs(w: W) -> None:
    from jiangxin.platform.park import services as park

    residency = park.admit(w.park_office, studio_org=w.orgs["studio"], name="张工技能大师工作室",
                           agreement_no="ZJ-2025-01", signed_on=dt.date(2025, 6, 1),
                           admission_date=dt.date(2025, 6, 1), designation=w.d["park"])
    days = {1: 12, 2: 9, 3: 14, 4: 10, 5: 11, 6: 10, 7: 8, 8: 10, 9: 15, 10: 10, 11: 12, 12: 10}
    for month, n in days.items():
        park.record_presence(w.park_office, residency, f"2025-{month:02d}", n)
    rnd = services.open_round(w.park_office, w.programs["zhenjiang_park"], year=2025, opens=dt.date(2025, 12, 1),
                              self_report_due=dt.date(2025, 12, 31), office_parameters={"evaluation_pass_mark": 120})
    a = filed(w, rnd.assessments.get(), w.studio_user)
    entries = example("zhenjiang_park", "evaluation")
    entries["days_on_site"] = {f"2025-{m:02d}": 22 for m in range(1, 13)}  # typed over: the logs win
    services.score(w.park_office, a, entries)
    assert a.outcome["value"]["missing_days"] == 3
    assert a.outcome["value"]["missing_per_month"]["2025-02"] == 1
    assert a.outcome["value"]["missing_per_month"]["2025-07"] == 2
    presence = next(i for i in a.outcome["value"]["breakdown"] if i["key"] == "monthly_presence")
    assert presence["awarded"] == "14" and "3×2" in presence["detail"]
    assert a.total == Decimal(157) and a.passed is True and a.grade == "合格"
    assert a.entries["days_on_site"]["2025-02"] == 9


@pytest.mark.django_db
def test_ganzhou_art11_annual_report_is_filed_and_acknowledged_without_a_score(w: W) -> None:
    with pytest.raises(PermissionDenied):  # 南昌's office does not run 赣州's program
        services.open_round(w.office, w.programs["ganzhou_craftsman"], year=2026, opens=dt.date(2026, 11, 1),
                            self_report_due=dt.date(2026, 12, 31))
    rnd = services.open_round(w.gz_office, w.programs["ganzhou_craftsman"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 31))
    a = filed(w, rnd.assessments.get(), w.gz_unit)  # the employer files for its craftsman
    with pytest.raises(services.AssessmentError, match="不评分"):
        services.score(w.gz_office, a, {})
    services.acknowledge(w.gz_office, a, note="材料齐全")
    assert a.status == AssessmentStatus.PUBLISHED and a.passed is None and a.total is None
    assert a.outcome["trace"][0]["citation"]["article"] == "第十一条"
    assert services.results_for_year("ganzhou_craftsman", 2026) == {w.d["ganzhou"].pk: None}


# ---- publication, scope and the yearly-run interface ---------------------------------------------------

@pytest.mark.django_db
def test_results_are_published_to_each_unit_and_results_for_year_reports_them(w: W) -> None:
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    b = filed(w, rnd.assessments.get(designation=w.d["academy_b"]), w.unit_b)
    services.score(w.office, a, example("nanchang_academy", "annual_score"))
    services.score(w.office, b, weak_academy_year())
    assert services.results_for_year(w.programs["nanchang_academy"], 2026) == {a.designation_id: None,
                                                                                 b.designation_id: None}
    assert services.publish(w.office, rnd) == 2
    assert services.results_for_year("nanchang_academy", 2026) == {a.designation_id: True,
                                                                    b.designation_id: False}
    assert services.results_for_year("nanchang_academy", 2025) == {}
    assert services.assessment_for(w.d["academy_a"], 2026) == a
    assert services.assessment_for(w.d["academy_a"], 2025) is None
    note = Notification.objects.get(recipient=w.unit_a, kind="result")
    assert "良好" in note.title and note.url == f"/assessments/{a.pk}/"
    with pytest.raises(services.AssessmentError, match="已公布"):
        services.score(w.office, a, {})


@pytest.mark.django_db
def test_unit_page_shows_its_own_published_breakdown_with_citations_and_nobody_else_sees_it(
        w: W, client_for: Any, make_user: Any) -> None:
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    services.score(w.office, a, example("nanchang_academy", "annual_score"))
    own = client_for(w.unit_a)
    before = own.get(f"/assessments/{a.pk}/").content.decode()
    assert "86.5" not in before and 'id="result"' not in before  # not before publication
    services.publish(w.office, rnd)
    page = own.get(f"/assessments/{a.pk}/").content.decode()
    assert "86.5" in page and "良好" in page and "场地设备完善" in page and "第二十三条" in page
    assert 'data-item="venue_improvement"' in page
    assert "86.5" in own.get("/assessments/").content.decode()
    assert client_for(w.unit_b).get(f"/assessments/{a.pk}/").status_code == 404
    assert client_for(w.studio_user).get(f"/assessments/{a.pk}/").status_code == 404
    district = make_user(Role.DISTRICT, w.orgs["donghu"])
    expert = make_user(Role.EXPERT, None)
    for user in (district, expert):
        c = client_for(user)
        assert c.get("/assessments/").status_code == 403
        assert c.get(f"/assessments/{a.pk}/").status_code == 404
    gz_office = make_user(Role.OFFICE, w.orgs["ganzhou"])
    assert client_for(gz_office).get(f"/assessments/{a.pk}/").status_code == 404
    assert client_for(gz_office).get(f"/assessments/rounds/{rnd.pk}/").status_code == 404
    assert client_for(w.unit_a).get(f"/assessments/rounds/{rnd.pk}/").status_code == 403


@pytest.mark.django_db
def test_office_opens_scores_and_publishes_through_the_pages(w: W, client_for: Any) -> None:
    office = client_for(w.office)
    program = w.programs["nanchang_academy"]
    r = office.post("/assessments/rounds/new/", {"program": program.pk, "year": 2026, "opens": "2026-07-01",
                                                 "self_report_due": "2026-12-15", "reference": "洪工字〔2026〕1号"},
                    follow=True)
    assert r.status_code == 200 and "第四季度" in r.content.decode()
    rnd = program.assessment_rounds.get(year=2026)
    a = rnd.assessments.get(designation=w.d["academy_a"])
    unit = client_for(w.unit_a)
    assert "提交" in unit.get(f"/assessments/{a.pk}/").content.decode()
    unit.post(f"/assessments/{a.pk}/submit/", {"self_report": "自评", "summary": "总结", "self_report_file": pdf()})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED
    assert unit.get(f"/assessments/{a.pk}/file/self_report/").status_code == 200
    assert client_for(w.unit_b).get(f"/assessments/{a.pk}/file/self_report/").status_code == 404
    assert unit.post(f"/assessments/{a.pk}/score/", {"entries": "{}"}).status_code == 403
    form_page = office.get(f"/assessments/{a.pk}/").content.decode()
    assert "逐项评分" in form_page
    entries = json.dumps(example("nanchang_academy", "annual_score"), ensure_ascii=False)
    office.post(f"/assessments/{a.pk}/score/", {"entries": entries})
    a.refresh_from_db()
    assert a.total == Decimal("86.5") and a.grade == "良好"
    bad = office.post(f"/assessments/{a.pk}/score/", {"entries": "{not json"}, follow=True)
    assert "不是有效的 JSON" in bad.content.decode()
    office.post(f"/assessments/rounds/{rnd.pk}/publish/")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PUBLISHED


# ---- demo -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_opens_the_2026_rounds_scores_some_assessments_and_is_idempotent(settings: Any, tmp_path: Path) -> None:
    from django.core.management import call_command

    from jiangxin.platform.assessments.demo import load_assessments_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO())  # the lead's load_demo calls load_assessments_demo
    rows = Assessment.objects.filter(round__year=2026)
    assert rows.exclude(status=AssessmentStatus.PENDING).exists(), "the demo files some assessments"
    academy = rows.filter(round__program__key="nanchang_academy")
    assert academy.filter(status=AssessmentStatus.PUBLISHED).exists()
    scored = list(rows.exclude(total=None))
    assert scored and all(a.outcome.get("computation") for a in scored)
    assert load_assessments_demo() == []
    assert Assessment.objects.filter(round__year=2026).count() == rows.count()


def item_post(rubric: Any, entries: dict[str, Any]) -> dict[str, str]:
    """What a browser posts from the item-by-item form filled with ``entries``."""
    from jiangxin.platform.panels import rubrics

    data: dict[str, str] = {}
    for spec in rubrics.item_specs(rubric, entries, {}):
        for f in [*spec.fields, *(pf for part in spec.parts for pf in part.fields)]:
            if f.type == "checkbox":
                if f.checked:
                    data[f.name] = "1"
            elif f.value != "":
                data[f.name] = f.value
    return data


@pytest.mark.django_db
def test_office_scores_item_by_item_and_the_academy_total_matches_the_worked_example(w: W, client_for: Any) -> None:
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    office = client_for(w.office)
    page = office.get(f"/assessments/{a.pk}/").content.decode()
    assert 'data-item="venue_improvement"' in page and 'id="item-form"' in page
    incomplete = office.post(f"/assessments/{a.pk}/score/", {}, follow=True).content.decode()
    assert "请补全评分" in incomplete
    office.post(f"/assessments/{a.pk}/score/", item_post(services.rubric_of(rnd), example("nanchang_academy",
                                                                                           "annual_score")))
    a.refresh_from_db()
    assert a.total == Decimal("86.5") and a.grade == "良好"


@pytest.mark.django_db
def test_zhenjiang_item_form_takes_typed_presence_when_the_park_has_no_logs(w: W, client_for: Any) -> None:
    rnd = services.open_round(w.park_office, w.programs["zhenjiang_park"], year=2025, opens=dt.date(2025, 12, 1),
                              self_report_due=dt.date(2025, 12, 31), office_parameters={"evaluation_pass_mark": 120})
    a = filed(w, rnd.assessments.get(), w.studio_user)
    entries = example("zhenjiang_park", "evaluation")
    data = item_post(services.rubric_of(rnd), entries)
    data.update({f"presence__{m}": str(n) for m, n in entries["days_on_site"].items()})
    park = client_for(w.park_office)
    assert 'name="presence__2025-02"' in park.get(f"/assessments/{a.pk}/").content.decode()
    park.post(f"/assessments/{a.pk}/score/", data)
    a.refresh_from_db()
    assert a.outcome["value"]["missing_days"] == 3 and a.total == Decimal(157)


@pytest.mark.django_db
def test_nanchang_studio_round_scores_with_the_rubric_the_office_loaded(w: W) -> None:
    with pytest.raises(services.AssessmentError, match="考核标准格式不正确"):
        services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                            self_report_due=dt.date(2026, 12, 20), rubric_yaml="key: x\n")
    yaml_text = ("key: office.studio2026\ntitle: 创新工作室考核标准（主管部门）\ndocument: nanchang_studio\n"
                 "cite: {article: 附件}\nofficial: true\nnotice: ''\ntotal_points: 100\n"
                 "sections: [{key: a, title: 综合, points: 100}]\n"
                 "items: [{key: overall, section: a, title: 综合评价, points: 100, kind: manual, cite: {article: 附件}}]\n")
    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 20), rubric_yaml=yaml_text,
                              office_parameters={"scoring_assessment_pass_mark": 60})
    assert services.rubric_of(rnd).key == "office.studio2026"
    a = filed(w, rnd.assessments.get(), w.unit_a)
    services.score(w.office, a, {"overall": 72})
    assert a.total == Decimal(72) and a.passed is True and a.outcome["value"]["official"] is True
    with pytest.raises(services.AssessmentError, match="未授权主管部门另定考核标准"):
        services.open_round(w.office, w.programs["nanchang_academy"], year=2026, opens=dt.date(2026, 10, 1),
                            self_report_due=dt.date(2026, 12, 1), rubric_yaml=yaml_text)
