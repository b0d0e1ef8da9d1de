"""镇江技能大师产业创新园意见 五（四） through the pages: the exit form offers only the four grounds of the document,
each with the facts it needs; ``exit_grounds`` decides and cites; anything else (e.g. 园区需要腾退用房) is refused
and the residency stays as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core import transitions as tr
from jiangxin.platform.park import services
from jiangxin.platform.park.demo import ensure_park_orgs
from jiangxin.platform.park.models import Evaluation, Presence, Residency, ResidencyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    org, studios = ensure_park_orgs()
    office = make_user(Role.PARK_OFFICE, org)
    residency = services.admit(office, studio_org=studios[0], name="甲工作室", agreement_no="ZJ-X-1",
                               signed_on=dt.date(2024, 4, 1), admission_date=dt.date(2024, 5, 1))
    return {"office": office, "r": residency, "studio": make_user(Role.UNIT, studios[0])}


def _exit(client: Any, residency: Residency, **data: Any) -> Any:
    payload = {"action": "exit", "on": timezone.localdate().isoformat(), "reference": "", "note": "",
               "expect": residency.status, **data}
    return client.post(f"/park/{residency.pk}/", payload)


def _status(residency: Residency) -> str:
    return str(Residency.objects.get(pk=residency.pk).status)


def test_zhenjiang_五四_exit_form_offers_only_the_four_grounds(world: dict[str, Any], client_for: Any) -> None:
    page = client_for(world["office"]).get(f"/park/{world['r'].pk}/").content.decode()
    for key in services.EXIT_GROUND_LABELS:
        assert f'value="{key}"' in page
    assert 'name="studio_deregistered"' not in page and 'name="serious_loss"' not in page


def test_zhenjiang_五四_exit_refused_for_a_ground_the_document_does_not_list(world: dict[str, Any],
                                                                          client_for: Any) -> None:
    r = _exit(client_for(world["office"]), world["r"], ground="园区需要腾退用房", reference="园办〔2026〕1号")
    assert r.status_code == 400
    assert _status(world["r"]) == ResidencyStatus.ACTIVE
    with pytest.raises(services.ParkError, match="四种情形") as refused:
        services.exit_residency(world["office"], world["r"], on=timezone.localdate(), ground="vacate_rooms")
    assert "五（四）" in str(refused.value)
    assert _status(world["r"]) == ResidencyStatus.ACTIVE


def test_zhenjiang_五四1_exit_needs_the_decision_reference_then_cites_it(world: dict[str, Any],
                                                                       client_for: Any) -> None:
    client = client_for(world["office"])
    r = _exit(client, world["r"], ground="studio_deregistered")
    page = r.content.decode()
    assert r.status_code == 400 and "文书编号" in page and "五（四）1" in page
    assert _status(world["r"]) == ResidencyStatus.ACTIVE
    r = _exit(client, world["r"], ground="studio_deregistered", reference="镇人社〔2026〕8号")
    assert r.status_code == 302
    residency = Residency.objects.get(pk=world["r"].pk)
    assert residency.status == ResidencyStatus.EXITED
    assert residency.exit_outcome["reference"] == "镇人社〔2026〕8号"
    assert residency.exit_outcome["value"]["grounds"] == ["studio_deregistered"]


def test_zhenjiang_五四4_exit_refused_while_the_rectification_deadline_runs(world: dict[str, Any],
                                                                         client_for: Any) -> None:
    residency = world["r"]
    year = timezone.localdate().year - 1
    Evaluation.objects.create(residency=residency, year=year, total=Decimal("90"), pass_mark=Decimal("120"),
                              passed=False, outcome={}, recorded_by=world["office"])
    services.open_rectification(world["office"], residency, year,
                                notice_date=timezone.localdate() - dt.timedelta(days=10), period_months=3)
    assert _status(residency) == ResidencyStatus.RECTIFYING
    r = _exit(client_for(world["office"]), Residency.objects.get(pk=residency.pk), ground="evaluation_failed_or_fraud")
    page = r.content.decode()
    assert r.status_code == 400 and "不成立" in page and "五（四）4" in page
    assert _status(residency) == ResidencyStatus.RECTIFYING


def test_zhenjiang_五四_exit_cannot_be_dated_ahead_to_run_out_a_deadline(world: dict[str, Any],
                                                                        client_for: Any) -> None:
    later = timezone.localdate() + dt.timedelta(days=200)
    r = _exit(client_for(world["office"]), world["r"], ground="serious_loss", reference="镇公〔2026〕3号",
              on=later.isoformat())
    assert r.status_code == 400 and "不能晚于今天" in r.content.decode()
    assert _status(world["r"]) == ResidencyStatus.ACTIVE


def test_zhenjiang_五四_stale_exit_form_is_refused(world: dict[str, Any], client_for: Any) -> None:
    client = client_for(world["office"])
    r = _exit(client, world["r"], ground="serious_loss", reference="镇公〔2026〕3号", expect="rectifying")
    assert r.status_code == 400 and "刷新" in r.content.decode()
    assert _status(world["r"]) == ResidencyStatus.ACTIVE


def test_zhenjiang_五四_an_exited_studio_takes_no_more_presence_records(world: dict[str, Any],
                                                                      client_for: Any) -> None:
    services.exit_residency(world["office"], world["r"], on=timezone.localdate(), ground="serious_loss",
                            reference="镇公〔2026〕3号")
    before = Presence.objects.count()
    r = client_for(world["office"]).post(f"/park/{world['r'].pk}/", {"action": "presence", "month": "2025-04",
                                                                      "days": "20"})
    assert r.status_code == 400 and "已取消入驻" in r.content.decode()
    assert Presence.objects.count() == before


def test_zhenjiang_a_studio_cannot_exit_itself(world: dict[str, Any], client_for: Any) -> None:
    r = _exit(client_for(world["studio"]), world["r"], ground="serious_loss", reference="x")
    assert r.status_code == 403
    assert _status(world["r"]) == ResidencyStatus.ACTIVE


def test_park_transitions_are_registered_with_the_exit_guard() -> None:
    exit_ = tr.REGISTRY["park.exit_residency"]
    assert exit_.guard == "zhenjiang_park/exit_grounds" and exit_.target == "exited"
    assert set(exit_.sources) == {"active", "rectifying"} and exit_.roles == (Role.PARK_OFFICE,)
    assert "五（四）" in exit_.citation
    assert "status" in tr.tracked_fields()["park.Residency"]


def test_zhenjiang_五四4_recheck_cannot_be_dated_ahead_to_run_out_the_deadline(world: dict[str, Any],
                                                                             client_for: Any) -> None:
    residency = world["r"]
    year = timezone.localdate().year - 1
    Evaluation.objects.create(residency=residency, year=year, total=Decimal("90"), pass_mark=Decimal("120"),
                              passed=False, outcome={}, recorded_by=world["office"])
    rect = services.open_rectification(world["office"], residency, year,
                                       notice_date=timezone.localdate() - dt.timedelta(days=10), period_months=3)
    later = timezone.localdate() + dt.timedelta(days=150)
    r = client_for(world["office"]).post(f"/park/{residency.pk}/", {"action": "recheck",
                                                                    "recheck_date": later.isoformat(),
                                                                    "recheck_total": "95"})
    page = r.content.decode()
    assert r.status_code == 400 and "复查日期不能晚于今天" in page and "五（四）4" in page
    rect.refresh_from_db()
    assert rect.recheck_date is None and rect.stage != "exit"
    assert _status(residency) == ResidencyStatus.RECTIFYING


def test_zhenjiang_五四4_rectification_notice_cannot_be_back_dated_before_the_evaluated_year(
        world: dict[str, Any], client_for: Any) -> None:
    residency = world["r"]
    year = timezone.localdate().year - 1
    Evaluation.objects.create(residency=residency, year=year, total=Decimal("90"), pass_mark=Decimal("120"),
                              passed=False, outcome={}, recorded_by=world["office"])
    r = client_for(world["office"]).post(f"/park/{residency.pk}/", {
        "action": "rectification", "year": year, "notice_date": dt.date(year - 1, 6, 1).isoformat(),
        "period_months": 3, "pass_mark": ""})
    assert r.status_code == 400 and "五（四）4" in r.content.decode()
    assert _status(residency) == ResidencyStatus.ACTIVE
    assert not residency.rectifications.exists()
