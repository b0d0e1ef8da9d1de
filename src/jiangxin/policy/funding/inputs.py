"""Shared input shapes (national skill ladder, equipment, award lists) and the outcomes computed from them."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import Facts
from jiangxin.policy.funding.quotas import AwardList, QuotaGroup, check_awards
from jiangxin.policy.funding.subsidies import Line, Subsidy, apply_cap, per_unit, percentage, subsidy_outcome
from jiangxin.policy.levels import SkillLevel
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace

_Kind = TypeVar("_Kind", bound=enum.StrEnum)


class UpgradeFacts(Facts):
    upgrades: dict[SkillLevel, int] = Field(
        description="技能等级晋升人数 (people who reached each level in the period): level → count ≥ 0; "
                    "a person reaching two levels counts at each (I-FUND-08)")

    @model_validator(mode="after")
    def _counts(self) -> UpgradeFacts:
        check_counts("upgrades", self.upgrades)
        return self


def check_counts(field: str, counts: Mapping[_Kind, int]) -> None:
    """Every count of a ``kind → count`` input is zero or more; each negative one is named."""
    bad = [(f"{field}.{k.value}", f"a count of zero or more (got {v})") for k, v in counts.items() if v < 0]
    if bad:
        raise FactsError(bad)


def upgrade_outcome(facts: UpgradeFacts, table: Mapping[str, Any], citation: Citation) -> Outcome[Subsidy]:
    trace = Trace()
    lines = per_unit(table, ((k.value, v) for k, v in facts.upgrades.items()), field="upgrades",
                     trace=trace, citation=citation, rule="upgrade_rate")
    return subsidy_outcome(apply_cap(lines, None), trace, citation, "upgrade_subsidy")


class EquipmentCondition(enum.StrEnum):
    NEW = "新购"     # newly bought: the base is the purchase cost
    USED = "旧设备"  # existing equipment: the base is the assessed value after depreciation


class EquipmentItem(BaseModel):
    """One item of equipment (nested: no as_of)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    name: str = Field(min_length=1, description="设备名称 (equipment name)")
    condition: EquipmentCondition = Field(description="新购 (new, base = purchase cost) or 旧设备 (used, base = "
                                                      "assessed value after depreciation)")
    value: Decimal = Field(gt=0, description="费用或评估折旧后价值 (cost of a new item, or the assessed "
                                             "depreciated value of a used item), yuan")


class EquipmentFacts(Facts):
    items: list[EquipmentItem] = Field(min_length=1, description="设施设备清单 (equipment items)")


def equipment_outcome(facts: EquipmentFacts, new_share: Decimal, used_share: Decimal,
                      citation: Citation) -> Outcome[Subsidy]:
    trace = Trace()
    lines = []
    for item in facts.items:
        share = new_share if item.condition is EquipmentCondition.NEW else used_share
        amount = trace.add("equipment_share", citation, percentage(item.value, share),
                           inputs={"name": item.name, "condition": item.condition, "value": item.value},
                           parameters={"share": share})
        lines.append(Line(item.condition.value, item.value, share, amount, item.name))
    return subsidy_outcome(apply_cap(lines, None), trace, citation, "equipment_subsidy")


class Award(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    id: str = Field(min_length=1, description="获奖项目编号 (award id, unique in the list)")
    category: str = Field(min_length=1, description="奖项类别 (award category; the program's quota table "
                                                    "lists the allowed values)")


class AwardFacts(Facts):
    year: int = Field(ge=2000, le=2100, description="评选年度 (award year)")
    awards: list[Award] = Field(description="当年评选结果 (the year's award list)")

    @model_validator(mode="after")
    def _unique(self) -> AwardFacts:
        seen: set[str] = set()
        dupes = []
        for i, award in enumerate(self.awards):
            if award.id in seen:
                dupes.append((f"awards.{i}.id", f"an id not already in the list (got {award.id!r} twice)"))
            seen.add(award.id)
        if dupes:
            raise FactsError(dupes)
        return self


def awards_outcome(facts: AwardFacts, quotas: Mapping[str, Any], amounts: Mapping[str, Any],
                   groups: Sequence[QuotaGroup], citation: Citation) -> Outcome[AwardList]:
    trace = Trace()
    result = check_awards(facts.year, [a.category for a in facts.awards], quotas, amounts, groups,
                          trace=trace, citation=citation)
    return Outcome(result, Status.PASSED if result.within_quota else Status.FAILED, trace.steps)
