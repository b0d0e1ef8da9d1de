"""Per-item subsidy claims through generated forms: every claimable item renders, the platform pre-fills what it
knows, the preview prices without writing, a submitted claim carries the computation's amount, bad input shows
Chinese errors and stores nothing, the office reviews facts as tables and approving posts the ledger entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import services
from jiangxin.platform.ledger.models import LedgerEntry, SubsidyClaim
from jiangxin.policy.registry import get_computation

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
AS_OF = services.claim_as_of(YEAR).isoformat()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def named(users: dict[str, Any], org_tree: dict[str, Any]) -> dict[str, Any]:
    academy = desig.designate(program="nanchang_academy", name="东湖工匠学院", on=dt.date(2024, 6, 1),
                              actor=users["office"], holder_org=org_tree["unit_a"])
    studio = desig.designate(program="nanchang_studio", name="东湖创新工作室", on=dt.date(2024, 6, 1),
                             actor=users["office"], holder_org=org_tree["unit_a"])
    other = desig.designate(program="nanchang_academy", name="西湖工匠学院", on=dt.date(2024, 6, 1),
                            actor=users["office"], holder_org=org_tree["unit_b"])
    return {"academy": academy, "studio": studio, "other": other}


def pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf("test"), content_type="application/pdf")


def url(d: Any, computation: str) -> str:
    return f"/ledger/claims/new/{d.pk}/{computation}/"


def contest_post(**extra: Any) -> dict[str, Any]:
    return {"hosted__0__key": "市级洪工杯", "hosted__0__value": "2", "hosted__1__key": "省级天工杯三类",
            "hosted__1__value": "1", "meta-year": str(YEAR), "meta-evidence_note": "承办通知", **extra}


@pytest.mark.parametrize(("program", "computation"), [
    ("academy", c) for c in services.claimable("nanchang_academy")] + [
    ("studio", c) for c in services.claimable("nanchang_studio")])
def test_each_claimable_item_renders_a_generated_form_without_json(named: dict[str, Any], users: dict[str, Any],
                                                                   client_for: Any, program: str,
                                                                   computation: str) -> None:
    d = named[program]
    comp = get_computation(d.program, computation)
    r = client_for(users["unit"]).get(url(d, computation))
    html = r.content.decode()
    assert r.status_code == 200
    assert comp.title in html and comp.citation.label in html
    assert "JSON" not in html and 'name="facts"' not in html
    assert 'name="meta-evidence"' in html and 'name="_preview"' in html and 'name="_submit"' in html
    listing = client_for(users["unit"]).get("/ledger/claims/").content.decode()
    assert url(d, computation) in listing


def test_upgrade_form_is_prefilled_from_the_trainee_records(named: dict[str, Any], users: dict[str, Any],
                                                            client_for: Any) -> None:
    from jiangxin.platform.academy.models import Trainee

    d = named["academy"]
    for i, level in enumerate(["technician", "technician", "senior"]):
        Trainee.objects.create(academy=d.holder_org, name=f"学员{i}", id_hash=f"h{i}", id_mask="x", sex="male",
                               birth_date=dt.date(1990, 1, 1), major="焊工", session_code="S1",
                               start_date=dt.date(YEAR, 1, 1), end_date=dt.date(YEAR, 1, 2),
                               level_before="intermediate", level_after=level, upgraded=True)
    form = client_for(users["unit"]).get(url(d, "upgrade_subsidy")).context["form"]
    rows = {form.initial[f"upgrades__{i}__key"]: form.initial[f"upgrades__{i}__value"] for i in range(2)}
    assert rows == {"技师": 2, "高级工": 1}
    assert 'id="prefill-note"' in client_for(users["unit"]).get(url(d, "upgrade_subsidy")).content.decode()


def test_teaching_form_lists_the_teacher_pool_and_skips_rows_without_hours(named: dict[str, Any],
                                                                          users: dict[str, Any],
                                                                          client_for: Any) -> None:
    from jiangxin.platform.academy.models import Teacher

    d = named["academy"]
    Teacher.objects.create(organisation=d.holder_org, status="approved", name="张师傅", employer="东湖精工",
                           majors="焊工", honours="|洪城工匠|", title="副教授")
    Teacher.objects.create(organisation=d.holder_org, status="approved", name="李老师", employer="东湖精工",
                           majors="钳工", title="工程师")
    Teacher.objects.create(organisation=d.holder_org, status="pending", name="待审教师", employer="东湖精工",
                           majors="钳工")
    unit = client_for(users["unit"])
    page = unit.get(url(d, "teaching_subsidy"))
    html = page.content.decode()
    assert "张师傅" in html and "李老师" in html and "待审教师" not in html
    initial = page.context["form"].initial
    assert initial["lessons__0__honours"] == ["洪城工匠"] and initial["lessons__0__title"] == "副教授"
    data = {"lessons__0__teacher": "张师傅", "lessons__0__honours": ["洪城工匠"], "lessons__0__title": "副教授",
            "lessons__0__hours": "10", "lessons__1__teacher": "李老师", "lessons__1__title": "工程师",
            "lessons__1__hours": "", "meta-year": str(YEAR), "meta-evidence": pdf(), "_submit": "1"}
    r = unit.post(url(d, "teaching_subsidy"), data)
    assert r.status_code == 302
    claim = SubsidyClaim.objects.get()
    expected = get_computation("nanchang_academy", "teaching_subsidy").run(
        {"as_of": AS_OF, "lessons": [{"teacher": "张师傅", "honours": ["洪城工匠"], "title": "副教授", "hours": 10}]})
    assert [ln["teacher"] for ln in claim.facts["lessons"]] == ["张师傅"]
    assert claim.amount == Decimal(expected.to_dict()["value"]["granted"]) > 0


def test_course_form_counts_library_courses_and_takes_already_granted_from_the_ledger(
        named: dict[str, Any], users: dict[str, Any], client_for: Any) -> None:
    from jiangxin.platform.academy.models import Course

    d = named["academy"]
    for i in range(3):
        Course.objects.create(academy=d.holder_org, major="焊工", title=f"课程{i}", status="published",
                              ip_declared=True, first_published_on=dt.date(YEAR, 1, 1))
    earlier = services.submit_claim(d, "course_subsidy", {"as_of": AS_OF, "offline_courses": 4,
                                                          "video_lesson_hours": 0}, year=YEAR,
                                    actor=users["office"], evidence_note="课程清单")
    services.decide_claim(earlier, actor=users["office"], approve=True)
    unit = client_for(users["unit"])
    page = unit.get(url(d, "course_subsidy"))
    html = page.content.decode()
    assert page.context["form"].initial["offline_courses"] == 3
    assert "already_granted" not in page.context["form"].fields
    assert 'id="already-granted"' in html and str(earlier.amount) in html
    # a unit cannot lower the cap's already-granted money: the platform puts in the ledger's figure
    r = unit.post(url(d, "course_subsidy"), {"offline_courses": "3", "video_lesson_hours": "0",
                                              "already_granted": "0", "meta-year": str(YEAR),
                                              "meta-evidence": pdf(), "_submit": "1"})
    assert r.status_code == 302
    claim = SubsidyClaim.objects.exclude(pk=earlier.pk).get()
    assert Decimal(claim.facts["already_granted"]) == earlier.amount


def test_preview_shows_the_amount_and_its_citations_and_writes_nothing(named: dict[str, Any],
                                                                      users: dict[str, Any],
                                                                      client_for: Any) -> None:
    r = client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"), contest_post(_preview="1"))
    html = r.content.decode()
    expected = get_computation("nanchang_academy", "contest_subsidy").run(
        {"as_of": AS_OF, "hosted": {"市级洪工杯": 2, "省级天工杯三类": 1}}).to_dict()["value"]["granted"]
    assert r.status_code == 200 and f'id="preview-amount">{expected}<' in html
    assert "南昌工匠学院办法 第二十一条（五）" in html and "竞赛补助标准" in html
    assert not SubsidyClaim.objects.exists()


def test_valid_post_creates_a_claim_priced_by_the_computation_with_the_evidence(named: dict[str, Any],
                                                                               users: dict[str, Any],
                                                                               client_for: Any) -> None:
    r = client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"),
                                       contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    claim = SubsidyClaim.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/ledger/claims/{claim.pk}/"
    expected = get_computation("nanchang_academy", "contest_subsidy").run(
        {"as_of": AS_OF, "hosted": {"市级洪工杯": 2, "省级天工杯三类": 1}}).to_dict()
    assert claim.amount == Decimal(expected["value"]["granted"])
    assert claim.facts == {"as_of": AS_OF, "hosted": {"市级洪工杯": 2, "省级天工杯三类": 1}}
    assert claim.outcome["trace"][-1]["citation"]["label"] == "南昌工匠学院办法 第二十一条（五）"
    assert claim.evidence.name and claim.status == "submitted" and claim.year == YEAR


@pytest.mark.parametrize(("changes", "message"), [
    ({"hosted__0__value": "-1"}, "承办竞赛项目数"),
    ({"hosted__0__value": "两个"}, "整数"),
    ({"meta-evidence": None}, "须上传证明材料"),
    ({"meta-evidence": "fake"}, "不是可接受的格式"),
])
def test_invalid_post_shows_chinese_errors_and_creates_nothing(named: dict[str, Any], users: dict[str, Any],
                                                              client_for: Any, changes: dict[str, Any],
                                                              message: str) -> None:
    data = contest_post(**{"meta-evidence": pdf(), "_submit": "1"})
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        elif value == "fake":
            data[key] = SimpleUploadedFile("证明.pdf", b"PK\x03\x04 not really a pdf")
        else:
            data[key] = value
    r = client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"), data)
    html = r.content.decode()
    assert r.status_code == 200 and message in html and 'role="alert"' in html
    assert not SubsidyClaim.objects.exists() and not LedgerEntry.objects.exists()


def test_missing_required_facts_are_marked_on_their_field(named: dict[str, Any], users: dict[str, Any],
                                                          client_for: Any) -> None:
    r = client_for(users["unit"]).post(url(named["academy"], "course_subsidy"),
                                       {"video_lesson_hours": "5", "meta-year": str(YEAR), "_preview": "1"})
    assert r.status_code == 200
    assert "此项必填" in str(r.context["form"].errors.get("offline_courses"))
    assert not SubsidyClaim.objects.exists()


def test_award_quota_is_yearly_across_claims_and_shown(named: dict[str, Any], users: dict[str, Any],
                                                      client_for: Any) -> None:
    d = named["academy"]
    first = services.submit_claim(d, "innovation_awards", {"as_of": AS_OF, "year": YEAR, "awards": [
        {"id": "CX-1", "category": "创新成果一等奖"}, {"id": "CX-2", "category": "创新成果一等奖"}]},
        year=YEAR, actor=users["office"], evidence_note="获奖名单")
    services.decide_claim(first, actor=users["office"], approve=True)
    unit = client_for(users["unit"])
    page = unit.get(url(d, "innovation_awards"))
    quotas = {q["category"]: q for q in page.context["quotas"]}
    assert quotas["创新成果一等奖"]["used"] == 2 and quotas["创新成果一等奖"]["left"] == 0
    assert quotas["创新成果奖合计"]["used"] == 2 and 'id="award-quotas"' in page.content.decode()
    assert "year" not in page.context["form"].fields
    over = {"awards__0__id": "CX-3", "awards__0__category": "创新成果一等奖", "meta-year": str(YEAR),
            "meta-evidence": pdf(), "_submit": "1"}
    r = unit.post(url(d, "innovation_awards"), over)
    assert r.status_code == 200 and "超出年度名额" in r.content.decode()
    assert SubsidyClaim.objects.count() == 1
    again = {**over, "awards__0__id": "CX-2", "awards__0__category": "金点子", "meta-evidence": pdf()}
    r = unit.post(url(d, "innovation_awards"), again)
    assert r.status_code == 200 and SubsidyClaim.objects.count() == 1  # an award already claimed this year
    ok = {**over, "awards__0__category": "金点子", "meta-evidence": pdf()}
    assert unit.post(url(d, "innovation_awards"), ok).status_code == 302
    claim = SubsidyClaim.objects.latest("id")
    assert claim.facts["year"] == YEAR and claim.amount == Decimal("10000")
    assert claim.outcome["yearly_quota"]["earlier_awards"] == 2


def test_office_reviews_facts_as_a_table_with_evidence_and_approval_posts_the_entry(
        named: dict[str, Any], users: dict[str, Any], client_for: Any) -> None:
    client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"),
                                   contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    claim = SubsidyClaim.objects.get()
    services.set_budget("nanchang_academy", YEAR, Decimal("1000"), actor=users["office"])
    office = client_for(users["office"])
    assert f'href="/ledger/claims/{claim.pk}/"' in office.get("/ledger/claims/").content.decode()
    html = office.get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert 'id="claim-facts"' in html and "承办竞赛项目数" in html and "市级洪工杯" in html
    assert "hosted" not in html  # labels, never the raw JSON keys
    assert 'id="evidence-link"' in html and 'id="budget-warning"' in html and "超出预算" in html
    assert "南昌工匠学院办法 第二十一条（五）" in html and 'id="claim-decision"' in html
    evidence = office.get(f"/ledger/claims/{claim.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")
    # the unit sees its claim but cannot decide it
    unit_page = client_for(users["unit"]).get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert 'id="claim-decision"' not in unit_page
    assert client_for(users["unit"]).post(f"/ledger/claims/{claim.pk}/decide/",
                                          {"decision": "approve"}).status_code == 403
    r = office.post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "approve", "note": "材料齐全"})
    assert r.status_code == 302
    claim.refresh_from_db()
    entry = LedgerEntry.objects.get(claim=claim)
    assert claim.status == "approved" and entry.amount == claim.amount and entry.kind == "subsidy"
    assert entry.citation == "南昌工匠学院办法 第二十一条（五）"


def test_rejection_needs_a_note_and_posts_nothing(named: dict[str, Any], users: dict[str, Any],
                                                  client_for: Any) -> None:
    client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"),
                                   contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    claim = SubsidyClaim.objects.get()
    office = client_for(users["office"])
    page = office.post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "不予核准须写明理由" in page.content.decode()
    office.post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "reject", "note": "发票不全"})
    claim.refresh_from_db()
    assert claim.status == "rejected" and not LedgerEntry.objects.exists()


def test_other_units_cannot_open_the_form_the_claim_or_its_evidence(named: dict[str, Any], users: dict[str, Any],
                                                                    client_for: Any, make_user: Any,
                                                                    org_tree: dict[str, Any]) -> None:
    client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"),
                                   contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    claim = SubsidyClaim.objects.get()
    other = client_for(make_user("unit", org_tree["unit_b"]))
    assert other.get(url(named["academy"], "contest_subsidy")).status_code == 404
    assert other.get(f"/ledger/claims/{claim.pk}/").status_code == 404
    assert other.get(f"/ledger/claims/{claim.pk}/evidence/").status_code == 404
    assert client_for(users["unit"]).get(url(named["academy"], "tranche_schedule")).status_code == 404
    assert client_for(users["office"]).get(url(named["academy"], "contest_subsidy")).status_code == 403


def test_office_is_warned_of_a_second_claim_of_the_same_item_and_year(named: dict[str, Any], users: dict[str, Any],
                                                                      client_for: Any) -> None:
    unit = client_for(users["unit"])
    for _ in range(2):
        unit.post(url(named["academy"], "contest_subsidy"), contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    first, second = SubsidyClaim.objects.order_by("id")
    html = client_for(users["office"]).get(f"/ledger/claims/{second.pk}/").content.decode()
    assert 'id="same-item-claims"' in html and f'href="/ledger/claims/{first.pk}/"' in html


def test_office_is_warned_when_claimed_upgrades_differ_from_the_trainee_records(
        named: dict[str, Any], users: dict[str, Any], client_for: Any) -> None:
    from jiangxin.platform.academy.models import Trainee

    d = named["academy"]
    Trainee.objects.create(academy=d.holder_org, name="学员", id_hash="h1", id_mask="x", sex="male",
                           birth_date=dt.date(1990, 1, 1), major="焊工", session_code="S1",
                           start_date=dt.date(YEAR, 1, 1), end_date=dt.date(YEAR, 1, 2),
                           level_before="intermediate", level_after="technician", upgraded=True)
    client_for(users["unit"]).post(url(d, "upgrade_subsidy"), {
        "upgrades__0__key": "技师", "upgrades__0__value": "5", "meta-year": str(YEAR), "meta-evidence": pdf(),
        "_submit": "1"})
    claim = SubsidyClaim.objects.get()
    html = client_for(users["office"]).get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert 'id="records-differ"' in html and "技师 1" in html
    # the studio of the same unit is not pre-filled with the academy's trainees
    studio_form = client_for(users["unit"]).get(url(named["studio"], "upgrade_subsidy")).context["form"]
    assert "upgrades__0__key" not in studio_form.initial


def test_the_office_is_told_of_a_new_claim_and_the_unit_of_the_decision(named: dict[str, Any],
                                                                        users: dict[str, Any],
                                                                        client_for: Any) -> None:
    from jiangxin.platform.notifications.models import Notification

    client_for(users["unit"]).post(url(named["academy"], "contest_subsidy"),
                                   contest_post(**{"meta-evidence": pdf(), "_submit": "1"}))
    claim = SubsidyClaim.objects.get()
    told = Notification.objects.get(recipient=users["office"])
    assert told.url == f"/ledger/claims/{claim.pk}/" and "待审核" in told.title
    client_for(users["office"]).post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "reject", "note": "发票不全"})
    result = Notification.objects.get(recipient=users["unit"])
    assert "未核准" in result.title and "发票不全" in result.body
