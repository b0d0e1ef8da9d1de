"""Each program's review chain as data (policy/workflow.py + programs/*/workflow.yaml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiangxin.policy.registry import PROGRAMS, all_computations, get_computation
from jiangxin.policy.workflow import (
    KINDS,
    WorkflowError,
    load_workflow,
    panel_shortlist,
    parse_workflow,
    return_deadline,
    workflow_programs,
)
from jiangxin.programs.nanchang_academy import naming as academy_naming
from jiangxin.programs.nanchang_studio import naming as studio_naming

all_computations()


def test_every_program_ships_a_workflow() -> None:
    assert workflow_programs() == sorted(PROGRAMS)


def test_nanchang_academy_art19_workflow_stage_keys_equal_the_naming_chain() -> None:
    wf = load_workflow("nanchang_academy")
    assert wf.keys == tuple(s.key for s in academy_naming.STAGES)
    for stage, policy_stage in zip(wf.stages, academy_naming.STAGES, strict=True):
        assert tuple(p.key for p in stage.parts) == tuple(p.key for p in policy_stage.parts)
        assert stage.citation == policy_stage.citation


def test_nanchang_studio_art7_workflow_stage_keys_equal_the_naming_chain() -> None:
    wf = load_workflow("nanchang_studio")
    assert wf.keys == tuple(s.key for s in studio_naming.STAGES)


def test_nanchang_academy_art19_field_visit_areas_and_shortlist_mark() -> None:
    wf = load_workflow("nanchang_academy")
    visit = wf.stage("field_visit")
    assert visit.kind == "site_visit"
    assert visit.areas == ("场地设备", "师资力量", "学系建设", "经费保障", "培训成效")
    review = wf.stage("on_site_review")
    assert review.shortlist_mark == "scoring_naming_shortlist_mark"
    assert wf.stage("recommendation").roles == ("district", "office")
    assert wf.final_key == "named" and wf.quota == "none"


def test_every_stage_computation_is_registered_and_kinds_are_known() -> None:
    for program in workflow_programs():
        wf = load_workflow(program)
        for stage in wf.stages:
            assert stage.kind in KINDS
            for s in (stage, *stage.parts):
                if s.computation:
                    assert get_computation(program, s.computation).name == s.computation


def test_next_stage_walks_the_chain_and_ends_at_the_final_state() -> None:
    wf = load_workflow("zhenjiang_park")
    seen = [wf.entry.key]
    while (nxt := wf.next_stage(seen[-1])) is not None:
        seen.append(nxt.key)
    assert seen == ["material_review", "site_inspection", "collective_review", "vote", "candidate_list",
                    "work_group_approval", "admission"]
    assert wf.final_key == "admitted"


def test_jiangsu_art3_track_a_is_recognised_and_track_b_selected() -> None:
    wf = load_workflow("jiangsu_technician")
    assert wf.entry_for("A").key == "direct_recognition"
    assert wf.entry_for("B").key == "selection"
    assert wf.next_stage("direct_recognition", "A").key == "city_confirmation"  # type: ignore[union-attr]
    assert wf.stage("city_confirmation").roles == ("district",)
    assert wf.stage("province_confirmation").computation == "class_size"


def test_studio_art7_submission_completes_the_application_stages() -> None:
    wf = load_workflow("nanchang_studio")
    assert [s.key for s in wf.application_stages] == ["unit_union_application", "party_admin_approval"]
    assert wf.entry.key == "qualification_review"


def test_nanchang_academy_annex1_panel_shortlist_at_80_inclusive_and_veto() -> None:
    wf = load_workflow("nanchang_academy")
    stage = wf.stage("on_site_review")
    params = PROGRAMS["nanchang_academy"].parameters()
    day = dt.date(2026, 11, 1)
    assert panel_shortlist(stage, Decimal("80"), False, params, day).value is True
    low = panel_shortlist(stage, Decimal("79.99"), False, params, day)
    assert low.value is False and [f.rule for f in low.failures] == ["panel_total_reaches_mark"]
    vetoed = panel_shortlist(stage, Decimal("95"), True, params, day)
    assert vetoed.value is False and [f.rule for f in vetoed.failures] == ["no_veto_item"]
    assert low.failures[0].citation.label.endswith("附件1备注2")


def test_return_deadline_counts_working_days_over_national_day() -> None:
    out = return_deadline(dt.date(2026, 9, 30), 5)
    # 1–7 October 2026 are holidays (I-WF-01 counts working days): 8, 9 (make-up Sat 10), 12, 13 …
    assert out.value > dt.date(2026, 10, 9)
    assert out.trace[0].citation.label.endswith("I-WF-01")


def test_a_malformed_workflow_is_refused_with_the_field_named() -> None:
    with pytest.raises(WorkflowError, match="kind must be one of"):
        parse_workflow({"program": "nanchang_academy", "final": {"key": "named", "title": "x"},
                        "return_working_days": 5,
                        "stages": [{"key": "a", "title": "a", "roles": ["office"], "cite": {"article": "第一条"},
                                    "kind": "nonsense", "actions": []}]}, "test")
    with pytest.raises(WorkflowError, match="final key"):
        parse_workflow({"program": "nanchang_academy", "final": {"key": "a", "title": "x"},
                        "return_working_days": 5,
                        "stages": [{"key": "a", "title": "a", "roles": ["office"], "cite": {"article": "第一条"},
                                    "kind": "naming", "actions": []}]}, "test")
