"""镇江技能大师产业创新园 附件2 evaluation: 200 points via the rubric engine, presence from monthly logs."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.errors import FactsError, ParameterError, UnsetParameterError
from jiangxin.policy.registry import get_computation

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "programs" / "zhenjiang_park"
                      / "examples" / "evaluation.json").read_text(encoding="utf-8"))["facts"]

FULL_MARKS: dict[str, Any] = {
    "as_of": "2025-12-31", "days_on_site": {f"2025-{m:02d}": 10 for m in range(1, 13)},
    "signage": ["有标识"], "development_plan": "有实质内容的规划", "honours_board": ["有展示栏"],
    "equipment": ["设备足以正常运作"], "management_rules": ["已建立"], "leader_duties": ["已建立"],
    "rules_posted": ["已在明显处张贴"], "plans_and_logs": ["已建立"], "process_ledger": ["已建立且齐全"],
    "training_apprentices": [], "tech_projects": ["已开展且有经济效益"], "exchange_events": ["已开展至少一次"],
    "social_service": ["已参加"], "trainees_certified": 201, "media_reports": {"部级": 1},
    "achievements": {"部级": 1}, "economic_benefit": "优"}


def evaluate(facts: dict[str, Any], pass_mark: Any = 120):
    params = None if pass_mark is None else {"evaluation_pass_mark": pass_mark}
    return get_computation("zhenjiang_park", "evaluation").run(facts, params)


def item(outcome, key: str) -> Decimal:
    return next(Decimal(i["awarded"]) for i in outcome.value["breakdown"] if i["key"] == key)


def test_zhenjiang_annex2_base_plus_bonus_totals_two_hundred():
    out = evaluate(FULL_MARKS)
    assert out.value["total"] == Decimal(200)
    assert (out.value["base"], out.value["bonus"]) == (Decimal(100), Decimal(100))
    assert out.status.value == "passed"


def test_zhenjiang_annex2_worked_example_scores_157():
    out = evaluate(EXAMPLE)
    assert out.value["missing_days"] == 3
    assert item(out, "monthly_presence") == Decimal(14)
    assert (out.value["total"], out.value["base"], out.value["bonus"]) == (Decimal(157), Decimal(87), Decimal(70))
    assert out.value["sections"] == {"infrastructure": Decimal(36), "rules": Decimal(10), "daily": Decimal(12),
                                     "output": Decimal(29), "bonus": Decimal(70)}
    assert out.value["passed"] is True


def test_zhenjiang_annex2_item2_nine_days_costs_two_points_in_the_evaluation():
    facts = copy.deepcopy(FULL_MARKS)
    facts["days_on_site"]["2025-06"] = 9
    out = evaluate(facts)
    assert item(out, "monthly_presence") == Decimal(18)
    assert out.value["total"] == Decimal(198)


def test_zhenjiang_annex2_presence_floor_zero_in_the_evaluation():
    facts = copy.deepcopy(FULL_MARKS)
    facts["days_on_site"] = {"2025-01": 0, "2025-02": 0}
    out = evaluate(facts)
    assert out.value["missing_days"] == 20
    assert item(out, "monthly_presence") == Decimal(0)
    assert out.value["total"] == Decimal(180)


def test_zhenjiang_annex2_pass_mark_is_not_set_by_the_policy():
    with pytest.raises(UnsetParameterError) as err:
        evaluate(EXAMPLE, pass_mark=None)
    assert err.value.name == "evaluation_pass_mark"
    assert "not set by the policy" in str(err.value)


def test_zhenjiang_annex2_reaching_the_pass_mark_passes_and_below_fails():
    assert evaluate(EXAMPLE, pass_mark=157).status.value == "passed"
    out = evaluate(EXAMPLE, pass_mark="157.5")
    assert out.status.value == "failed" and [s.rule for s in out.failures] == ["evaluation_pass_mark"]


def test_zhenjiang_annex2_pass_mark_beyond_the_total_is_refused():
    with pytest.raises(ParameterError):
        evaluate(EXAMPLE, pass_mark=201)


def test_zhenjiang_annex2_presence_item_comes_from_the_logs_not_entered_directly():
    facts = {**EXAMPLE, "monthly_presence": 0}
    with pytest.raises(FactsError) as err:
        evaluate(facts)
    assert "monthly_presence" in str(err.value)
    facts = {k: v for k, v in EXAMPLE.items() if k != "economic_benefit"}
    with pytest.raises(FactsError) as err:
        evaluate(facts)
    assert "economic_benefit" in str(err.value)


def test_zhenjiang_annex2_presence_logs_are_validated_as_in_presence():
    facts = copy.deepcopy(EXAMPLE)
    facts["days_on_site"]["2025-02"] = 29
    with pytest.raises(FactsError) as err:
        evaluate(facts)
    assert "2025-02" in str(err.value)


def test_zhenjiang_annex2_every_item_is_cited_to_its_row():
    out = evaluate(EXAMPLE)
    clauses = {c.clause for c in out.citations if c.article == "附件2"}
    assert "（第2项）" in clauses and "（加分项目第4项）" in clauses and "基础分第2项" in clauses


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([f"2025-{m:02d}" for m in range(1, 13)]),
                       st.integers(min_value=0, max_value=28), min_size=1, max_size=12))
def test_zhenjiang_annex2_presence_item_matches_the_presence_computation(days):
    facts = {**FULL_MARKS, "days_on_site": days}
    scored = item(evaluate(facts), "monthly_presence")
    alone = get_computation("zhenjiang_park", "presence").run({"as_of": "2025-12-31", "days_on_site": days})
    assert scored == alone.value["points"]


def test_zhenjiang_annex2_residency_case_evaluation_totals_95():
    import yaml

    cases = yaml.safe_load((Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "programs" / "zhenjiang_park"
                            / "cases" / "residency.yaml").read_text(encoding="utf-8"))
    case = next(c for c in cases if c["computation"] == "evaluation")
    out = get_computation("zhenjiang_park", "evaluation").run(case["facts"], case["parameters"])
    assert (out.value["total"], out.value["base"], out.value["bonus"]) == (Decimal(95), Decimal(60), Decimal(35))
    assert out.value["missing_days"] == 17 and item(out, "monthly_presence") == Decimal(0)
    rect = next(c for c in cases if c["computation"] == "rectification")
    assert Decimal(rect["facts"]["evaluation_total"]) == out.value["total"]
