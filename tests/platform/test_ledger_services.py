"""Ledger through the service layer: multi-year scenarios per program, invariants, atomicity, idempotency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import run_compute, services
from jiangxin.platform.ledger.actions import sanctions as sanction_actions
from jiangxin.platform.ledger.models import AppendOnlyError, LedgerEntry, Sanction, YearApplied
from jiangxin.platform.people.models import Ban

pytestmark = pytest.mark.django_db

Results = dict[int, dict[int, bool | None]]


@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch) -> Results:
    """year → designation id → published result (stands in for assessments.results_for_year)."""
    table: Results = {}
    monkeypatch.setattr(run_compute, "_results", lambda program, year: dict(table.get(year, {})))
    return table


@pytest.fixture
def name(users: dict[str, Any], org_tree: dict[str, Any]) -> Callable[..., Any]:
    def make(program: str = "nanchang_academy", year: int = 2024, org: str = "unit_a") -> Any:
        return desig.designate(program=program, name=f"{org_tree[org].name}工匠学院", on=dt.date(year, 6, 1),
                               actor=users["office"], holder_org=org_tree[org])
    return make


def run(program: str, year: int, actor: Any) -> services.RunReport:
    return services.yearly_run(program, year, actor=actor, commit=True, on=dt.date(year, 12, 20))


def amounts(d: Any) -> list[tuple[int, str, Decimal]]:
    return [(e.year, e.kind, e.amount) for e in LedgerEntry.objects.filter(designation=d).order_by("id")]


def test_nanchang_academy_art20_every_tranche_on_time_3_3_4(name: Any, results: Results,
                                                             users: dict[str, Any]) -> None:
    d = name()
    office = users["office"]
    run("nanchang_academy", 2024, office)
    results[2025] = {d.pk: True}
    run("nanchang_academy", 2025, office)
    results[2026] = {d.pk: True}
    run("nanchang_academy", 2026, office)
    assert amounts(d) == [(2024, "tranche", Decimal("600000.00")), (2025, "tranche", Decimal("600000.00")),
                          (2026, "tranche", Decimal("800000.00"))]
    assert services.balance(d) == Decimal("2000000.00")
    e = LedgerEntry.objects.filter(designation=d).first()
    assert e is not None and e.citation == "南昌工匠学院办法 第二十条（一）"
    assert services.check_invariants(d) == []
    # after the cycle a pass keeps the naming and pays nothing
    results[2027] = {d.pk: True}
    report = run("nanchang_academy", 2027, office)
    assert report.counts["retained"] == 1 and report.paid == 0
    assert services.balance(d) == Decimal("2000000.00")


def test_nanchang_academy_art20_art24_catch_up_after_a_yellow_card(name: Any, results: Results,
                                                                    users: dict[str, Any]) -> None:
    d = name()
    office = users["office"]
    run("nanchang_academy", 2024, office)
    results[2025] = {d.pk: False}
    report = run("nanchang_academy", 2025, office)
    assert report.counts["yellow_card"] == 1 and report.paid == 0
    d.refresh_from_db()
    assert d.status == "yellow_card"
    assert Sanction.objects.get(designation=d).citation == "南昌工匠学院办法 第二十四条"
    results[2026] = {d.pk: True}
    run("nanchang_academy", 2026, office)
    d.refresh_from_db()
    assert d.status == "active"
    results[2027] = {d.pk: True}
    run("nanchang_academy", 2027, office)
    assert amounts(d) == [(2024, "tranche", Decimal("600000.00")), (2026, "tranche", Decimal("600000.00")),
                          (2027, "tranche", Decimal("800000.00"))]
    cites = list(LedgerEntry.objects.filter(designation=d).values_list("citation", flat=True))
    assert cites[1] == "南昌工匠学院办法 第二十条（二）"


def test_nanchang_academy_art24_two_consecutive_failures_revoke_and_bar(name: Any, results: Results,
                                                                         users: dict[str, Any]) -> None:
    d = name()
    office = users["office"]
    run("nanchang_academy", 2024, office)
    results[2025] = {d.pk: False}
    run("nanchang_academy", 2025, office)
    results[2026] = {d.pk: False}
    report = run("nanchang_academy", 2026, office)
    assert report.counts["revoked"] == 1
    d.refresh_from_db()
    assert d.status == "revoked" and d.status_citation == "南昌工匠学院办法 第二十四条"
    kinds = list(Sanction.objects.filter(designation=d).values_list("kind", flat=True))
    assert kinds == ["yellow_card", "revocation", "ban"]
    ban = Ban.objects.get(organisation=d.holder_org)
    assert ban.end is None and ban.program == "nanchang_academy"
    # nothing after revocation: the designation is no longer in the run
    results[2027] = {d.pk: True}
    report = run("nanchang_academy", 2027, office)
    assert report.designations == 0
    assert services.balance(d) == Decimal("600000.00")
    assert services.check_invariants(d) == []


def test_nanchang_studio_art11_failure_after_the_cycle_revokes(name: Any, results: Results,
                                                               users: dict[str, Any]) -> None:
    d = name("nanchang_studio", 2024)
    office = users["office"]
    run("nanchang_studio", 2024, office)
    paid_years = []
    for year in range(2025, 2030):
        results[year] = {d.pk: True}
        report = run("nanchang_studio", year, office)
        paid_years.append(report.paid)
        d.refresh_from_db()
        if report.counts.get("cycle_complete"):
            break
    total = services.balance(d)
    assert total > 0 and services.check_invariants(d) == []
    year = max(results) + 1
    results[year] = {d.pk: False}
    report = run("nanchang_studio", year, office)
    assert report.counts["revoked"] == 1
    d.refresh_from_db()
    assert d.status == "revoked"
    assert services.balance(d) == total  # a failure after the cycle revokes but claws nothing back


def test_nanchang_academy_art26_fraud_claws_back_everything_paid(name: Any, results: Results,
                                                                 users: dict[str, Any]) -> None:
    d = name()
    office = users["office"]
    run("nanchang_academy", 2024, office)
    results[2025] = {d.pk: True}
    run("nanchang_academy", 2025, office)
    sanctions = services.find_fraud(d, year=2025, actor=office, reason="虚报培训人数",
                                    decision_reference="洪工发〔2025〕9号", on=dt.date(2025, 12, 28))
    assert [s.kind for s in sanctions] == ["revocation", "clawback", "ban"]
    assert services.balance(d) == Decimal("0.00")
    claw = LedgerEntry.objects.get(designation=d, kind="clawback")
    assert claw.amount == Decimal("-1200000.00") and claw.citation == "南昌工匠学院办法 第二十六条"
    assert all(s.decision_reference == "洪工发〔2025〕9号" for s in sanctions)
    d.refresh_from_db()
    assert d.status == "revoked"
    with pytest.raises(TransitionRefused):  # revoked: the fraud finding's from-states no longer hold
        services.find_fraud(d, year=2025, actor=office, reason="再次", decision_reference="x")


def test_ganzhou_art8_reward_once_in_the_title_year(users: dict[str, Any], org_tree: dict[str, Any],
                                                    register: Any, results: Results) -> None:
    person = register()
    d = desig.designate(program="ganzhou_craftsman", name="赣州工匠 王芳", on=dt.date(2025, 5, 1),
                        actor=users["office"], holder_person=person, scope_org=org_tree["nanchang"])
    report = run("ganzhou_craftsman", 2025, users["office"])
    assert report.paid == Decimal("30000")
    assert amounts(d) == [(2025, "reward", Decimal("30000.00"))]
    again = run("ganzhou_craftsman", 2025, users["office"])
    assert again.paid == 0 and services.balance(d) == Decimal("30000.00")


def test_yearly_run_pays_the_holder_unit_whether_or_not_the_status_changes(
        name: Callable[..., Any], results: Results, users: dict[str, Any], org_tree: dict[str, Any]) -> None:
    """A plain payment (no status change, written without loading the designation) and a payment that lifts a
    yellow card (the designation loaded) both name the holder unit as payee, not the designation, and keep the
    same trace."""
    office = users["office"]
    plain, lifted = name(org="unit_a"), name(org="unit_b")
    run("nanchang_academy", 2024, office)
    results[2025] = {plain.pk: True, lifted.pk: False}
    run("nanchang_academy", 2025, office)
    results[2026] = {plain.pk: True, lifted.pk: True}
    run("nanchang_academy", 2026, office)
    lifted.refresh_from_db()
    assert lifted.status == "active"  # the catch-up lifted its yellow card: a status change
    payees = {(e.designation_id, e.year): e.payee for e in LedgerEntry.objects.filter(kind="tranche")}
    assert payees == {(plain.pk, 2024): org_tree["unit_a"].name, (plain.pk, 2025): org_tree["unit_a"].name,
                      (plain.pk, 2026): org_tree["unit_a"].name, (lifted.pk, 2024): org_tree["unit_b"].name,
                      (lifted.pk, 2026): org_tree["unit_b"].name}
    shapes = {tuple(sorted(e.outcome)) for e in LedgerEntry.objects.filter(kind="tranche")}
    assert shapes == {("assessment", "event", "fraud", "state")}  # one trace shape, whichever path wrote it


@pytest.mark.parametrize("change", ["revoked", "yellow_card"])
def test_yearly_run_refuses_when_a_status_changed_while_the_year_was_computed(
        name: Callable[..., Any], results: Results, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        change: str) -> None:
    """A revocation or yellow card given on another page between the computation and the commit: the run would
    pay a revoked academy, or lift a card the assessment never saw. It refuses and writes nothing; run again, it
    computes the year afresh."""
    from jiangxin.platform.ledger.actions import yearly_run as run_module

    office = users["office"]
    changed, other = name(org="unit_a"), name(org="unit_b")
    computed = run_module.compute_run

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        out = computed(*args, **kwargs)
        desig.set_status(changed, change, reason="另案处理", citation="南昌工匠学院办法 第二十六条", actor=office)
        return out

    monkeypatch.setattr(run_module, "compute_run", meanwhile)
    entries = LedgerEntry.objects.count()
    with pytest.raises(services.LedgerError, match="计算期间"):
        run("nanchang_academy", 2024, office)
    assert LedgerEntry.objects.count() == entries and not YearApplied.objects.exists()
    changed.refresh_from_db()
    if changed.status != change:  # one connection here: the "other page's" change went with the refused run
        desig.set_status(changed, change, reason="另案处理", citation="南昌工匠学院办法 第二十六条", actor=office)
    monkeypatch.setattr(run_module, "compute_run", computed)
    report = run("nanchang_academy", 2024, office)  # computed afresh: the changed academy as it now stands
    paid = set(LedgerEntry.objects.values_list("designation_id", flat=True))
    assert other.pk in paid and report.applied
    assert (changed.pk in paid) is (change == "yellow_card")


def test_ganzhou_art8_reward_paid_to_the_craftsman_named(users: dict[str, Any], org_tree: dict[str, Any],
                                                         register: Any, results: Results) -> None:
    person = register()
    d = desig.designate(program="ganzhou_craftsman", name="赣州工匠 王芳", on=dt.date(2025, 5, 1),
                        actor=users["office"], holder_person=person, scope_org=org_tree["nanchang"])
    run("ganzhou_craftsman", 2025, users["office"])
    assert [e.payee for e in LedgerEntry.objects.filter(designation=d)] == [person.name]


def test_jiangsu_art22_per_head_paid_to_the_training_unit(users: dict[str, Any], org_tree: dict[str, Any],
                                                          register: Any) -> None:
    person = register()
    d = desig.designate(program="jiangsu_technician", name="卓越技师培育 王芳", on=dt.date(2027, 3, 1),
                        actor=users["office"], holder_person=person, scope_org=org_tree["nanchang"])
    facts = {"as_of": "2027-12-01", "plan_year": 2027, "training_unit": "江苏省某技师学院",
             "finance_bureau": "某市财政局", "results": [{"year": 2027, "track": "A", "passing": 1}]}
    entry = services.grant_per_head(d, facts, actor=users["office"], year=2027)
    assert entry.amount == Decimal("10000.00") and entry.payee == "江苏省某技师学院"
    assert "某市财政局" in entry.reason
    with pytest.raises(services.LedgerError):
        services.grant_per_head(d, facts, actor=users["office"], year=2027)


def test_entries_cannot_be_edited_or_deleted_only_reversed(name: Any, users: dict[str, Any],
                                                           results: Results) -> None:
    d = name()
    run("nanchang_academy", 2024, users["office"])
    entry = LedgerEntry.objects.get(designation=d)
    entry.amount = Decimal("1")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("2"))
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    rev = services.reverse_entry(entry, actor=users["office"], reason="录入错误")
    assert rev.amount == -entry.amount and rev.reverses == entry
    assert services.balance(d) == Decimal("0.00")
    with pytest.raises(services.LedgerError):
        services.reverse_entry(entry, actor=users["office"], reason="again")


def test_preview_writes_nothing_and_shows_each_designation(name: Any, users: dict[str, Any],
                                                           results: Results) -> None:
    d1, d2 = name(), name(org="unit_b")
    report = services.yearly_run("nanchang_academy", 2024, actor=users["office"], commit=False)
    assert report.counts["tranche_paid"] == 2 and report.paid == Decimal("1200000.00")
    assert {it["designation"] for it in report.items} == {d1.pk, d2.pk}
    assert not LedgerEntry.objects.exists() and not YearApplied.objects.exists()


def test_yearly_run_twice_changes_nothing_the_second_time(name: Any, users: dict[str, Any],
                                                          results: Results) -> None:
    d = name()
    run("nanchang_academy", 2024, users["office"])
    results[2025] = {d.pk: False}
    run("nanchang_academy", 2025, users["office"])
    before = (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count())
    again = run("nanchang_academy", 2025, users["office"])
    assert again.counts == {"skipped_already_applied": 1} and again.paid == 0
    assert (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count()) == before


def test_yearly_run_interrupted_midway_leaves_nothing(name: Any, users: dict[str, Any], results: Results,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ds = [name(), name(org="unit_b")]
    run("nanchang_academy", 2024, users["office"])
    results[2025] = {ds[0].pk: False, ds[1].pk: False}
    calls = {"n": 0}
    real = sanction_actions._sanction

    def boom(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(sanction_actions, "_sanction", boom)
    before = (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count())
    with pytest.raises(RuntimeError):
        run("nanchang_academy", 2025, users["office"])
    assert (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count()) == before
    for d in ds:
        d.refresh_from_db()
        assert d.status == "active"
    monkeypatch.setattr(sanction_actions, "_sanction", real)
    report = run("nanchang_academy", 2025, users["office"])
    assert report.counts["yellow_card"] == 2


def test_budget_warning_when_the_run_would_exceed(name: Any, users: dict[str, Any], results: Results) -> None:
    name()
    services.set_budget("nanchang_academy", 2024, Decimal("500000"), actor=users["office"])
    report = services.yearly_run("nanchang_academy", 2024, actor=users["office"], commit=False)
    assert report.warnings and "超出预算" in report.warnings[0]


def test_what_if_shares_and_pass_mark_side_by_side_no_writes(name: Any, users: dict[str, Any],
                                                             results: Results) -> None:
    d = name()
    run("nanchang_academy", 2024, users["office"])
    results[2025] = {d.pk: True}
    before = LedgerEntry.objects.count()
    cmp = services.what_if("nanchang_academy", 2025, {"funding_shares": [4, 3, 3]})
    row = cmp["rows"][0]
    assert row["real"]["paid"] == "600000.00" and row["what_if"]["paid"] == "600000.00"
    assert cmp["what_if"]["parameters"]["2024"]["funding_shares"]
    cmp3 = services.what_if("nanchang_academy", 2024, {"funding_shares": [4, 3, 3]})
    assert cmp3["rows"][0]["what_if"]["paid"] == "800000.00"
    assert LedgerEntry.objects.count() == before


def test_role_checks_on_services(name: Any, users: dict[str, Any], results: Results) -> None:
    from django.core.exceptions import PermissionDenied

    name()
    with pytest.raises((PermissionDenied, TransitionRefused)):
        services.yearly_run("nanchang_academy", 2024, actor=users["unit"], commit=True)
    run("nanchang_academy", 2024, users["office"])
    batch = services.create_batch("nanchang_academy", 2024, actor=users["office"])
    with pytest.raises((PermissionDenied, TransitionRefused)):
        services.approve_batch(batch, actor=users["office"])
    assert services.approve_batch(batch, actor=users["finance"]).status == "approved"


def test_nanchang_academy_art21_4_course_cap_counts_earlier_claims(name: Any, users: dict[str, Any],
                                                                    results: Results) -> None:
    d = name()
    office = users["office"]
    prefill = services.claim_prefill(d, "course_subsidy", 2025)
    assert prefill == {"already_granted": "0.00"}
    first = services.submit_claim(d, "course_subsidy", {"as_of": "2025-11-30", "offline_courses": 10,
                                                        "video_lesson_hours": 0, **prefill},
                                  year=2025, actor=office, evidence_note="课程清单")
    services.decide_claim(first, actor=office, approve=True)
    prefill = services.claim_prefill(d, "course_subsidy", 2026)
    assert Decimal(prefill["already_granted"]) == first.amount
    second = services.submit_claim(d, "course_subsidy", {"as_of": "2026-11-30", "offline_courses": 40,
                                                         "video_lesson_hours": 0, **prefill},
                                   year=2026, actor=office, evidence_note="课程清单")
    assert first.amount + second.amount <= Decimal("50000")
    assert second.outcome["value"]["capped"] is True


def test_nanchang_academy_art21_6_awards_over_the_yearly_quota_are_refused(name: Any, users: dict[str, Any],
                                                                          results: Results) -> None:
    d = name()
    awards = [{"id": f"A{i}", "category": "创新成果一等奖"} for i in range(30)]
    with pytest.raises(services.LedgerError, match="名额"):
        services.submit_claim(d, "innovation_awards", {"as_of": "2025-11-30", "year": 2025, "awards": awards},
                              year=2025, actor=users["office"], evidence_note="获奖名单")


def test_nanchang_academy_art21_2_equipment_ten_percent_of_assessed_value(name: Any, users: dict[str, Any],
                                                                          results: Results) -> None:
    d = name()
    facts = {"as_of": "2025-11-30", "items": [{"name": "焊接机器人", "condition": "旧设备", "value": "300000"}]}
    claim = services.submit_claim(d, "equipment_subsidy", facts, year=2025, actor=users["office"],
                                  evidence_note="折旧评估报告")
    assert claim.amount == Decimal("30000.00")


def test_no_claims_and_no_payments_after_revocation(name: Any, users: dict[str, Any], results: Results) -> None:
    d = name()
    office = users["office"]
    run("nanchang_academy", 2024, office)
    claim = services.submit_claim(d, "contest_subsidy", {"as_of": "2025-11-30", "hosted": {"市级洪工杯": 1}},
                                  year=2025, actor=office, evidence_note="通知")
    services.find_fraud(d, year=2025, actor=office, reason="虚报", decision_reference="决定1",
                        on=dt.date(2025, 12, 1))
    d.refresh_from_db()
    with pytest.raises(services.LedgerError):
        services.decide_claim(claim, actor=office, approve=True)
    with pytest.raises(services.LedgerError):
        services.submit_claim(d, "contest_subsidy", {"as_of": "2025-11-30", "hosted": {"市级洪工杯": 1}},
                              year=2025, actor=office, evidence_note="通知")
    assert services.balance(d) == Decimal("0.00") and services.check_invariants(d) == []


def test_yearly_run_reads_published_assessments(name: Any, users: dict[str, Any], org_tree: dict[str, Any]) -> None:
    """No stand-in: results come from assessments.results_for_year (only published results count)."""
    from jiangxin.platform.assessments.models import Assessment, AssessmentRound
    from jiangxin.platform.rounds.models import Program

    d = name()
    run("nanchang_academy", 2024, users["office"])
    program, _ = Program.objects.get_or_create(key="nanchang_academy", defaults={
        "title": "南昌市工匠学院", "document": "nanchang_academy", "jurisdiction": "nanchang",
        "applicant_kind": "unit"})
    rnd = AssessmentRound.objects.create(program=program, year=2025, organiser=org_tree["nanchang"],
                                         opens=dt.date(2025, 11, 1), self_report_due=dt.date(2025, 11, 30))
    a = Assessment.objects.create(round=rnd, designation=d, status="scored", passed=False, total=Decimal("70"))
    report = run("nanchang_academy", 2025, users["office"])
    assert report.counts == {"skipped_awaiting_assessment": 1}
    Assessment.objects.filter(pk=a.pk).update(status="published")
    report = run("nanchang_academy", 2025, users["office"])
    assert report.counts["yellow_card"] == 1
    # what-if with pass mark 65: the same score would have passed and paid the second tranche
    cmp = services.what_if("nanchang_academy", 2025, {}, pass_mark=Decimal("65"))
    assert cmp["rows"][0]["what_if"]["paid"] == "600000.00" and cmp["rows"][0]["differs"]
    assert cmp["rows"][0]["real"]["paid"] == "0.00" and cmp["rows"][0]["real"]["status_after"] == "yellow_card"
