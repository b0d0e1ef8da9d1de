"""附件2 基础分第2项: days on site per month — validation against the month's length, shortfall and deduction
per month, and the XLSX/CSV import (all or nothing)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.park import services
from jiangxin.platform.park.demo import ensure_park_orgs
from jiangxin.platform.park.models import Presence

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user: Any) -> dict[str, Any]:
    org, studios = ensure_park_orgs()
    office = make_user(Role.PARK_OFFICE, org)
    residency = services.admit(office, studio_org=studios[0], name="金山焊接技能大师工作室", agreement_no="ZJ-P-1",
                               signed_on=dt.date(2024, 4, 1), admission_date=dt.date(2024, 5, 1))
    return {"office": office, "r": residency}


@pytest.mark.parametrize(("month", "days", "ok"), [
    ("2024-02", 29, True), ("2024-02", 30, False),   # leap February
    ("2025-02", 28, True), ("2025-02", 29, False),   # common February
    ("2025-01", 31, True), ("2025-04", 31, False),   # 31-day month vs 30-day month
    ("2025-03", 0, True), ("2025-03", 32, False), ("2025-03", -1, False),
    ("2025-13", 5, False), ("2025/03", 5, False),
])
def test_annex2_item2_days_must_fit_the_month(setup: dict[str, Any], month: str, days: int, ok: bool) -> None:
    if ok:
        row = services.record_presence(setup["office"], setup["r"], month, days)
        assert row.days == days
    else:
        with pytest.raises(services.ParkError) as info:
            services.record_presence(setup["office"], setup["r"], month, days)
        assert info.value.field in {"days", "month"}
        assert not Presence.objects.exists()


def test_annex2_item2_zero_days_costs_the_whole_month_and_points_floor_at_zero(setup: dict[str, Any]) -> None:
    services.record_presence(setup["office"], setup["r"], "2025-01", 0)
    rows, outcome = services.presence_rows(setup["r"], 2025)
    assert outcome is not None
    assert rows == [{"month": "2025-01", "days": 0, "minimum": 10, "missing": 10, "deduction": 20,
                     "citation": rows[0]["citation"]}]
    assert Decimal(outcome["value"]["points"]) == 0
    services.record_presence(setup["office"], setup["r"], "2025-02", 9)
    _, outcome = services.presence_rows(setup["r"], 2025)
    assert outcome is not None and outcome["value"]["missing_days"] == 11
    assert Decimal(outcome["value"]["points"]) == 0


def test_annex2_item2_ten_days_is_enough_and_nine_costs_two_points(setup: dict[str, Any]) -> None:
    services.record_presence(setup["office"], setup["r"], "2025-03", 10)
    services.record_presence(setup["office"], setup["r"], "2025-04", 9)
    rows, outcome = services.presence_rows(setup["r"], 2025)
    assert [(r["month"], r["missing"], r["deduction"]) for r in rows] == [("2025-03", 0, 0), ("2025-04", 1, 2)]
    assert outcome is not None and Decimal(outcome["value"]["points"]) == 18


def test_a_future_month_cannot_be_logged(setup: dict[str, Any]) -> None:
    with pytest.raises(services.ParkError, match="尚未到来"):
        services.record_presence(setup["office"], setup["r"], f"{dt.date.today().year + 1}-01", 5)


def test_csv_import_is_all_or_nothing(setup: dict[str, Any]) -> None:
    bad = "工作室,月份,到园天数\n金山焊接技能大师工作室,2025-02,28\nZJ-P-1,2025-04,31\n不存在的工作室,2025-05,3\n"
    with pytest.raises(services.ParkError) as info:
        services.import_presence(setup["office"], SimpleUploadedFile("p.csv", bad.encode()))
    assert "第 3 行" in str(info.value) and "第 4 行" in str(info.value)
    assert not Presence.objects.exists()
    good = "工作室,月份,到园天数\n金山焊接技能大师工作室,2025-02,28\nZJ-P-1,2025-04,30\n"
    assert services.import_presence(setup["office"], SimpleUploadedFile("p.csv", good.encode("utf-8-sig"))) == 2
    assert services.presence_log(setup["r"], 2025) == {"2025-02": 28, "2025-04": 30}


def test_xlsx_import(setup: dict[str, Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工作室", "月份", "到园天数"])
    sheet.append(["ZJ-P-1", "2025-01", 12])
    sheet.append(["ZJ-P-1", "2025-02", 7])
    buffer = io.BytesIO()
    book.save(buffer)
    assert services.import_presence(setup["office"], SimpleUploadedFile("p.xlsx", buffer.getvalue())) == 2
    _, outcome = services.presence_rows(setup["r"], 2025)
    assert outcome is not None and outcome["value"]["missing_per_month"] == {"2025-01": 0, "2025-02": 3}
