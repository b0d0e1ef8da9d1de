"""The generic points-rubric scorer (jiangxin.policy.rubric): every item kind, caps, floors, parts, vetoes."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Trace
from jiangxin.policy.rubric import (
    Rubric,
    RubricError,
    parse_rubric,
    rubric_facts_model,
    score_rubric,
)

C = {"article": "附件1"}

DEMO: dict[str, Any] = {
    "key": "test.demo",
    "title": "演示细则",
    "document": "nanchang_academy",
    "cite": C,
    "total_points": 70,
    "sections": [{"key": "a", "title": "甲部分", "points": 40, "group": "base"},
                 {"key": "b", "title": "乙部分", "points": 30, "group": "bonus"}],
    "items": [
        {"key": "ticks", "section": "a", "title": "勾选", "points": 3, "cite": C, "kind": "checklist",
         "ticks": {"甲": 1, "乙": 2, "丙": 1}},
        {"key": "counts", "section": "a", "title": "计数", "points": 5, "cite": C, "kind": "per_count",
         "weights": {"初级工": "0.1", "洪城工匠": 2, "全国技术能手": 5}},
        {"key": "threshold", "section": "a", "title": "门槛递增", "points": 6, "cite": C,
         "kind": "threshold_increment",
         "measures": {"sessions": {"title": "期数", "minimum": 3}, "people": {"title": "人数", "minimum": 300}},
         "base": 2, "step": {"measure": "people", "size": 100, "points": 1}},
        {"key": "presence", "section": "a", "title": "扣分", "points": 20, "cite": C, "kind": "deduction",
         "per_unit": 2},
        {"key": "placings", "section": "a", "title": "名次", "points": 6, "cite": C, "kind": "best_placing",
         "levels": {"市级": [{"best": 1, "worst": 3, "points": 1}],
                    "国家级": [{"best": 1, "worst": 3, "points": 5}, {"best": 4, "worst": 6, "points": 3}]}},
        {"key": "tiers", "section": "b", "title": "分档", "points": 20, "cite": C, "kind": "tiers",
         "breaks": [50, 100, 200], "tier_points": [5, 10, 15, 20], "boundary": "upper_inclusive", "minimum": 1},
        {"key": "combo", "section": "b", "title": "组合", "points": 10, "cite": C, "parts": [
            {"key": "grade", "title": "等次", "kind": "graded", "grades": {"优": 6, "良": 4, "无": 0}},
            {"key": "rate", "title": "满意率", "kind": "rate_tiers",
             "thresholds": [{"min": "0.95", "points": 1}, {"min": "0.98", "points": 2}]},
            {"key": "judged", "title": "评审", "kind": "manual", "points": 4},
            {"key": "missing", "title": "缺项扣分", "kind": "deduction", "points": 3,
             "reasons": {"无花名册": 2, "未带徒": 2}},
        ]},
        {"key": "veto", "title": "否决项", "cite": C, "kind": "veto"},
    ],
}
RUBRIC = parse_rubric(DEMO, "demo")

NONE: dict[str, Any] = {
    "ticks": [], "counts": {}, "threshold": {"sessions": 0, "people": 0}, "presence": 0, "placings": [],
    "tiers": 0, "combo": {"grade": "无", "rate": "0", "judged": "0", "missing": []}, "veto": False}


def entries(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(NONE)
    out.update(changes)
    return out


def score(**changes: Any) -> Any:
    return score_rubric(RUBRIC, entries(**changes), Trace())


# ---------------------------------------------------------------------------------------------- kinds


def test_checklist_sums_the_ticked_points_and_caps_at_the_item_points():
    assert score(ticks=["乙"]).item("ticks").awarded == 2
    full = score(ticks=["甲", "乙", "丙"]).item("ticks")
    assert (full.raw, full.awarded, full.cap, full.capped) == (4, 3, 3, True)


def test_checklist_accepts_a_mapping_of_booleans():
    assert score(ticks={"甲": True, "乙": False, "丙": True}).item("ticks").awarded == 2


def test_checklist_rejects_unknown_and_repeated_ticks_naming_the_field():
    with pytest.raises(FactsError) as err:
        score(ticks=["甲", "甲"])
    assert err.value.problems[0][0] == "ticks"
    with pytest.raises(FactsError) as err:
        score(ticks=["丁"])
    assert all(field.startswith("ticks") for field, _ in err.value.problems)


def test_per_count_weights_each_count_exactly_and_caps():
    assert score(counts={"初级工": 3}).item("counts").awarded == Decimal("0.3")
    capped = score(counts={"洪城工匠": 1, "全国技术能手": 1}).item("counts")
    assert (capped.raw, capped.awarded, capped.capped) == (7, 5, True)
    assert "封顶 5" in capped.detail


def test_per_count_rejects_negative_counts_and_unknown_categories():
    with pytest.raises(FactsError):
        score(counts={"初级工": -1})
    with pytest.raises(FactsError):
        score(counts={"大国工匠": 1})


def test_threshold_increment_base_then_only_complete_further_steps():
    def points(sessions: int, people: int) -> Decimal:
        return score(threshold={"sessions": sessions, "people": people}).item("threshold").awarded

    assert points(3, 300) == 2          # the minimum itself counts
    assert points(3, 399) == 2          # a part step earns nothing
    assert points(3, 400) == 3
    assert points(5, 650) == 5
    assert points(2, 1000) == 0         # every measure must reach its minimum
    assert points(3, 299) == 0
    assert points(3, 2000) == 6         # capped at the item points
    assert score(threshold={"sessions": 3, "people": 2000}).item("threshold").raw == 19


def test_tiers_upper_inclusive_puts_a_break_value_in_the_lower_tier():
    def points(n: int) -> Decimal:
        return score(tiers=n).item("tiers").awarded

    assert [points(n) for n in (0, 1, 50, 51, 100, 101, 200, 201, 5000)] == [0, 5, 5, 10, 10, 15, 15, 20, 20]


def test_tiers_lower_inclusive_puts_a_break_value_in_the_upper_tier():
    data = copy.deepcopy(DEMO)
    data["items"][5]["boundary"] = "lower_inclusive"
    rubric = parse_rubric(data)
    assert score_rubric(rubric, entries(tiers=50), Trace()).item("tiers").awarded == 10
    assert score_rubric(rubric, entries(tiers=49), Trace()).item("tiers").awarded == 5


def test_deduction_per_unit_subtracts_and_floors_at_zero():
    assert score(presence=0).item("presence").awarded == 20
    assert score(presence=3).item("presence").awarded == 14
    assert score(presence=10).item("presence").awarded == 0
    floored = score(presence=13).item("presence")
    assert (floored.raw, floored.awarded, floored.capped) == (-6, 0, True)
    assert "最低 0" in floored.detail


def test_deduction_by_reasons_within_a_part_floors_at_zero():
    combo = score(combo={"grade": "无", "rate": 0, "judged": 0, "missing": ["无花名册"]}).item("combo")
    assert combo.parts[3].awarded == 1
    both = score(combo={"grade": "无", "rate": 0, "judged": 0, "missing": {"无花名册": True, "未带徒": True}})
    part = both.item("combo").parts[3]
    assert (part.raw, part.awarded) == (-1, 0)


def test_best_placing_counts_each_person_once_at_their_best_without_accumulation():
    placings = [{"person": "张三", "level": "市级", "placing": 1},
                {"person": "张三", "level": "国家级", "placing": 5},
                {"person": "李四", "level": "市级", "placing": 2}]
    item = score(placings=placings).item("placings")
    assert item.awarded == 4            # 张三: national 5th (3), not 3 + 1; 李四: city 2nd (1)
    assert "每人只计最高" in item.detail


def test_best_placing_outside_every_band_earns_nothing_and_the_sum_is_capped():
    assert score(placings=[{"person": "王五", "level": "国家级", "placing": 7}]).item("placings").awarded == 0
    many = [{"person": f"p{i}", "level": "国家级", "placing": 1} for i in range(3)]
    item = score(placings=many).item("placings")
    assert (item.raw, item.awarded) == (15, 6)


def test_best_placing_rejects_a_placing_of_zero_and_unknown_levels():
    with pytest.raises(FactsError):
        score(placings=[{"person": "a", "level": "市级", "placing": 0}])
    with pytest.raises(FactsError):
        score(placings=[{"person": "a", "level": "省级", "placing": 1}])


def test_rate_tiers_reaching_the_threshold_counts_and_percentages_are_rejected():
    def rate(value: str) -> Decimal:
        return score(combo={"grade": "无", "rate": value, "judged": 0, "missing": []}).item("combo").parts[1].awarded

    assert [rate(v) for v in ("0.9499", "0.95", "0.9799", "0.98", "1")] == [0, 1, 1, 2, 2]
    with pytest.raises(FactsError) as err:
        rate("95")
    assert err.value.problems[0][0] == "combo.rate"


def test_graded_maps_the_label_and_rejects_others():
    assert score(combo={"grade": "优", "rate": 0, "judged": 0, "missing": []}).item("combo").parts[0].awarded == 6
    with pytest.raises(FactsError):
        score(combo={"grade": "中", "rate": 0, "judged": 0, "missing": []})


def test_manual_score_must_lie_within_zero_and_its_points():
    assert score(combo={"grade": "无", "rate": 0, "judged": "3.5", "missing": []}).item("combo").awarded == Decimal(
        "6.5")  # 3.5 + the untouched deduction part's 3
    with pytest.raises(FactsError):
        score(combo={"grade": "无", "rate": 0, "judged": "4.5", "missing": []})


def test_parts_are_summed_then_capped_at_the_item_points_with_a_breakdown_per_part():
    combo = score(combo={"grade": "优", "rate": "0.99", "judged": 4, "missing": []}).item("combo")
    assert [(p.key, p.awarded) for p in combo.parts] == [("grade", 6), ("rate", 2), ("judged", 4), ("missing", 3)]
    assert (combo.raw, combo.awarded, combo.cap, combo.capped) == (15, 10, 10, True)
    data = combo.to_dict()
    assert data["parts"][0]["raw"] == "6" and data["capped"] is True


def test_veto_makes_the_result_vetoed_whatever_the_total_and_records_a_failed_check():
    trace = Trace()
    result = score_rubric(RUBRIC, entries(ticks=["甲", "乙"], presence=0, veto=True), trace)
    assert result.vetoed and result.total == 26
    failed = [s for s in trace.steps if s.passed is False]
    assert [s.rule for s in failed] == ["test.demo.veto"]
    assert not score(veto=False).vetoed


# ---------------------------------------------------------------------------------------------- whole


def test_sections_groups_and_total_add_up_and_the_trace_has_one_step_per_item():
    trace = Trace()
    result = score_rubric(RUBRIC, entries(ticks=["甲"], counts={"洪城工匠": 1}, tiers=60), trace)
    assert result.sections == {"a": 23, "b": 13}
    assert result.groups == {"base": 23, "bonus": 13}
    assert result.total == 36
    assert [s.rule for s in trace.steps] == [f"test.demo.{i.key}" for i in RUBRIC.items] + ["test.demo.total"]
    assert all(s.citation.article == "附件1" for s in trace.steps)


def test_missing_and_unknown_items_are_rejected_together():
    raw = entries()
    del raw["ticks"]
    raw["tick"] = []
    with pytest.raises(FactsError) as err:
        score_rubric(RUBRIC, raw, Trace())
    assert {f for f, _ in err.value.problems} == {"ticks", "tick"}


def test_facts_model_has_one_field_per_item_and_is_accepted_by_the_scorer():
    model = rubric_facts_model(RUBRIC)
    assert set(model.model_fields) == {"as_of"} | {i.key for i in RUBRIC.items}
    facts = model.model_validate({"as_of": "2025-01-01", **entries(presence=1)})
    assert score_rubric(RUBRIC, facts, Trace()).item("presence").awarded == 18
    assert "扣分" in (model.model_fields["presence"].description or "")
    with pytest.raises(Exception):  # noqa: B017 - pydantic's ValidationError: unknown field
        model.model_validate({"as_of": "2025-01-01", **entries(), "extra": 1})


def test_a_non_official_rubric_notes_it_on_the_total_step():
    data = copy.deepcopy(DEMO) | {"official": False, "notice": "模板，非正式标准"}
    trace = Trace()
    score_rubric(parse_rubric(data), entries(), trace)
    assert "非正式标准" in trace.steps[-1].note


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["sections"][0].update(points=41), "add up to"),
    (lambda d: d.update(total_points=71), "total_points"),
    (lambda d: d["items"][0].update(title="这是一个明显过长的标题用来确认不会抄录政策原文句子"), "too long"),
    (lambda d: d["items"][5].pop("boundary"), "boundary"),
    (lambda d: d["items"][0].update(kind="bonus"), "kind must be"),
    (lambda d: d["items"][0].pop("cite"), "cite"),
    (lambda d: d.update(official=False), "notice"),
    (lambda d: d["items"][3].pop("per_unit"), "per_unit"),
    (lambda d: d["items"][1].update(key="Counts"), "identifier"),
])
def test_malformed_rubrics_are_refused_with_the_reason(change, message):
    data = copy.deepcopy(DEMO)
    change(data)
    with pytest.raises(RubricError, match=message):
        parse_rubric(data, "bad")


# ---------------------------------------------------------------------------------------------- properties

counts = st.dictionaries(st.sampled_from(["初级工", "洪城工匠", "全国技术能手"]), st.integers(0, 50))
placing = st.fixed_dictionaries({"person": st.sampled_from(["a", "b", "c"]),
                                 "level": st.sampled_from(["市级", "国家级"]), "placing": st.integers(1, 9)})


@settings(max_examples=150, deadline=None)
@given(ticks=st.lists(st.sampled_from(["甲", "乙", "丙"]), unique=True), counts=counts,
       sessions=st.integers(0, 6), people=st.integers(0, 900), missing=st.integers(0, 15),
       placings=st.lists(placing, max_size=6), trained=st.integers(0, 400),
       grade=st.sampled_from(["优", "良", "无"]), rate=st.decimals("0", "1", places=3),
       judged=st.decimals("0", "4", places=1), veto=st.booleans())
def test_every_awarded_score_lies_within_zero_and_its_cap_and_the_total_is_their_sum(
        ticks, counts, sessions, people, missing, placings, trained, grade, rate, judged, veto):
    result = score_rubric(RUBRIC, {
        "ticks": ticks, "counts": counts, "threshold": {"sessions": sessions, "people": people},
        "presence": missing, "placings": placings, "tiers": trained,
        "combo": {"grade": grade, "rate": rate, "judged": judged, "missing": []}, "veto": veto}, Trace())
    for item in result.items:
        assert Decimal(0) <= item.awarded <= (item.cap if item.cap is not None else Decimal(0))
        assert item.capped == (item.awarded != item.raw)
    assert result.total == sum((i.awarded for i in result.items), Decimal(0))
    assert Decimal(0) <= result.total <= RUBRIC.max_total
    assert result.vetoed is veto


@settings(max_examples=60, deadline=None)
@given(placings=st.lists(placing, max_size=8))
def test_best_placing_never_exceeds_one_top_placing_per_person(placings):
    item = score(placings=placings).item("placings")
    persons = {p["person"] for p in placings}
    assert item.raw <= 5 * len(persons)


def test_rubric_is_hashable_for_caching():
    assert isinstance(RUBRIC, Rubric) and hash(RUBRIC) == hash(RUBRIC)
