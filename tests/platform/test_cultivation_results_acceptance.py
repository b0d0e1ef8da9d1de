"""Provincial acceptance (第二十二条, 附件4): passing counts, per-head funding through the ledger (idempotent),
certificates only for those who pass; and the unit's spending split (第十条)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend, attend_all, item_scores
from openpyxl import load_workbook

from jiangxin.platform.cultivation import services_results as s
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import Enrolment
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

pytestmark = pytest.mark.django_db


def _graded(n_a=3, n_b=2, fail_first_b=True, year=2026):
    y = make_year(n_a, n_b, year=year)
    attend_all(y)
    if fail_first_b and y.enrolments_b:
        attend(y.enrolments_b[0], y.plan, Decimal("0.5"))
    s.grade_unit(y.unit_user, y.year, y.unit, {e.pk: Decimal("85") for e in y.enrolments})
    return y


def test_acceptance_scores_twenty_items_and_counts_passers_per_track():
    y = _graded()
    acceptance = s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores("4.5"),
                               finance_bureau="南京市财政局", provincial_assessor="王处长")
    assert acceptance.total == Decimal("90")
    assert (acceptance.passing_a, acceptance.passing_b) == (3, 1)
    assert Decimal(acceptance.funding_outcome["value"]["total"]) == 3 * 10000 + 1 * 8000
    assert acceptance.funding_outcome["value"]["via"] == "南京市财政局"
    assert any("附件4" in st["citation"]["label"] for st in acceptance.outcome["trace"])


def test_acceptance_requires_grading_every_item_and_the_office():
    y = make_year(1, 0)
    with pytest.raises(CultivationError, match="尚未完成"):
        s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores(), finance_bureau="南京市财政局")
    y2 = _graded(1, 0, fail_first_b=False, year=2027)
    partial = item_scores()
    partial.pop("exchanges")
    with pytest.raises(CultivationError, match="未评"):
        s.assess_unit(y2.office, y2.year, y2.unit, item_scores=partial, finance_bureau="南京市财政局")
    with pytest.raises(CultivationError, match="省级主管部门"):
        s.assess_unit(y2.lead, y2.year, y2.unit, item_scores=item_scores(), finance_bureau="南京市财政局")


def test_funding_posts_one_entry_per_passing_trainee_once():
    y = _graded()
    acceptance = s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores(), finance_bureau="南京市财政局")
    result = s.post_funding(y.office, acceptance)
    entries = LedgerEntry.objects.filter(kind=EntryKind.PER_HEAD, year=y.year.year)
    assert entries.count() == 4 == len(result["posted"])
    assert sum(e.amount for e in entries) == Decimal(3 * 10000 + 8000)
    assert {e.payee for e in entries} == {y.unit.name}
    assert all("南京市财政局" in e.reason for e in entries)
    failed = y.enrolments_b[0]
    assert not entries.filter(designation=failed.designation).exists()
    from jiangxin.platform.ledger.services import create_batch

    batch = create_batch("jiangsu_technician", y.year.year, actor=y.office)
    assert batch.entries.count() == 4
    again = s.post_funding(y.office, acceptance)
    assert again["posted"] == [] and again["existing"] == 4
    assert entries.count() == 4
    with pytest.raises(CultivationError, match="已核拨"):
        s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores("3"), finance_bureau="南京市财政局")


def test_certificates_only_for_those_who_pass(client_for):
    y = _graded(1, 1)
    s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores(), finance_bureau="南京市财政局")
    passer, failer = (Enrolment.objects.get(pk=e.pk) for e in (y.enrolments_a[0], y.enrolments_b[0]))
    assert passer.passed and passer.certificate_no.startswith(f"JSZYJS-{y.year.year}-")
    assert failer.passed is False and failer.certificate_no == ""
    with pytest.raises(CultivationError):
        s.certificate_docx(failer)
    trainee = client_for(y.trainee_user)
    response = trainee.get(f"/cultivation/results/certificate/{passer.pk}/")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert passer.person.name in text and passer.certificate_no in text
    assert trainee.get(f"/cultivation/results/certificate/{failer.pk}/").status_code == 404
    assert client_for(y.office).get(f"/cultivation/results/certificate/{failer.pk}/").status_code == 404


def test_acceptance_page_scores_posts_funding_and_overview_lists_money(client_for):
    y = _graded(2, 1, fail_first_b=False)
    office = client_for(y.office)
    url = f"/cultivation/results/acceptance/{y.unit.pk}/"
    assert office.get(url).status_code == 200
    data = {f"item_{k}": v for k, v in item_scores("4").items()}
    data.update(action="assess", finance_bureau="南京市财政局", provincial_assessor="王", city_assessor="李")
    assert office.post(url, data).status_code == 302
    assert office.post(url, {"action": "fund"}).status_code == 302
    page = office.get(url).content.decode()
    assert "28000" in page and "第二十二条" in page
    overview = office.get("/cultivation/results/").content.decode()
    assert y.unit.name in overview and "28000" in overview
    assert client_for(y.unit_user).post(url, {"action": "fund"}).status_code == 403
    bad = dict(data, item_exchanges="7")
    y2 = _graded(1, 0, fail_first_b=False, year=2027)
    response = client_for(y2.office).post(f"/cultivation/results/acceptance/{y2.unit.pk}/", bad)
    assert response.status_code == 400 and "得分不能超过该项分值" in response.content.decode()


def test_spending_split_flags_meals_outside_canteen_and_transport_for_local_trainees(client_for):
    y = make_year(2, 0)
    remote, local = y.enrolments_a
    Enrolment.objects.filter(pk=remote.pk).update(remote=True)
    remote.refresh_from_db()
    day = dt.date(y.year.year, 5, 1)
    add = s.record_expense
    add(y.unit_user, y.year, y.unit, category="teaching", amount=Decimal("80000"), spent_on=day, description="授课")
    add(y.unit_user, y.year, y.unit, category="consumables", amount=Decimal("10000"), spent_on=day,
        description="焊材")
    add(y.unit_user, y.year, y.unit, category="meals", amount=Decimal("3000"), spent_on=day, description="餐费",
        at_unit_canteen=False, trainee_only=True)
    add(y.unit_user, y.year, y.unit, category="transport", amount=Decimal("2000"), spent_on=day,
        description="交通", enrolment=local)
    add(y.unit_user, y.year, y.unit, category="lodging", amount=Decimal("5000"), spent_on=day, description="住宿",
        enrolment=remote)
    outcome = s.spending_outcome(y.year, y.unit)
    assert outcome["status"] == "failed"
    assert Decimal(outcome["value"]["teaching_share"]) == Decimal("0.9")
    reasons = {r["rule"] for r in outcome["value"]["rejected_lines"]}
    assert reasons == {"meal_at_unit_canteen", "transport_only_for_remote_trainees"}
    with pytest.raises(CultivationError, match="须指明受益培育对象"):
        add(y.unit_user, y.year, y.unit, category="lodging", amount=Decimal("1"), spent_on=day, description="x")
    with pytest.raises(CultivationError, match="只有承训单位"):
        add(y.office, y.year, y.unit, category="teaching", amount=Decimal("1"), spent_on=day, description="x")
    page = client_for(y.office).get(f"/cultivation/results/expenses/?unit={y.unit.pk}").content.decode()
    assert "用餐补贴仅限承训单位食堂" in page and "第十条" in page and y.unit.name in page
    unit_page = client_for(y.unit_user).get("/cultivation/results/expenses/").content.decode()
    assert "交通补贴仅限异地参训培育对象" in unit_page
    xlsx = client_for(y.unit_user).get("/cultivation/results/expenses.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert any(r and "用餐补贴仅限承训单位食堂" in (r[-1] or "") for r in rows)
    assert sum(1 for r in rows if r and r[0] == y.unit.name) == 5


def test_expense_form_requires_meal_flags(client_for):
    y = make_year(1, 0)
    response = client_for(y.unit_user).post("/cultivation/results/expenses/", {
        "category": "meals", "amount": "100", "spent_on": f"{y.year.year}-05-01", "description": "午餐"})
    assert response.status_code == 400 and "用餐补贴须选择" in response.content.decode()
