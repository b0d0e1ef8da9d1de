"""Properties of the generic tranche machine (jiangxin.policy.funding), checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy import funding as f
from jiangxin.policy.outcome import cite
from jiangxin.policy.parameters import Shares

C = cite("interpretation", "I-FUND-01")
CITES = f.TrancheCitations(first_tranche=C, tranche=C, catch_up=C, yellow_card=C, revoke_consecutive=C,
                           revoke_after_cycle=C, cycle_span=C, fraud=C, reapplication_bar=C)
NAMING = 2024


@st.composite
def scenarios(draw, shares=None, span=None):
    parts = shares or draw(st.lists(st.integers(1, 10), min_size=1, max_size=5))
    cents = draw(st.integers(1, 10_000_000_00))
    years = span or draw(st.integers(1, 7))
    plan = f.make_plan(Decimal(cents) / 100, Shares(tuple(Decimal(p) for p in parts)), NAMING, years, CITES)
    results = draw(st.lists(st.booleans(), max_size=9))
    fraud = draw(st.none() | st.integers(NAMING, NAMING + len(results) + 1))
    return plan, {NAMING + 1 + i: r for i, r in enumerate(results)}, fraud


def _paid_events(report):
    return [e for row in report.years for e in row.events if e.kind is f.EventKind.TRANCHE_PAID]


@settings(max_examples=300)
@given(scenarios())
def test_never_pays_more_than_the_total_and_the_books_balance(scenario):
    plan, results, fraud = scenario
    report = f.replay(plan, results, fraud)
    s = report.state
    assert s.paid_total <= plan.total
    assert s.paid_total + s.outstanding + s.forfeited == plan.total
    assert sum((e.amount for e in _paid_events(report)), Decimal(0)) == s.paid_total


@settings(max_examples=300)
@given(scenarios())
def test_paid_amounts_are_exactly_the_share_amounts_in_order(scenario):
    plan, results, fraud = scenario
    paid = _paid_events(f.replay(plan, results, fraud))
    assert [e.tranche for e in paid] == list(range(1, len(paid) + 1))
    assert [e.amount for e in paid] == list(plan.amounts[:len(paid)])
    assert sum(plan.amounts) == plan.total


@settings(max_examples=300)
@given(scenarios())
def test_nothing_is_paid_after_revocation(scenario):
    plan, results, fraud = scenario
    revoked = False
    for row in f.replay(plan, results, fraud).years:
        for event in row.events:
            assert not (revoked and event.kind is f.EventKind.TRANCHE_PAID)
            revoked = revoked or event.kind is f.EventKind.REVOKED


@settings(max_examples=300)
@given(scenarios())
def test_the_cycle_ends_by_its_last_year_or_by_revocation(scenario):
    plan, results, fraud = scenario
    report = f.replay(plan, results, fraud)
    for e in _paid_events(report):
        assert e.year <= plan.last_cycle_year == NAMING + plan.cycle_years - 1
    if report.state.year >= plan.last_cycle_year:
        assert not report.state.in_cycle
        assert report.state.next_due is None


@settings(max_examples=200)
@given(scenarios(shares=[3, 3, 4], span=5))
def test_three_three_four_over_five_years_completes_or_is_revoked_never_lapses(scenario):
    plan, results, fraud = scenario
    report = f.replay(plan, results, fraud)
    assert report.state.status is not f.CycleStatus.LAPSED
    if report.state.year >= NAMING + 4:
        assert report.state.status in {f.CycleStatus.CYCLE_COMPLETE, f.CycleStatus.REVOKED}


@settings(max_examples=300)
@given(scenarios())
def test_claw_back_returns_exactly_what_was_paid(scenario):
    plan, results, fraud = scenario
    if fraud is None:
        return
    report = f.replay(plan, results, fraud)
    before = f.start(plan)  # the state at the end of the year before the finding
    for year in range(NAMING, fraud):
        before = f.step(before, year, results.get(year))[0]
    claws = [e for row in report.years for e in row.events if e.kind is f.EventKind.CLAWED_BACK]
    assert sum((e.amount for e in claws), Decimal(0)) == before.paid_total == report.state.clawed_back
    assert report.state.net_paid == 0
    assert report.state.status is f.CycleStatus.REVOKED and report.state.reapplication_barred


@settings(max_examples=300)
@given(scenarios())
def test_step_by_step_equals_replay(scenario):
    plan, results, fraud = scenario
    report = f.replay(plan, results, fraud)
    state = f.start(plan)
    events = []
    for year in range(NAMING, report.state.year + 1):
        state, evs = f.step(state, year, results.get(year), fraud=year == fraud)
        events.extend(evs)
    assert state == report.state
    assert events == [e for row in report.years for e in row.events]


@settings(max_examples=100)
@given(scenarios())
def test_an_unassessed_year_changes_nothing(scenario):
    plan, results, _ = scenario
    report = f.replay(plan, results)
    if report.state.status is f.CycleStatus.REVOKED:
        return
    same, events = f.step(report.state, report.state.year + 1, None)
    assert same is report.state and events == ()


def test_shares_split_rounds_down_and_gives_the_remainder_to_the_last_share() -> None:
    """南昌工匠学院办法 第二十四条 3:3:4 and any other shares: no tranche is negative, the tranches add up to the total
    (found by the property above: 0.03 over five equal shares once paid 0.04)."""
    amounts = Shares(tuple(Decimal(1) for _ in range(5))).split(Decimal("0.03"))
    assert amounts == (Decimal("0.00"),) * 4 + (Decimal("0.03"),)
    assert Shares((Decimal(3), Decimal(3), Decimal(4))).split(Decimal("600000")) == (
        Decimal("180000.00"), Decimal("180000.00"), Decimal("240000.00"))
