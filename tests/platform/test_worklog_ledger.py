"""Work and fund ledger: the holder records with checked evidence, staff read within scope, and the annual
rubric entries are prefilled from the records (and the academy's trainee/course records) with record ids."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import fixtures_apps
import pytest
import review_helpers as rh
from django.core.files.uploadedfile import SimpleUploadedFile

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.designations import services as ds
from jiangxin.platform.designations.models import DesignationStatus
from jiangxin.platform.worklog import services as ws
from jiangxin.platform.worklog.models import FundRecord, WorkEvidence, WorkRecord
from jiangxin.policy.outcome import Trace
from jiangxin.policy.rubric import score_rubric

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
PDF = fixtures_apps.pdf_bytes


def _setup(program: str = "nanchang_academy") -> tuple[Any, Any, Any]:
    w = rh.world(program)
    unit = rh.submit(w, "东湖工匠学院").applicant_org if program != "zhenjiang_park" else None
    if unit is None:
        from jiangxin.platform.orgs.models import Category, Level

        unit = rh.org("金山焊接", Level.MEMBER, Category.ENTERPRISE, w.districts[0].jurisdiction, w.districts[0])
    d = ds.designate(program=program, name="示例", on=dt.date(2025, 12, 20), actor=w.office, holder_org=unit)
    holder = rh.user(Role.UNIT, unit, f"holder_{program}")
    return w, d, holder


def _rec(holder: Any, d: Any, **row: Any) -> WorkRecord:
    row.setdefault("title", row["kind"])
    return ws.create_record(holder, d, row)


def test_holder_records_updates_and_deletes_work_with_audit(media: Any) -> None:
    _, d, holder = _setup()
    rec = _rec(holder, d, kind="training", date=dt.date(2026, 3, 1), sessions=1, participants=120)
    assert rec.year == 2026 and rec.created_by == holder
    rec = ws.update_record(holder, rec, {"participants": 130})
    assert WorkRecord.objects.get(pk=rec.pk).participants == 130
    ws.delete_record(holder, rec)
    assert not WorkRecord.objects.exists()
    actions = list(AuditEvent.objects.filter(action__startswith="worklog.record").values_list("action", flat=True))
    assert actions == ["worklog.record.create", "worklog.record.update", "worklog.record.delete"]


def test_kind_specific_fields_are_required_with_chinese_messages() -> None:
    _, d, holder = _setup()
    with pytest.raises(ws.WorklogError, match="技能培训须填写：期数/场次、人数/人次"):
        _rec(holder, d, kind="training", date=dt.date(2026, 3, 1))
    with pytest.raises(ws.WorklogError, match="名次"):
        _rec(holder, d, kind="placing", date=dt.date(2026, 3, 1), level="city", person_name="李明")
    with pytest.raises(ws.WorklogError, match="日期"):
        _rec(holder, d, kind="media", date="2026-03-01", level="city")


def test_only_the_holder_unit_records_and_only_while_live() -> None:
    w, d, holder = _setup()
    other = rh.user(Role.UNIT, w.districts[1], "stranger")
    with pytest.raises(ws.WorklogError, match="持有"):
        _rec(other, d, kind="media", date=dt.date(2026, 3, 1), level="city")
    with pytest.raises(ws.WorklogError, match="持有"):
        _rec(w.office, d, kind="media", date=dt.date(2026, 3, 1), level="city")
    ds.set_status(d, DesignationStatus.REVOKED, reason="撤销", citation="第二十四条", actor=w.office)
    d.refresh_from_db()
    with pytest.raises(ws.WorklogError, match="终止"):
        _rec(holder, d, kind="media", date=dt.date(2026, 3, 1), level="city")


def test_evidence_uses_the_upload_checker(media: Any) -> None:
    _, d, holder = _setup()
    rec = _rec(holder, d, kind="patent", date=dt.date(2026, 5, 1), patent_type="invention")
    ev = ws.add_evidence(holder, rec, SimpleUploadedFile("证书.pdf", PDF()))
    assert ev.file_type == "pdf" and len(ev.sha256) == 64 and ev.record == rec
    assert Path(ev.file.path).read_bytes() == PDF()
    with pytest.raises(ws.UploadError, match="扩展名"):
        ws.add_evidence(holder, rec, SimpleUploadedFile("证书.png", PDF()))
    with pytest.raises(ws.UploadError):
        ws.add_evidence(holder, rec, SimpleUploadedFile("证书.pdf", b"not a pdf at all"))
    assert WorkEvidence.objects.count() == 1


def test_fund_records_are_decimal_yuan_and_totals_balance(media: Any) -> None:
    _, d, holder = _setup()
    ws.create_fund(holder, d, date=dt.date(2026, 2, 1), direction="income", category="subsidy",
                   amount=Decimal("200000.00"), notes="补助")
    spent = ws.create_fund(holder, d, date=dt.date(2026, 3, 1), direction="spending", category="training",
                           amount=Decimal("36500.55"), notes="培训")
    ws.add_evidence(holder, spent, SimpleUploadedFile("发票.pdf", PDF()))
    assert ws.fund_totals(d, 2026) == {"income": Decimal("200000.00"), "spending": Decimal("36500.55"),
                                       "balance": Decimal("163499.45")}
    with pytest.raises(ws.WorklogError, match="金额"):
        ws.create_fund(holder, d, date=dt.date(2026, 3, 1), direction="spending", category="training",
                       amount=Decimal("1.005"), notes="x")
    with pytest.raises(ws.WorklogError, match="金额"):
        ws.create_fund(holder, d, date=dt.date(2026, 3, 1), direction="spending", category="training",
                       amount=Decimal("0"), notes="x")
    ws.delete_fund(holder, spent)
    assert FundRecord.objects.count() == 1


def test_staff_read_within_scope_only() -> None:
    w, d, holder = _setup()
    rec = _rec(holder, d, kind="media", date=dt.date(2026, 3, 1), level="city")
    assert list(ws.records_for(w.office, d)) == [rec]
    assert list(ws.records_for(w.district_users[0], d)) == [rec]   # the unit's district
    assert not ws.records_for(w.district_users[1], d).exists()      # the other district
    other = rh.world("ganzhou_craftsman")
    assert not ws.records_for(other.office, d).exists()


def _academy_records(holder: Any, d: Any) -> dict[str, WorkRecord]:
    day = dt.date(2026, 5, 1)
    r = {
        "t1": _rec(holder, d, kind="training", date=day, sessions=2, participants=250),
        "t2": _rec(holder, d, kind="training", date=day, sessions=1, participants=160),
        "pw": _rec(holder, d, kind="public_welfare", date=day, sessions=2, participants=160),
        "cup": _rec(holder, d, kind="contest_hosted", date=day, level="city", contest_class="hong_gong_cup"),
        "nat": _rec(holder, d, kind="contest_hosted", date=day, level="national", contest_class="other"),
        "e1": _rec(holder, d, kind="contest_entered", date=day, level="province"),
        "e2": _rec(holder, d, kind="contest_entered", date=day, level="city"),
        "judge": _rec(holder, d, kind="contest_judged", date=day, level="city", person_name="张"),
        "place": _rec(holder, d, kind="placing", date=day, level="national", person_name="李", placing=4),
        "pat": _rec(holder, d, kind="patent", date=day, patent_type="invention"),
        "award": _rec(holder, d, kind="award", date=day, level="province", award_class="science"),
        "city": _rec(holder, d, kind="award", date=day, level="city", award_class="city_innovation_1"),
        "solved": _rec(holder, d, kind="problem_solved", date=day),
        "media": _rec(holder, d, kind="media", date=day, level="province"),
        "ex": _rec(holder, d, kind="exchange", date=day, level="national"),
        "old": _rec(holder, d, kind="media", date=dt.date(2025, 12, 30), level="national"),  # another year
    }
    return r


def test_nanchang_annual_prefill_with_record_ids_and_academy_facts() -> None:
    from jiangxin.platform.academy.models import Course, Trainee

    _, d, holder = _setup()
    r = _academy_records(holder, d)
    for i in range(6):
        Course.objects.create(academy=d.holder_org, major="焊工", title=f"课程{i}", status="published",
                              ip_declared=True, first_published_on=dt.date(2026 if i else 2025, 4, 1))
    for i, level in enumerate(["technician", "technician", "senior"]):
        Trainee.objects.create(academy=d.holder_org, name=f"学员{i}", id_hash=f"h{i}", id_mask="x", sex="male",
                               birth_date=dt.date(1990, 1, 1), major="焊工", session_code="S1",
                               start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 6, 1),
                               level_before="intermediate", level_after=level, upgraded=True)
    entries, ids = ws.rubric_facts(d, 2026, "nanchang_academy.annual")
    assert entries["training_tasks"] == {"skill_upgrading": {"sessions": 3, "trainees": 410},
                                         "public_welfare": {"sessions": 2, "person_times": 160},
                                         "commissioned": {"sessions": 0}}
    assert ids["training_tasks"] == sorted([r["t1"].pk, r["t2"].pk, r["pw"].pk])
    assert entries["courses"] == {"course_exchanges": {"国家级": 1}, "new_courses": {"courses": 5}}
    assert entries["training_results"] == {"promotions": {"高级工": 1, "技师": 2}}
    assert entries["contest_hosting"] == {"hong_gong_cup": {"contests": 1}, "industry_contests": {"contests": 0},
                                          "higher_level": {"国家级": 1}}
    assert entries["contest_participation"] == {"entries": {"projects": 2}, "higher_entries": {"省级": 1},
                                                "judges": {"市级": 1}}
    assert entries["contest_placings"] == [{"person": "李", "level": "国家级", "placing": 4}]
    assert ids["contest_placings"] == [r["place"].pk]
    assert entries["innovation_results"] == {"patents": {"发明专利": 1}, "science_awards": {"省部级": 1},
                                             "five_small": {}, "city_awards": {"创新成果一等奖": 1},
                                             "problems_solved": {"企业发展难题": 1}}
    assert ids["innovation_results"] == sorted([r["pat"].pk, r["award"].pk, r["city"].pk, r["solved"].pk])
    assert entries["media"] == {"省级媒体": 1} and ids["media"] == [r["media"].pk]
    # judgement items stay empty for the assessor
    for judgement in ("venue_improvement", "implementation", "effectiveness", "staffing", "faculty_pool",
                      "training_organisation", "project_organisation"):
        assert judgement not in entries
    # every id belongs to the designation and the year
    assert all(WorkRecord.objects.get(pk=i).year == 2026 for v in ids.values() for i in v)
    # completed with the judgement items, the prefilled entries score under the real rubric
    rubric = ws.declared_rubric("nanchang_academy.annual")
    full: dict[str, Any] = {**entries, "venue_improvement": [], "implementation": [], "effectiveness": [],
                            "staffing": [], "faculty_honours": {}, "faculty_pool": [], "training_organisation": [],
                            "project_organisation": []}
    full["courses"] = {**entries["courses"], "course_materials": []}
    full["training_results"] = {**entries["training_results"], "trainee_honours": {}, "satisfaction": "0"}
    full["contest_participation"] = {**entries["contest_participation"], "pre_contest_training": []}
    full["innovation_results"] = {**entries["innovation_results"], "benefit": []}
    result = score_rubric(rubric, full, Trace())
    by_key = {i.key: i.awarded for i in result.items}
    assert by_key["media"] == Decimal("2") and by_key["contest_placings"] == Decimal("3")
    assert by_key["training_tasks"] == Decimal("6")  # trainees 410 → 2 + 1; welfare 160 person-times → 2 + 1
    assert result.total > 0


def test_academy_without_course_library_counts_ledger_courses() -> None:
    _, d, holder = _setup()
    recs = [_rec(holder, d, kind="new_course", date=dt.date(2026, 4, 1)) for _ in range(2)]
    entries, ids = ws.rubric_facts(d, 2026, "nanchang_academy.annual")
    assert entries["courses"]["new_courses"] == {"courses": 2}
    assert set(ids["courses"]) == {r.pk for r in recs}


def test_zhenjiang_bonus_prefill_counts_certified_media_achievements_and_leaves_benefit_to_the_assessor() -> None:
    _, d, holder = _setup("zhenjiang_park")
    day = dt.date(2026, 6, 1)
    c1 = _rec(holder, d, kind="certified", date=day, participants=38)
    c2 = _rec(holder, d, kind="certified", date=day, participants=27)
    m = _rec(holder, d, kind="media", date=day, level="national")
    p = _rec(holder, d, kind="patent", date=day, patent_type="utility", level="province")
    a = _rec(holder, d, kind="award", date=day, level="city", award_class="other")
    b = _rec(holder, d, kind="benefit", date=day)
    entries, ids = ws.rubric_facts(d, 2026, "zhenjiang_park.evaluation")
    assert entries == {"trainees_certified": 65, "media_reports": {"部级": 1}, "achievements": {"省级": 1, "市级": 1}}
    assert ids == {"trainees_certified": [c1.pk, c2.pk], "media_reports": [m.pk], "achievements": [p.pk, a.pk],
                   "economic_benefit": [b.pk]}
    assert "economic_benefit" not in entries


def test_unknown_rubric_is_refused() -> None:
    _, d, _ = _setup()
    with pytest.raises(ws.WorklogError):
        ws.rubric_facts(d, 2026, "nanchang_academy.naming")
