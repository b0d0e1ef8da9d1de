"""Sanctions and exits through the designation page: only the grounds the program's document lists, each checked
against the records and cited; a refusal changes neither the designation, nor the ledger, nor the register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import review_helpers as rh
from django.test import Client
from sanction_helpers import published

from jiangxin.platform.designations import services as ds
from jiangxin.platform.designations.models import Designation
from jiangxin.platform.ledger import services as ledger
from jiangxin.platform.ledger.models import LedgerEntry
from jiangxin.platform.people.models import Ban

pytestmark = pytest.mark.django_db
NAMED = dt.date(2025, 12, 20)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _named(program: str) -> tuple[rh.World, Designation]:
    w = rh.world(program)
    app = rh.submit(w, "示例工作室" if program != "ganzhou_craftsman" else "王工匠")
    return w, ds.designate_from_case(rh.case(app), actor=w.office, on=NAMED)


def _state(d: Designation) -> tuple[Any, ...]:
    d.refresh_from_db()
    return (d.status, d.events.count(), LedgerEntry.objects.filter(designation=d).count(),
            ledger.balance(d), Ban.objects.count())


def _post(w: rh.World, d: Designation, data: dict[str, Any]) -> Any:
    return _client(w.office).post(f"/designations/{d.pk}/status/", {"expect": d.status, **data})


def test_nanchang_studio_第十五条_领导意见_cannot_revoke_a_studio() -> None:
    w, d = _named("nanchang_studio")
    before = _state(d)
    free_text = _post(w, d, {"status": "revoked", "reason": "领导意见", "citation": "领导意见"})
    assert free_text.status_code == 400 and "请选择办法列明的情形" in free_text.content.decode()
    unlisted = _post(w, d, {"ground": "领导意见", "finding": "领导意见"})
    assert unlisted.status_code == 400 and "不在该项目办法列明的情形之中" in unlisted.content.decode()
    assert _state(d) == before


def test_nanchang_academy_第二十四条_revocation_requires_listed_ground() -> None:
    w, d = _named("nanchang_academy")
    published(d, 2026, passed=False)  # one failure only: a yellow card, not a revocation
    before = _state(d)
    r = _post(w, d, {"ground": "revoke_consecutive_failures", "failed_year": "2026"})
    page = r.content.decode()
    assert r.status_code == 400 and "不构成连续两年不合格" in page and "南昌工匠学院办法 第二十四条" in page
    assert _state(d) == before
    passed_year = _post(w, d, {"ground": "yellow_card", "failed_year": "2025"})  # no failure on record for 2025
    assert passed_year.status_code == 400 and "不是“不合格”" in passed_year.content.decode()
    assert _state(d) == before


def test_nanchang_academy_第二十四条_two_failures_on_record_revoke_with_the_article() -> None:
    w, d = _named("nanchang_academy")
    published(d, 2025, passed=False)
    published(d, 2026, passed=False)
    assert _post(w, d, {"ground": "revoke_consecutive_failures", "failed_year": "2026"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "revoked" and d.status_citation == "南昌工匠学院办法 第二十四条"
    assert d.events.last().data == {"ground": "revoke_consecutive_failures", "failed_year": 2026}


def test_nanchang_studio_第十一条_yellow_card_cannot_be_lifted_without_a_later_passing_assessment() -> None:
    w, d = _named("nanchang_studio")
    published(d, 2026, passed=False)
    assert _post(w, d, {"ground": "yellow_card", "failed_year": "2026"}).status_code == 302
    before = _state(d)
    assert before[0] == "yellow_card"
    typed = _post(w, d, {"ground": "lift_yellow_card", "passed_year": "2027"})  # a typed claim, no record
    assert typed.status_code == 400 and "黄牌之后尚无年度考核合格的记录" in typed.content.decode()
    assert "南昌创新工作室办法 第十一条（二）" in typed.content.decode()
    assert _state(d) == before
    published(d, 2027, passed=True)
    assert _post(w, d, {"ground": "lift_yellow_card", "passed_year": "2027"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "active"


def test_nanchang_studio_第十五条_fraud_revokes_claws_back_the_600000_paid_and_bans_in_one_go() -> None:
    w, d = _named("nanchang_studio")
    ledger.yearly_run("nanchang_studio", 2025, actor=w.office, commit=True, on=dt.date(2025, 12, 28))
    published(d, 2026, passed=True)
    ledger.yearly_run("nanchang_studio", 2026, actor=w.office, commit=True, on=dt.date(2026, 12, 28))
    assert ledger.balance(d) == Decimal("600000.00")
    missing = _post(w, d, {"ground": "revoke_fraud", "finding": "虚报攻关成果", "occurred_on": "2026-12-01"})
    assert missing.status_code == 400 and ledger.balance(d) == Decimal("600000.00")
    r = _post(w, d, {"ground": "revoke_fraud", "finding": "虚报攻关成果", "decision_reference": "洪工发〔2026〕9号",
                     "occurred_on": "2026-12-01", "on": "2026-12-30"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == "revoked"
    claw = LedgerEntry.objects.get(designation=d, kind="clawback")
    assert claw.amount == Decimal("-600000.00") and "第十五条" in claw.citation
    assert ledger.balance(d) == Decimal("0.00")
    ban = Ban.objects.get(organisation=d.holder_org)
    assert ban.program == "nanchang_studio" and ban.end is None and ban.decision_reference == "洪工发〔2026〕9号"


def test_zhenjiang_park_五_四_park_needs_are_not_an_exit_ground() -> None:
    w, d = _named("zhenjiang_park")
    before = _state(d)
    r = _post(w, d, {"ground": "园区需要腾退用房"})
    assert r.status_code == 400 and "不在该项目办法列明的情形之中" in r.content.decode()
    page = _client(w.office).get(f"/designations/{d.pk}/").content.decode()
    for clause in ("五（四）1", "五（四）2", "五（四）3", "五（四）4"):
        assert clause in page
    early = _post(w, d, {"ground": "exit_fraud_after_rectification", "finding": "虚报到园天数",
                         "rectification_deadline": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
                         "decision_reference": "镇人社〔2026〕1号"})
    assert early.status_code == 400 and "整改期限尚未届满" in early.content.decode()
    assert _state(d) == before
    ok = _post(w, d, {"ground": "exit_leader_left", "occurred_on": "2026-06-01", "no_successor": "on",
                      "decision_reference": "镇人社〔2026〕2号"})
    assert ok.status_code == 302
    d.refresh_from_db()
    assert d.status == "exited" and d.status_citation == "镇江技能大师产业创新园意见 五（四）2"


def test_ganzhou_第十二条_ground_outside_the_cultivation_period_is_refused() -> None:
    w, d = _named("ganzhou_craftsman")
    before = _state(d)
    r = _post(w, d, {"ground": "revoke_penalty", "occurred_on": "2025-01-10", "decision_reference": "赣人社〔2026〕3号"})
    assert r.status_code == 400 and "不在培养期" in r.content.decode() and "赣州工匠办法 第十二条（一）" in r.content.decode()
    assert _state(d) == before


def test_ganzhou_第十二条_第二款_fraud_recovers_the_reward_and_bans() -> None:
    w, d = _named("ganzhou_craftsman")
    ledger.yearly_run("ganzhou_craftsman", 2025, actor=w.office, commit=True, on=dt.date(2025, 12, 28))
    assert ledger.balance(d) == Decimal("30000.00")
    r = _post(w, d, {"ground": "revoke_fraud", "finding": "伪造获奖证书", "decision_reference": "赣人社〔2026〕5号",
                     "occurred_on": "2026-03-01"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == "revoked" and ledger.balance(d) == Decimal("0.00")
    assert Ban.objects.get(person=d.holder_person).program == "ganzhou_craftsman"


def test_a_stale_sanction_form_is_refused_and_not_applied_twice() -> None:
    w, d = _named("nanchang_academy")
    published(d, 2026, passed=False)
    assert _post(w, d, {"ground": "yellow_card", "failed_year": "2026"}).status_code == 302
    before = _state(d)
    stale = _client(w.office).post(f"/designations/{d.pk}/status/", {
        "ground": "revoke_consecutive_failures", "failed_year": "2026", "expect": "active"})
    assert stale.status_code == 400 and "状态已发生变化" in stale.content.decode()
    assert _state(d) == before


def test_zhenjiang_park_五_四_2_exit_needs_the_missing_successor_confirmed() -> None:
    w, d = _named("zhenjiang_park")
    before = _state(d)
    r = _post(w, d, {"ground": "exit_leader_left", "occurred_on": "2026-06-01", "decision_reference": "镇人社〔2026〕2号"})
    assert r.status_code == 400 and "所选情形须填写此项" in r.content.decode()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    r = _post(w, d, {"ground": "exit_leader_left", "occurred_on": future, "no_successor": "on",
                     "decision_reference": "镇人社〔2026〕2号"})
    assert r.status_code == 400 and "不能晚于今天" in r.content.decode() and "五（四）2" in r.content.decode()
    assert _state(d) == before


def test_nanchang_academy_第二十四条_a_ground_for_another_state_is_not_offered_nor_accepted() -> None:
    w, d = _named("nanchang_academy")
    published(d, 2026, passed=False)
    before = _state(d)
    page = _client(w.office).get(f"/designations/{d.pk}/").content.decode()
    assert "revoke_failure_after_cycle" not in page and "lift_yellow_card" not in page
    r = _post(w, d, {"ground": "revoke_failure_after_cycle", "failed_year": "2026"})
    assert r.status_code == 400 and "不在该项目办法列明的情形之中" in r.content.decode()
    assert _state(d) == before


def test_jiangsu_第二十一条_unit_not_supporting_training_bans_the_employer_for_three_years(
        register: Any) -> None:
    w = rh.world("jiangsu_technician")
    person = register()
    person.employer = w.districts[0]
    person.save(update_fields=["employer"])
    d = ds.designate(program="jiangsu_technician", name="卓越技师培育 示例", on=dt.date(2026, 3, 1), actor=w.office,
                     holder_person=person, scope_org=w.districts[0])
    r = _post(w, d, {"ground": "ban_unit_not_supporting", "finding": "无正当理由不安排参训",
                     "decision_reference": "苏人社〔2026〕8号", "occurred_on": "2026-05-01", "on": "2026-05-10"})
    assert r.status_code == 302
    bans = Ban.objects.filter(organisation=w.districts[0]).order_by("program")
    assert [b.program for b in bans] == ["jiangsu_carriers", "jiangsu_technician"]
    assert all(b.end == dt.date(2029, 5, 9) and "第二十一条" in b.citation_label for b in bans)
    d.refresh_from_db()
    assert d.status == "active"
    missing = _post(w, d, {"ground": "ban_trainee_discipline", "finding": "违反培训纪律", "occurred_on": "2026-05-01"})
    assert missing.status_code == 400 and Ban.objects.count() == 2


def test_a_stale_batch_approval_is_refused_and_not_applied_twice() -> None:
    from jiangxin.platform.accounts.roles import Role

    w, _d = _named("nanchang_academy")
    ledger.yearly_run("nanchang_academy", 2025, actor=w.office, commit=True, on=dt.date(2025, 12, 28))
    batch = ledger.create_batch("nanchang_academy", 2025, actor=w.office)
    finance = rh.user(Role.FINANCE, w.authority, "finance_nc")
    c = _client(finance)
    assert c.post(f"/ledger/batches/{batch.pk}/approve/", {"expect": "draft"}).status_code == 302
    batch.refresh_from_db()
    approved_at = batch.approved_at
    again = c.post(f"/ledger/batches/{batch.pk}/approve/", {"expect": "draft"}, follow=True)
    assert "状态已发生变化" in again.content.decode()
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_at == approved_at


def test_an_exit_on_the_designation_page_tells_the_apps_that_listen() -> None:
    from jiangxin.platform.designations.signals import status_changed

    seen: list[tuple[str, str, str]] = []

    def listen(sender: Any, designation: Designation, from_status: str, to_status: str, citation: str,
               **kwargs: Any) -> None:
        seen.append((from_status, to_status, citation))

    status_changed.connect(listen)
    try:
        w, d = _named("zhenjiang_park")
        assert _post(w, d, {"ground": "exit_serious_loss", "finding": "违规操作致重大损失", "occurred_on": "2026-06-01",
                            "decision_reference": "镇人社〔2026〕3号"}).status_code == 302
    finally:
        status_changed.disconnect(listen)
    assert seen == [("active", "exited", "镇江技能大师产业创新园意见 五（四）3")]


def test_the_fraud_chain_changes_state_only_inside_registered_transitions(settings: Any) -> None:
    settings.JIANGXIN_TRANSITIONS_CHECK = "raise"  # any tracked change outside a transition raises
    w, d = _named("nanchang_studio")
    ledger.yearly_run("nanchang_studio", 2025, actor=w.office, commit=True, on=dt.date(2025, 12, 28))
    published(d, 2026, passed=False)
    ledger.yearly_run("nanchang_studio", 2026, actor=w.office, commit=True, on=dt.date(2026, 12, 28))
    d.refresh_from_db()
    assert d.status == "yellow_card"
    r = _post(w, d, {"ground": "revoke_fraud", "finding": "虚报", "decision_reference": "洪工发〔2026〕9号",
                     "occurred_on": "2026-12-01"})
    assert r.status_code == 302
    batch = ledger.create_batch("nanchang_studio", 2026, actor=w.office)
    assert batch.entries.count() == 1 and ledger.balance(d) == Decimal("0.00")


def test_the_sanction_form_in_english_lists_the_grounds_in_english() -> None:
    from django.conf import settings

    w, d = _named("zhenjiang_park")
    c = _client(w.office)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.get(f"/designations/{d.pk}/").content.decode()
    assert "Sanctions and exits" in html and "Ground (article)" in html
    assert "The leading master left and no qualified successor took over" in html
    r = c.post(f"/designations/{d.pk}/status/", {"ground": "园区需要腾退用房", "expect": "active"})
    assert r.status_code == 400 and "not among those the program" in r.content.decode()
