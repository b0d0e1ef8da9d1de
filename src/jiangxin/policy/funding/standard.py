"""The standard funding computations of a named program, reading its standard parameter names.

A program declares all four with one :func:`register_standard_funding` call (academy, studio).
"""

from __future__ import annotations

from decimal import Decimal

from jiangxin.policy.funding.inputs import (
    AwardFacts,
    EquipmentFacts,
    UpgradeFacts,
    awards_outcome,
    equipment_outcome,
    upgrade_outcome,
)
from jiangxin.policy.funding.quotas import AwardList, QuotaGroup
from jiangxin.policy.funding.schedule import TrancheFacts, TrancheReport, tranche_schedule
from jiangxin.policy.funding.subsidies import Subsidy
from jiangxin.policy.funding.tranches import PathKey, TrancheCitations
from jiangxin.policy.outcome import Citation, Outcome
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import Program, computation


def upgrade_subsidy(facts: UpgradeFacts, params: ParameterSet, citation: Citation) -> Outcome[Subsidy]:
    """``funding_upgrade_rates`` (level → yuan per person) × people who reached each level."""
    return upgrade_outcome(facts, params.value("funding_upgrade_rates", facts.as_of), citation)


def equipment_subsidy(facts: EquipmentFacts, params: ParameterSet, citation: Citation) -> Outcome[Subsidy]:
    """``funding_equipment_share_new`` of new items' cost, ``funding_equipment_share_used`` of used items'
    assessed depreciated value."""
    return equipment_outcome(facts, Decimal(params.value("funding_equipment_share_new", facts.as_of)),
                             Decimal(params.value("funding_equipment_share_used", facts.as_of)), citation)


def innovation_awards(facts: AwardFacts, params: ParameterSet, citation: Citation,
                      group: tuple[str, tuple[str, ...]]) -> Outcome[AwardList]:
    """``funding_award_quotas`` per category and ``funding_award_innovation_total`` over ``group``'s
    categories together (name, members), priced by ``funding_award_amounts``."""
    quotas = params.value("funding_award_quotas", facts.as_of)
    together = QuotaGroup(group[0], group[1], int(params.value("funding_award_innovation_total", facts.as_of)))
    return awards_outcome(facts, quotas, params.value("funding_award_amounts", facts.as_of), (together,),
                          citation)


#: The innovation-award categories whose places are capped together (name, members); both Nanchang
#: documents grade innovation results the same three ways.
INNOVATION_GROUP: tuple[str, tuple[str, ...]] = ("创新成果奖合计", ("创新成果一等奖", "创新成果二等奖", "创新成果三等奖"))


def three_tranche_paths(on_time: Citation, second_late: Citation, third_late: Citation) -> dict[PathKey, Citation]:
    """The worked paths a 3-tranche document prints, keyed (tranche, paid after a failed year, an earlier
    tranche was caught up): every tranche on time; the second a year late (the third then follows it,
    late or not); only the third a year late."""
    return {(2, False, False): on_time, (3, False, False): on_time,
            (2, True, False): second_late, (3, False, True): second_late, (3, True, True): second_late,
            (3, True, False): third_late}


def register_standard_funding(program: Program, *, tranches: TrancheCitations, tranche_title: str,
                              upgrade: tuple[str, Citation], equipment: tuple[str, Citation],
                              awards: tuple[str, Citation],
                              award_group: tuple[str, tuple[str, ...]] = INNOVATION_GROUP) -> None:
    """Declare ``tranche_schedule`` (cited to ``tranches.tranche``), ``upgrade_subsidy``,
    ``equipment_subsidy`` and ``innovation_awards`` for ``program``, each a (title, citation) over the
    bodies above and the program's standard parameter names."""

    def tranche_computation(facts: TrancheFacts, params: ParameterSet) -> Outcome[TrancheReport]:
        return tranche_schedule(facts, params, tranches)

    def upgrade_computation(facts: UpgradeFacts, params: ParameterSet) -> Outcome[Subsidy]:
        return upgrade_subsidy(facts, params, upgrade[1])

    def equipment_computation(facts: EquipmentFacts, params: ParameterSet) -> Outcome[Subsidy]:
        return equipment_subsidy(facts, params, equipment[1])

    def awards_computation(facts: AwardFacts, params: ParameterSet) -> Outcome[AwardList]:
        return innovation_awards(facts, params, awards[1], award_group)

    computation(program, "tranche_schedule", tranche_title, tranches.tranche, TrancheFacts)(tranche_computation)
    computation(program, "upgrade_subsidy", *upgrade, UpgradeFacts)(upgrade_computation)
    computation(program, "equipment_subsidy", *equipment, EquipmentFacts)(equipment_computation)
    computation(program, "innovation_awards", *awards, AwardFacts)(awards_computation)
