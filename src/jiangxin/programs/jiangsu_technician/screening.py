"""江苏省卓越技师培育计划 — the eligibility rule of ``rules.eligibility`` over a whole population at once (筛查).

Same conditions, same parameters, same articles as the per-person computation; each step of ``rules.eligibility``
has its column-wise twin here, and ``tests/policy/test_screening_jiangsu.py`` checks on random populations that
both agree on every row. Statutory retirement follows the 2024 NPCSC tables (``policy.retirement``) column-wise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt

from jiangxin.policy.levels import SKILL_RANK
from jiangxin.policy.outcome import cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.retirement import _TABLES
from jiangxin.policy.screening import (
    Column,
    Columns,
    Condition,
    ScreenResult,
    add_months,
    civil_from_days,
    screener,
)
from jiangxin.programs.jiangsu_technician.rules import (
    ART_2_AGE,
    ART_2_LEVEL,
    ART_21_EMPLOYER,
    ART_23_GAP,
    ART_23_SUBSIDY,
    I_JS_08,
    _eligibility_params,
)

COLUMNS = (
    Column("track", "str", "培育类别（A/B）"),
    Column("birth_date", "date", "出生日期"),
    Column("original_retirement_age", "int", "原法定退休年龄（60/55/50）"),
    Column("skill_level", "str", "职业技能等级"),
    Column("outstanding", "bool", "经确认的特别优秀（技师入选）", optional=True),
    Column("leading_talent", "bool", "A类：经确认的高技能领军人才", optional=True),
    Column("chief_conditions_met", "bool", "B类：经核实符合企业首席技师条件", optional=True),
    Column("received_former_chief_subsidy", "bool", "已享受原企业首席技师一次性补助", optional=True),
    Column("former_subsidy_exception", "bool", "省级主管部门准予例外", optional=True),
    Column("last_participation_end", "date", "前次参加培育计划结束日期", optional=True),
    Column("recommended_on", "date", "推荐日期"),
    Column("employer_ban_start", "date", "用人单位限制推荐起始日", optional=True),
    Column("employer_ban_end", "date", "用人单位限制推荐截止日", optional=True),
    Column("external_ban_start", "date", "其他参训禁入起始日", optional=True),
    Column("external_ban_end", "date", "其他参训禁入截止日", optional=True),
)

CONDITIONS = (
    Condition("basis", "类别认定（A类领军人才认定／B类首席技师条件）", cite("jiangsu_technician", "第三条")),
    Condition("skill_level", "技能等级（高级技师及以上，或经确认特别优秀的技师）", ART_2_LEVEL),
    Condition("retirement_margin", "距法定退休年龄不少于规定年限", ART_2_AGE),
    Condition("former_subsidy", "B类：未享受原企业首席技师一次性补助", ART_23_SUBSIDY),
    Condition("participation_gap", "距前次参加培育计划结束满规定年限", ART_23_GAP),
    Condition("employer_ban", "用人单位不在限制推荐期内", ART_21_EMPLOYER),
    Condition("external_ban", "本人不在其他参训禁入期内", I_JS_08),
)

def _ranks(levels: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Skill levels as ranks (``policy.levels.SKILL_RANK``); integer columns are taken as ranks already."""
    if np.issubdtype(levels.dtype, np.integer):
        return levels.astype(np.int64)
    ranks = np.full(levels.shape[0], -1, dtype=np.int64)
    for level, rank in SKILL_RANK.items():  # a handful of levels: one vectorised comparison each
        ranks[levels == level] = rank
    return ranks


def retirement_dates(birth: npt.NDArray[np.datetime64], original: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """Column-wise ``policy.retirement.statutory_retirement(...).retirement_date``."""
    year, month, _ = civil_from_days(birth.astype(np.int64))
    first = np.zeros_like(original)
    step = np.ones_like(original)
    cap = np.zeros_like(original)
    for age, table in _TABLES.items():
        mask = original == int(age)
        first[mask] = table.first_year
        step[mask] = table.step
        cap[mask] = table.cap
    k = (year - first) * 12 + (month - 1)
    delay = np.where(k < 0, 0, np.minimum(k // step + 1, cap))
    return add_months(birth, original * 12 + delay)


def _bool(columns: Columns, name: str, size: int) -> npt.NDArray[np.bool_]:
    values = columns.get(name)
    return np.zeros(size, dtype=bool) if values is None else np.asarray(values, dtype=bool)


def _dates(columns: Columns, name: str, size: int) -> npt.NDArray[np.datetime64]:
    values = columns.get(name)
    if values is None:
        return np.full(size, np.datetime64("NaT", "D"))
    return np.asarray(values, dtype="datetime64[D]")


def _outside(day: npt.NDArray[np.datetime64], start: npt.NDArray[np.datetime64],
             end: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
    """True unless ``start ≤ day ≤ end`` (a missing period — NaT — never covers the day)."""
    return np.asarray(~((start <= day) & (day <= end)))


def _to_facts(columns: Columns, row: int, as_of: dt.date, plan_year: int) -> dict[str, Any]:
    """One row as the facts of ``rules.eligibility`` (for its full per-person trace)."""

    def date(name: str) -> str | None:
        values = columns.get(name)
        if values is None or np.isnat(values[row]):
            return None
        return str(np.datetime_as_string(np.datetime64(values[row], "D")))

    def flag(name: str) -> bool:
        values = columns.get(name)
        return bool(values[row]) if values is not None else False

    track = str(columns["track"][row])
    original = int(columns["original_retirement_age"][row])
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(), "plan_year": plan_year, "track": track,
        "birth_date": date("birth_date"), "sex": "male" if original == 60 else "female",
        "original_retirement_age": original, "skill_level": str(columns["skill_level"][row]),
        "received_former_chief_subsidy": flag("received_former_chief_subsidy"),
        "recommended_on": date("recommended_on"),
    }
    if flag("outstanding"):
        facts["outstanding"] = {"reason": "登记的特别优秀认定", "confirmed_by": "登记信息"}
    if track == "A" and flag("leading_talent"):
        facts["leading_talent"] = {"criterion": "登记的领军人才认定", "confirmed_by": "登记信息"}
    if track == "B":
        facts["chief_technician"] = {"met": flag("chief_conditions_met"), "confirmed_by": "登记信息"}
        if flag("former_subsidy_exception") and flag("received_former_chief_subsidy"):
            facts["former_subsidy_exception"] = "登记的例外决定"
    if date("last_participation_end"):
        facts["previous_participations"] = [{"plan_year": 2000, "ended_on": date("last_participation_end")}]
    if date("employer_ban_start") and date("employer_ban_end"):
        facts["employer_recommendation_ban"] = {"start": date("employer_ban_start"), "end": date("employer_ban_end")}
    if date("external_ban_start") and date("external_ban_end"):
        facts["external_bans"] = [{"start": date("external_ban_start"), "end": date("external_ban_end"),
                                   "reason": "登记的禁入决定", "imposed_by": "登记信息"}]
    return facts


@screener("jiangsu_technician", "eligibility", "卓越技师培育人选资格筛查", COLUMNS, CONDITIONS, _to_facts)
def screen_eligibility(columns: Columns, params: ParameterSet, as_of: dt.date, plan_year: int) -> ScreenResult:
    p = _eligibility_params(params, as_of)
    track = np.asarray(columns["track"]).astype(str)
    size = track.shape[0]
    is_b = track == "B"
    # 第三条: the class's basis
    basis = np.where(is_b, _bool(columns, "chief_conditions_met", size), _bool(columns, "leading_talent", size))
    # 第二条: skill level — main route, or a 技师 confirmed outstanding
    rank = _ranks(np.asarray(columns["skill_level"]))
    level = (rank >= p.main_rank) | ((rank >= p.exceptional_rank) & _bool(columns, "outstanding", size))
    # 第二条: retirement on or after 1 January of plan year + margin
    birth = np.asarray(columns["birth_date"], dtype="datetime64[D]")
    original = np.asarray(columns["original_retirement_age"], dtype=np.int64)
    until = np.datetime64(dt.date(plan_year + p.margin_years, 1, 1), "D")
    margin = retirement_dates(birth, original) >= until
    # 第二十三条: class B closed to those who had the former subsidy, unless an exception was granted
    received = _bool(columns, "received_former_chief_subsidy", size)
    exception = _bool(columns, "former_subsidy_exception", size) & received
    subsidy = ~is_b | ~(p.subsidy_bars_b & received & ~exception)
    # 第二十三条: the gap since the last participation ended, counted to 1 January of the plan year
    last_end = _dates(columns, "last_participation_end", size)
    reference = np.datetime64(dt.date(plan_year, 1, 1), "D")
    gap = np.isnat(last_end) | (add_months(last_end, 12 * p.gap_years) <= reference)
    # 第二十一条 and I-JS-08: bans covering the recommendation date
    recommended = _dates(columns, "recommended_on", size)
    employer = _outside(recommended, _dates(columns, "employer_ban_start", size),
                        _dates(columns, "employer_ban_end", size))
    external = _outside(recommended, _dates(columns, "external_ban_start", size),
                        _dates(columns, "external_ban_end", size))
    passed = {"basis": np.asarray(basis, dtype=bool), "skill_level": level, "retirement_margin": margin,
              "former_subsidy": np.asarray(subsidy), "participation_gap": gap, "employer_ban": employer,
              "external_ban": external}
    eligible = np.logical_and.reduce(list(passed.values()))
    return ScreenResult(CONDITIONS, passed, eligible)

