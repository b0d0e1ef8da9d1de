"""Properties of the selection machines (rank, quota cut, grade caps) plus worked examples."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.outcome import Trace, cite
from jiangxin.policy.selection import (
    Candidate,
    Ranked,
    SelectionError,
    cap_grades,
    rank,
    select_within_quota,
)

CITE = cite("interpretation", "I-SEL-01")
GRADES = ("优秀", "良好", "合格", "不合格")

scores = st.integers(min_value=60, max_value=70).map(Decimal)  # narrow range → many ties
candidate_lists = st.lists(
    st.tuples(scores, st.integers(min_value=0, max_value=1)), min_size=0, max_size=25,
).map(lambda rows: [Candidate(f"c{i:02d}", s, p) for i, (s, p) in enumerate(rows)])


# --- rank ---------------------------------------------------------------------------------------------

def test_rank_worked_example_competition_ranking_and_priority_only_on_equal_score():
    ranked = rank([Candidate("d", Decimal("88")), Candidate("a", Decimal("90")),
                   Candidate("c", Decimal("88"), priority=1), Candidate("b", Decimal("88")),
                   Candidate("e", Decimal("87"), priority=5)])
    assert [(r.key, r.rank, r.tied) for r in ranked] == [
        ("a", 1, False), ("c", 2, False), ("b", 3, True), ("d", 3, True), ("e", 5, False)]


def test_rank_rejects_duplicate_keys():
    with pytest.raises(SelectionError, match="twice"):
        rank([Candidate("a", Decimal(1)), Candidate("a", Decimal(2))])


@given(candidate_lists, st.randoms(use_true_random=False))
def test_rank_is_independent_of_input_order(cands, rnd):
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert rank(shuffled) == rank(cands)


@given(candidate_lists)
def test_rank_respects_score_then_priority_only_on_equal_score(cands):
    ranked = rank(cands)
    assert len(ranked) == len(cands)
    for a, b in pairwise(ranked):
        assert a.score >= b.score
        if a.score == b.score:
            assert a.priority >= b.priority
        assert a.rank <= b.rank
        # same rank exactly when score and priority are equal
        assert (a.rank == b.rank) == (a.score == b.score and a.priority == b.priority)


@given(candidate_lists)
def test_rank_is_competition_ranking(cands):
    ranked = rank(cands)
    for r in ranked:
        better = sum(1 for o in ranked if (o.score, o.priority) > (r.score, r.priority))
        assert r.rank == better + 1
        same = sum(1 for o in ranked if (o.score, o.priority) == (r.score, r.priority))
        assert r.tied == (same > 1)


# --- quota --------------------------------------------------------------------------------------------

def test_quota_tie_straddling_the_cut_selects_none_of_the_tied():
    ranked = rank([Candidate("a", Decimal(95)), Candidate("b", Decimal(90)), Candidate("c", Decimal(90)),
                   Candidate("d", Decimal(80))])
    trace = Trace()
    sel = select_within_quota(ranked, 2, trace, CITE)
    assert [r.key for r in sel.selected] == ["a"]
    assert [r.key for r in sel.tie_at_cut] == ["b", "c"]
    assert [r.key for r in sel.reserve] == ["d"]
    assert trace.steps[0].result == {"selected": ["a"], "tie_at_cut": ["b", "c"]}
    assert "1 place(s) left to the office" in trace.steps[0].note


def test_quota_tie_that_fits_exactly_is_selected_whole():
    ranked = rank([Candidate("a", Decimal(95)), Candidate("b", Decimal(90)), Candidate("c", Decimal(90))])
    sel = select_within_quota(ranked, 3, Trace(), CITE)
    assert [r.key for r in sel.selected] == ["a", "b", "c"]
    assert sel.tie_at_cut == [] and sel.reserve == []


def test_negative_quota_is_an_error():
    with pytest.raises(SelectionError):
        select_within_quota([], -1, Trace(), CITE)


@given(candidate_lists, st.integers(min_value=0, max_value=30))
@settings(max_examples=200)
def test_quota_is_never_exceeded_and_ties_are_never_split(cands, quota):
    ranked = rank(cands)
    sel = select_within_quota(ranked, quota, Trace(), CITE)
    assert len(sel.selected) <= quota
    # a partition of the ranking, in rank order
    assert sel.selected + sel.tie_at_cut + sel.reserve == ranked
    # a tied group is either wholly selected or wholly not
    chosen = {r.key for r in sel.selected}
    by_rank: dict[int, set[bool]] = {}
    for r in ranked:
        by_rank.setdefault(r.rank, set()).add(r.key in chosen)
    assert all(len(v) == 1 for v in by_rank.values())
    if sel.tie_at_cut:
        # the tie straddles the cut: selected alone is short, selected + tie would overflow
        assert len(sel.selected) < quota < len(sel.selected) + len(sel.tie_at_cut)
        assert len({r.rank for r in sel.tie_at_cut}) == 1
    else:
        assert len(sel.selected) == min(quota, len(ranked))
    # everyone selected outranks everyone not selected
    if sel.selected and (sel.tie_at_cut or sel.reserve):
        assert max(r.rank for r in sel.selected) < min(r.rank for r in sel.tie_at_cut + sel.reserve)


@given(candidate_lists, st.integers(min_value=0, max_value=30), st.randoms(use_true_random=False))
def test_quota_cut_is_deterministic(cands, quota, rnd):
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    a = select_within_quota(rank(cands), quota, Trace(), CITE)
    b = select_within_quota(rank(shuffled), quota, Trace(), CITE)
    assert a == b


# --- grade caps ---------------------------------------------------------------------------------------

CAPS = {"优秀": Decimal("0.3"), "良好": Decimal("0.3")}

items_lists = st.lists(
    st.tuples(st.integers(min_value=70, max_value=100).map(Decimal), st.sampled_from(GRADES)),
    min_size=0, max_size=30,
).map(lambda rows: [(f"k{i:02d}", s, g) for i, (s, g) in enumerate(rows)])
cap_maps = st.fixed_dictionaries({}, optional={
    "优秀": st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.3"), Decimal("0.5"), Decimal("1")]),
    "良好": st.sampled_from([Decimal("0.2"), Decimal("0.3"), Decimal("0.7")]),
    "合格": st.sampled_from([Decimal("0.5"), Decimal("0.9")]),
})


def test_cap_grades_worked_example_ten_items_thirty_percent():
    items = [(f"s{i}", Decimal(100 - i), "优秀") for i in range(5)] + \
            [(f"t{i}", Decimal(80 - i), "良好") for i in range(3)] + [("u0", Decimal(70), "合格"),
                                                                     ("u1", Decimal(60), "合格")]
    trace = Trace()
    out = cap_grades(items, CAPS, GRADES, trace, CITE)
    # 10 items → 3 优秀 allowed: s3, s4 drop to 良好; 良好 now 5 > 3: the two lowest (t2, t1) drop to 合格
    assert [k for k, g in out.items() if g == "优秀"] == ["s0", "s1", "s2"]
    assert sorted(k for k, g in out.items() if g == "良好") == ["s3", "s4", "t0"]
    assert sorted(k for k, g in out.items() if g == "合格") == ["t1", "t2", "u0", "u1"]
    assert [s.result for s in trace.steps] == [
        {"key": "s4", "from": "优秀", "to": "良好"}, {"key": "s3", "from": "优秀", "to": "良好"},
        {"key": "t2", "from": "良好", "to": "合格"}, {"key": "t1", "from": "良好", "to": "合格"}]
    assert trace.steps[0].parameters == {"share": Decimal("0.3"), "allowed": 3}


def test_cap_grades_floor_of_share_times_count():
    # 7 items × 30% = 2.1 → 2 may stay 优秀
    items = [(f"k{i}", Decimal(90 + i), "优秀") for i in range(7)]
    out = cap_grades(items, {"优秀": Decimal("0.3")}, GRADES, Trace(), CITE)
    assert Counter(out.values()) == Counter({"优秀": 2, "良好": 5})
    assert {k for k, g in out.items() if g == "优秀"} == {"k5", "k6"}


def test_cap_grades_rejects_a_cap_on_the_lowest_grade_and_unknown_grades():
    with pytest.raises(SelectionError, match="lowest"):
        cap_grades([], {"不合格": Decimal("0.1")}, GRADES, Trace(), CITE)
    with pytest.raises(SelectionError, match="unknown grade"):
        cap_grades([("a", Decimal(1), "卓越")], {}, GRADES, Trace(), CITE)


@given(items_lists, cap_maps)
@settings(max_examples=200)
def test_cap_grades_never_exceeds_cap_only_demotes_lowest_first(items, caps):
    trace = Trace()
    out = cap_grades(items, caps, GRADES, trace, CITE)
    n = len(items)
    counts = Counter(out.values())
    for grade, share in caps.items():
        assert counts[grade] <= math.floor(share * n)
    pos = {g: i for i, g in enumerate(GRADES)}
    score = {k: s for k, s, _ in items}
    for key, _, proposed in items:
        assert pos[out[key]] >= pos[proposed]  # only demotes
    # lowest first: within the items proposed for a grade, anyone demoted scores no higher than anyone kept
    for grade in GRADES:
        proposed = [k for k, _, g in items if g == grade]
        kept = [k for k in proposed if out[k] == grade]
        demoted = [k for k in proposed if out[k] != grade]
        if kept and demoted:
            assert max(score[k] for k in demoted) <= min(score[k] for k in kept)
    # every demotion step is one grade down
    for step in trace.steps:
        assert pos[step.result["to"]] == pos[step.result["from"]] + 1
    assert len(trace.steps) == sum(pos[out[k]] - pos[g] for k, _, g in items)


@given(items_lists, cap_maps, st.randoms(use_true_random=False))
def test_cap_grades_is_deterministic(items, caps, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert cap_grades(items, caps, GRADES, Trace(), CITE) == cap_grades(shuffled, caps, GRADES, Trace(), CITE)


def test_ranked_is_a_plain_value():
    assert Ranked("a", 1, Decimal(1), 0, False) == Ranked("a", 1, Decimal(1), 0, False)
