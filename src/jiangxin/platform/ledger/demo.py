"""Demo data for the ledger: budgets, the 2025 and 2026 yearly runs, a 赣州 reward, 江苏 per-head money, a
claim waiting for the office and a batch waiting for finance. Run after the designations and assessments
demos; idempotent (a second call changes nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jiangxin.platform.accounts.models import User
from jiangxin.platform.ledger import services
from jiangxin.platform.ledger.models import Budget, DisbursementBatch, LedgerEntry, SubsidyClaim

DEMO_NOTE = "演示预算"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def load_ledger_demo(say: Any = None) -> dict[str, Any]:
    from jiangxin.platform.designations.models import Designation

    say = say or (lambda text: None)
    if Budget.objects.filter(note=DEMO_NOTE).exists():
        say("资金台账演示数据已存在，未做任何改动。\n")
        return {}
    done: dict[str, Any] = {}
    nc, gz, js = _user("demo_office_nc"), _user("demo_office_gz"), _user("demo_office_js")
    if nc is not None:
        for program in ("nanchang_academy", "nanchang_studio"):
            services.set_budget(program, 2025, Decimal("3000000"), actor=nc, note=DEMO_NOTE)
            services.set_budget(program, 2026, Decimal("3000000"), actor=nc, note=DEMO_NOTE)
            for year in (2025, 2026):
                report = services.yearly_run(program, year, actor=nc, commit=True, on=dt.date(year, 12, 28))
                done[f"{program}/{year}"] = report.counts
        academy = Designation.objects.filter(program="nanchang_academy", status__in=services.RUN_STATUSES).first()
        if academy is not None:
            unit = User.objects.filter(role="unit", organisation=academy.holder_org).first()
            services.submit_claim(academy, "contest_subsidy", {"as_of": "2026-11-30", "hosted": {"市级洪工杯": 2}},
                                  year=2026, actor=unit or nc, evidence_note="承办通知与赛事总结（演示）")
        if LedgerEntry.objects.filter(program="nanchang_academy", year=2025, batch__isnull=True).exists():
            services.create_batch("nanchang_academy", 2025, actor=nc, title="南昌市工匠学院 2025年度第一批拨付（演示）")
    if gz is not None:
        services.set_budget("ganzhou_craftsman", 2025, Decimal("450000"), actor=gz, note=DEMO_NOTE)
        done["ganzhou_craftsman/2025"] = services.yearly_run("ganzhou_craftsman", 2025, actor=gz, commit=True,
                                                             on=dt.date(2025, 12, 28)).counts
        if LedgerEntry.objects.filter(program="ganzhou_craftsman", year=2025, batch__isnull=True).exists():
            services.create_batch("ganzhou_craftsman", 2025, actor=gz, title="“赣州工匠”2025年度奖励拨付（演示）")
    if js is not None:
        cohort = Designation.objects.filter(program="jiangsu_technician", status__in=services.RUN_STATUSES).first()
        if cohort is not None:
            facts = {"as_of": "2026-12-01", "plan_year": 2026, "training_unit": "江苏省某技师学院（演示）",
                     "finance_bureau": "镇江市财政局", "results": [{"year": 2026, "track": "A", "passing": 1}]}
            try:
                services.grant_per_head(cohort, facts, actor=js, year=2026)
            except services.LedgerError as exc:
                say(f"江苏培育经费未核拨：{exc}\n")
        if LedgerEntry.objects.filter(program="jiangsu_technician", year=2026, batch__isnull=True).exists():
            services.create_batch("jiangsu_technician", 2026, actor=js, title="江苏省卓越技师培育经费 2026学年拨付（演示）")
    say(f"资金台账：{LedgerEntry.objects.count()} 条分录，{SubsidyClaim.objects.count()} 个申领，"
        f"{DisbursementBatch.objects.count()} 个拨付批次\n")
    return done
