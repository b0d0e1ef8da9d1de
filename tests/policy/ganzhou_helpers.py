"""Shared facts for the 赣州工匠 tests."""

from __future__ import annotations

from typing import Any

from jiangxin.policy.outcome import Outcome
from jiangxin.policy.registry import get_computation

BASE: dict[str, Any] = {
    "as_of": "2025-06-10",
    "works_in_ganzhou": True,
    "lives_in_ganzhou": False,
    "prc_citizen": True,
    "front_line_technical_work": True,
    "good_conduct_confirmed": True,
    "certificate_level": "高级工",
    "farmer_title_equivalent_confirmed": False,
    "routes": [],
    "contest_placings": [],
    "national_talent_programme": False,
    "provincial_double_thousand": False,
    "provincial_double_high": False,
    "other_provincial_talent_project": False,
    "talent_catalogue_class": None,
    "criminal_record": False,
    "ip_infringement": False,
    "serious_misconduct": False,
    "previously_revoked_for_fraud": False,
}


def placing(level: str, place: int) -> dict[str, Any]:
    return {"contest": "测试大赛", "level": level, "place": place, "year": 2024, "evidence_ref": "E-1"}


def run(name: str, facts: dict[str, Any], overrides: dict[str, Any] | None = None) -> Outcome[Any]:
    return get_computation("ganzhou_craftsman", name).run(facts, overrides)


def eligibility(**changes: Any) -> Outcome[Any]:
    return run("eligibility", {**BASE, **changes})
