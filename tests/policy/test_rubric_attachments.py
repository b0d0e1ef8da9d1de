"""The attachments' scoring tables as rubric data: Nanchang academy 附件1/附件2, Zhenjiang 附件2,
Jiangsu 附件4 and the Nanchang studio template, with the computations built on them."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Status, Trace
from jiangxin.policy.registry import get_computation
from jiangxin.policy.rubric import (
    BestPlacing,
    Checklist,
    Deduction,
    Graded,
    Manual,
    Parts,
    PerCount,
    RateTiers,
    Rubric,
    Scorer,
    ThresholdIncrement,
    Tiers,
    Veto,
    load_rubric,
    parse_rubric,
    score_rubric,
)
from jiangxin.programs.nanchang_studio.scoring import score_assessment

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "src" / "jiangxin" / "programs"
#: the policy texts sit in shared/ beside the checkout (CI and developers alike)
POLICIES = ROOT.parent / "shared" / "policies"
NAMING = load_rubric(PROGRAMS / "nanchang_academy" / "rubrics" / "naming.yaml")
ANNUAL = load_rubric(PROGRAMS / "nanchang_academy" / "rubrics" / "annual.yaml")
ZHENJIANG = load_rubric(PROGRAMS / "zhenjiang_park" / "rubrics" / "evaluation.yaml")
JIANGSU = load_rubric(PROGRAMS / "jiangsu_technician" / "rubrics" / "unit_acceptance.yaml")
STUDIO = load_rubric(PROGRAMS / "nanchang_studio" / "rubrics" / "assessment-template.yaml")
ALL = {"naming": NAMING, "annual": ANNUAL, "zhenjiang": ZHENJIANG, "jiangsu": JIANGSU, "studio": STUDIO}
AS_OF = "2025-11-20"


def _input(scorer: Scorer, full: bool) -> Any:
    """Full marks (``full``) or nothing earned, for any kind."""
    if isinstance(scorer, Parts):
        return {p.key: _input(p.scorer, full) for p in scorer.parts}
    if isinstance(scorer, Checklist):
        return list(scorer.ticks) if full else []
    if isinstance(scorer, PerCount):
        best = max(scorer.weights, key=lambda k: scorer.weights[k])
        return {best: 100} if full else {}
    if isinstance(scorer, ThresholdIncrement):
        return {m.name: int(m.minimum) + (1000 if full else -int(m.minimum)) for m in scorer.measures}
    if isinstance(scorer, Tiers):
        return 100000 if full else 0
    if isinstance(scorer, Graded):
        pick = max if full else min
        return pick(scorer.grades, key=lambda k: scorer.grades[k])
    if isinstance(scorer, Deduction):
        if scorer.per_unit is not None:
            return 0 if full else 1000
        return [] if full else list(scorer.reasons)
    if isinstance(scorer, BestPlacing):
        if not full:
            return []
        return [{"person": f"p{i}-{level}", "level": level, "placing": 1} for level in scorer.levels
                for i in range(5)]
    if isinstance(scorer, RateTiers):
        return "1" if full else "0"
    if isinstance(scorer, Veto):
        return False
    if isinstance(scorer, Manual):
        assert scorer.points is not None
        return str(scorer.points) if full else "0"
    raise AssertionError(type(scorer))


def full(rubric: Rubric, **changes: Any) -> dict[str, Any]:
    out = {item.key: _input(item.scorer, True) for item in rubric.items}
    out.update(changes)
    return out


def blank(rubric: Rubric, **changes: Any) -> dict[str, Any]:
    out = {item.key: _input(item.scorer, False) for item in rubric.items}
    out.update(changes)
    return out


def facts(entries: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": AS_OF, **entries}


def drop_ticks(entries: dict[str, Any], rubric: Rubric, n: int) -> dict[str, Any]:
    """Remove ``n`` one-point ticks from the checklist items (each removal costs exactly one point)."""
    out = copy.deepcopy(entries)
    for item in rubric.items:
        if isinstance(item.scorer, Checklist):
            for label, points in item.scorer.ticks.items():
                if n and points == 1:
                    out[item.key].remove(label)
                    n -= 1
    assert n == 0, "not enough one-point ticks"
    return out


# ------------------------------------------------------------------------------------ all rubrics


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_rubric_item_points_add_up_to_its_sections_and_total(name):
    rubric = ALL[name]
    for section in rubric.sections:
        assert sum(i.points for i in rubric.items if i.section == section.key) == section.points
    assert sum(s.points for s in rubric.sections) == rubric.max_total
    assert all(i.citation.article for i in rubric.items)


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_rubric_scores_full_marks_and_zero(name):
    rubric = ALL[name]
    assert score_rubric(rubric, full(rubric), Trace()).total == rubric.max_total
    # Zhenjiang item 11 lists deductions of 4 + 2 + 5 from 15 points: 4 remain at worst (I-RUB-02).
    assert score_rubric(rubric, blank(rubric), Trace()).total == (4 if name == "zhenjiang" else 0)


def test_stated_section_points_of_each_attachment():
    def sections(r: Rubric) -> dict[str, Decimal]:
        return {s.title: s.points for s in r.sections}

    assert sections(NAMING) == {"场地设备": 10, "师资队伍": 10, "培训体系": 15, "培训能力": 30,
                                "劳动和技能竞赛": 15, "创新成果": 15, "示范效应": 5}
    assert sections(ANNUAL) == {"工作开展": 10, "师资队伍建设": 10, "职业技能培训": 40, "劳动和技能竞赛": 20,
                                "技术攻关": 15, "示范效应": 5}
    assert sections(ZHENJIANG) == {"基础建设": 42, "制度建设": 12, "日常管理": 12, "成果产出": 34, "加分项目": 100}
    assert ZHENJIANG.groups == {"base": 100, "bonus": 100} and ZHENJIANG.max_total == 200
    assert sections(JIANGSU) == {"培训过程": 55, "学员效果": 20, "管理服务": 25}


def _han_runs(text: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]+", text)


@pytest.mark.skipif(not POLICIES.exists(), reason="policy texts not available")
def test_rubric_data_never_copies_twenty_han_characters_of_a_policy_text():
    policy = "".join(_han_runs("".join(p.read_text(encoding="utf-8") for p in POLICIES.glob("*.txt"))))
    for path in PROGRAMS.glob("*/rubrics/*.yaml"):
        for run in _han_runs(path.read_text(encoding="utf-8")):
            for i in range(len(run) - 19):
                assert run[i:i + 20] not in policy, f"{path.name} copies {run[i:i + 20]!r}"


# ------------------------------------------------------------------------------------ Nanchang academy 附件1


def test_nanchang_academy_annex1_veto_item_blocks_shortlist_even_at_100():
    out = get_computation("nanchang_academy", "naming_score").run(
        facts(full(NAMING, compliance_violation=True)))
    assert out.value["total"] == 100 and out.value["vetoed"] is True
    assert out.value["shortlisted"] is False and out.status is Status.FAILED
    assert [s.rule for s in out.failures] == ["nanchang_academy.naming.compliance_violation"]
    assert out.failures[0].citation.clause == "（一票否决项）"


def test_nanchang_academy_annex1_note2_shortlists_at_exactly_80_and_not_below():
    comp = get_computation("nanchang_academy", "naming_score")
    at_80 = comp.run(facts(drop_ticks(full(NAMING), NAMING, 20)))
    assert (at_80.value["total"], at_80.value["shortlisted"], at_80.status) == (80, True, Status.PASSED)
    at_79 = comp.run(facts(drop_ticks(full(NAMING), NAMING, 21)))
    assert (at_79.value["total"], at_79.value["shortlisted"]) == (79, False)
    assert [s.rule for s in at_79.failures] == ["naming_shortlist_mark"]
    assert {c.article for c in at_79.citations} >= {"第十九条", "附件1"}
    assert any(c.clause == "备注2" for c in at_79.citations)


def test_nanchang_academy_annex1_faculty_honours_one_national_technician_fills_the_five_points():
    result = score_rubric(NAMING, blank(NAMING, faculty_honours={"全国技术能手": 1, "洪城工匠或洪城技师": 1}),
                          Trace())
    item = result.item("faculty_honours")
    assert (item.raw, item.awarded, item.capped) == (7, 5, True)


def test_nanchang_academy_annex1_promotions_weigh_tenths_and_are_capped_with_the_authorisation():
    item = score_rubric(NAMING, blank(NAMING, skill_upgrading={
        "authorisation": ["获人社部门授权"], "promotions": {"初级工": 25, "中级工": 3}}), Trace()).item("skill_upgrading")
    assert [p.awarded for p in item.parts] == [2, Decimal("4")]   # 25 × 0.1 + 3 × 0.5
    assert item.awarded == Decimal("6")
    big = score_rubric(NAMING, blank(NAMING, skill_upgrading={
        "authorisation": ["获人社部门授权"], "promotions": {"首席技师": 3}}), Trace()).item("skill_upgrading")
    assert (big.raw, big.awarded) == (17, 15)


def test_nanchang_academy_annex1_contest_hosting_one_point_per_capable_occupation():
    def hosting(occupations: int) -> Decimal:
        return score_rubric(NAMING, blank(NAMING, contest_hosting={
            "hosting_capability": {"occupations": occupations}, "hosted": {}}), Trace()).item("contest_hosting").awarded

    assert [hosting(n) for n in (0, 1, 2, 9)] == [0, 1, 2, 7]


# ------------------------------------------------------------------------------------ Nanchang academy 附件2


def _training_tasks(sessions: int, trainees: int, welfare_sessions: int = 0, person_times: int = 0) -> Any:
    entries = blank(ANNUAL, training_tasks={
        "skill_upgrading": {"sessions": sessions, "trainees": trainees},
        "public_welfare": {"sessions": welfare_sessions, "person_times": person_times},
        "commissioned": {"sessions": 0}})
    return score_rubric(ANNUAL, entries, Trace()).item("training_tasks")


def test_nanchang_academy_annex2_training_threshold_then_one_point_per_further_hundred():
    assert _training_tasks(3, 300).awarded == 2
    assert _training_tasks(3, 399).awarded == 2
    assert _training_tasks(3, 400).awarded == 3
    assert _training_tasks(4, 850).awarded == 7
    assert _training_tasks(2, 900).awarded == 0      # three sessions are required as well
    assert _training_tasks(3, 299).awarded == 0


def test_nanchang_academy_annex2_public_welfare_two_sessions_hundred_then_per_fifty():
    assert _training_tasks(0, 0, 2, 100).parts[1].awarded == 2
    assert _training_tasks(0, 0, 2, 149).parts[1].awarded == 2
    assert _training_tasks(0, 0, 2, 250).parts[1].awarded == 5
    assert _training_tasks(0, 0, 1, 250).parts[1].awarded == 0
    capped = _training_tasks(5, 2000, 2, 600)          # 2 + 17 and 2 + 10 → capped at 15
    assert (capped.raw, capped.awarded, capped.capped) == (31, 15, True)


def test_nanchang_academy_annex2_placings_best_once_per_person_no_accumulation():
    placings = [{"person": "张三", "level": "市级", "placing": 1},
                {"person": "张三", "level": "省级", "placing": 3},
                {"person": "张三", "level": "国家级", "placing": 6},
                {"person": "李四", "level": "国家级", "placing": 2},
                {"person": "王五", "level": "国家级", "placing": 8}]
    item = score_rubric(ANNUAL, blank(ANNUAL, contest_placings=placings), Trace()).item("contest_placings")
    assert item.raw == 8                # 张三 3 (national 6th) + 李四 5 + 王五 0
    assert item.awarded == 8


def test_nanchang_academy_annex2_satisfaction_95_and_98_percent_included():
    def satisfaction(rate: str) -> Decimal:
        entries = blank(ANNUAL)
        entries["training_results"]["satisfaction"] = rate
        return score_rubric(ANNUAL, entries, Trace()).item("training_results").awarded

    assert [satisfaction(r) for r in ("0.94", "0.95", "0.979", "0.98")] == [0, 1, 1, 2]


def test_nanchang_academy_annex2_note2_grades_80_85_90_each_mark_included():
    comp = get_computation("nanchang_academy", "annual_score")

    def grade(dropped: int) -> tuple[Any, Any, Any]:
        out = comp.run(facts(drop_ticks(full(ANNUAL), ANNUAL, dropped)))
        return out.value["total"], out.value["grade"], out.value["passed"]

    assert grade(10) == (90, "优秀", True)
    assert grade(11) == (89, "良好", True)
    assert grade(15) == (85, "良好", True)
    assert grade(20) == (80, "合格", True)
    assert grade(21) == (79, "不合格", False)


def test_nanchang_academy_art23_annual_score_cites_the_article_and_the_annex():
    out = get_computation("nanchang_academy", "annual_score").run(facts(blank(ANNUAL)))
    assert out.status is Status.FAILED and [s.rule for s in out.failures] == ["annual_pass"]
    assert {c.article for c in out.citations} >= {"第二十三条", "附件2"}


# ------------------------------------------------------------------------------------ Zhenjiang 附件2


def _zj(**changes: Any) -> Any:
    return score_rubric(ZHENJIANG, full(ZHENJIANG, **changes), Trace())


def test_zhenjiang_annex2_presence_deduction_floors_at_zero():
    assert [_zj(monthly_presence=n).item("monthly_presence").awarded for n in (0, 1, 3, 9, 10, 11, 40)] == \
        [20, 18, 14, 2, 0, 0, 0]
    assert _zj(monthly_presence=40).total == 180


def test_zhenjiang_annex2_item11_deducts_roster_apprentice_and_result_separately():
    def item11(reasons: list[str]) -> Decimal:
        return _zj(training_apprentices=reasons).item("training_apprentices").awarded

    assert item11([]) == 15
    assert item11(["未建培训花名册"]) == 11
    assert item11(["未结对带徒"]) == 13
    assert item11(["带徒未出成果"]) == 10
    assert item11(["未建培训花名册", "未结对带徒", "带徒未出成果"]) == 4


def test_zhenjiang_annex2_bonus1_trainee_tiers_with_the_break_in_the_lower_tier():
    got = [_zj(trainees_certified=n).item("trainees_certified").awarded for n in (0, 1, 50, 51, 100, 101, 200, 201)]
    assert got == [0, 5, 5, 10, 10, 15, 15, 20]


def test_zhenjiang_annex2_bonus2_media_reports_per_report_by_level_capped_at_20():
    def media(counts: dict[str, int]) -> Any:
        return _zj(media_reports=counts).item("media_reports")

    assert media({"市级": 1}).awarded == 5
    assert media({"市级": 1, "省级": 1}).awarded == 15
    assert (media({"部级": 1, "市级": 1}).raw, media({"部级": 1, "市级": 1}).awarded) == (25, 20)


def test_zhenjiang_annex2_bonus4_economic_benefit_graded_40_30_20():
    assert [_zj(economic_benefit=g).item("economic_benefit").awarded for g in ("优", "良", "中", "无显著效益")] == \
        [40, 30, 20, 0]


def test_zhenjiang_annex2_base_and_bonus_are_separate_hundreds():
    result = score_rubric(ZHENJIANG, full(ZHENJIANG, economic_benefit="中", signage=[]), Trace())
    assert result.groups == {"base": 95, "bonus": 80}
    assert result.total == 175


def test_zhenjiang_annex2_development_plan_without_substance_loses_five():
    assert _zj(development_plan="规划无实质内容").item("development_plan").awarded == 5
    assert _zj(development_plan="无规划").item("development_plan").awarded == 0


# ------------------------------------------------------------------------------------ Jiangsu 附件4


def test_jiangsu_annex4_twenty_items_of_five_points():
    assert len(JIANGSU.items) == 20
    assert all(i.points == 5 and i.kind == "manual" for i in JIANGSU.items)
    assert [i.citation.clause for i in JIANGSU.items] == [f"（第{n}项）" for n in range(1, 21)]
    counts = {s.key: sum(1 for i in JIANGSU.items if i.section == s.key) for s in JIANGSU.sections}
    assert counts == {"process": 11, "trainees": 4, "service": 5}


def test_jiangsu_art22_unit_acceptance_totals_the_judgements_out_of_100():
    comp = get_computation("jiangsu_technician", "unit_acceptance_score")
    entries = {i.key: "4.5" for i in JIANGSU.items}
    out = comp.run(facts(entries))
    assert out.value["total"] == 90 and out.status is Status.OK
    assert out.value["sections"] == {"process": Decimal("49.5"), "trainees": 18, "service": Decimal("22.5")}
    assert {c.article for c in out.citations} >= {"第二十二条", "附件4"}


def test_jiangsu_annex4_a_judgement_above_five_points_is_rejected():
    comp = get_computation("jiangsu_technician", "unit_acceptance_score")
    entries = {i.key: "5" for i in JIANGSU.items} | {"teaching_methods": "6"}
    with pytest.raises(FactsError) as err:
        comp.run(facts(entries))
    assert err.value.problems[0][0] == "teaching_methods"


# ------------------------------------------------------------------------------------ Nanchang studio template


def test_nanchang_studio_template_result_is_flagged_not_official_in_value_and_trace():
    out = get_computation("nanchang_studio", "assessment_score").run(
        facts(full(STUDIO)), {"scoring_assessment_pass_mark": 80})
    assert out.value["official"] is False and "不是" in out.value["notice"]
    assert out.value["total"] == 100 and out.value["passed"] is True
    notes = [s.note for s in out.trace if "非正式标准" in s.note]
    assert len(notes) >= 2      # the flag step and the rubric total
    assert any(s.citation.article == "I-RUB-12" for s in out.trace)


def test_nanchang_studio_art11_pass_mark_is_unset_so_passed_stays_undetermined():
    out = get_computation("nanchang_studio", "assessment_score").run(facts(full(STUDIO)))
    assert out.value["pass_mark"] is None and out.value["passed"] is None
    assert out.status is Status.OK
    assert any(s.rule == "assessment_pass_mark_unset" and s.citation.article == "第十一条" for s in out.trace)


def test_nanchang_studio_art15_falsification_fails_the_assessment_whatever_the_total():
    out = get_computation("nanchang_studio", "assessment_score").run(facts(full(STUDIO, falsification=True)))
    assert out.value["vetoed"] is True and out.value["passed"] is False and out.status is Status.FAILED


def test_nanchang_studio_office_rubric_replaces_the_template_and_drops_the_flag():
    data = yaml.safe_load((PROGRAMS / "nanchang_studio" / "rubrics" / "assessment-template.yaml").read_text("utf-8"))
    data.update(key="nanchang_studio.assessment", official=True, notice="")
    data["sections"][0]["points"] = 20
    data["sections"][1]["points"] = 10
    data["items"][0]["points"] = 20
    data["items"][1]["ticks"] = {"团队相对固定": 5, "结构合理": 5}
    data["items"][1]["points"] = 10
    office = parse_rubric(data, "office")
    params = get_computation("nanchang_studio", "assessment_score").program.parameters().with_overrides(
        {"scoring_assessment_pass_mark": 85}, reference="洪工字〔2025〕1号")
    entries = full(office)
    entries["leader_profile"] = "12"
    out = score_assessment(office, entries, dt.date(2025, 12, 1), params)
    assert out.value["official"] is True and out.value["total"] == 92 and out.value["passed"] is True
    assert not any("非正式" in s.note for s in out.trace)
    assert any(s.citation.document == "office" for s in out.trace)
