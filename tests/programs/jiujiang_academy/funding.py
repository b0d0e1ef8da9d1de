"""The naming money of the fictional 九江工匠学院办法 (第十二条): 900,000 yuan in 5:3:2 over at most 4 years, by
the generic tranche machine; failed years (第十五条) and fraud (第十七条) as that machine handles them."""

from __future__ import annotations

from jiangxin.policy import funding as f
from jiangxin.policy.outcome import Outcome, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation

from . import PROGRAM

DOC = "jiujiang_academy"
ART_12 = cite(DOC, "第十二条")
ART_15 = cite(DOC, "第十五条")
ART_17 = cite(DOC, "第十七条")

TRANCHE_CITATIONS = f.TrancheCitations(
    first_tranche=ART_12, tranche=ART_12, catch_up=ART_12, yellow_card=ART_15, revoke_consecutive=ART_15,
    revoke_after_cycle=ART_15, cycle_span=ART_12, fraud=ART_17, reapplication_bar=ART_17)


@computation(PROGRAM, "tranche_schedule", "命名补助分笔拨付", ART_12, f.TrancheFacts)
def tranche_schedule(facts: f.TrancheFacts, params: ParameterSet) -> Outcome[f.TrancheReport]:
    return f.tranche_schedule(facts, params, TRANCHE_CITATIONS)
