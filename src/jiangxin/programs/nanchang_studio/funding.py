"""南昌创新工作室 money (第十一条, 第十二条, 第十四条, 第十五条): parameters and citations over the generic
machines in ``jiangxin.policy.funding``.

The studio's 考核标准 attachment is missing from the text, so each year's pass/fail is an input fact
(produced by the assessment computation); this module only turns results into money and sanctions.
"""

from __future__ import annotations

from jiangxin.policy import funding as f
from jiangxin.policy.outcome import cite
from jiangxin.programs.nanchang_studio import PROGRAM

DOC = "nanchang_studio"
ART_11 = cite(DOC, "第十一条")
ART_11_1 = cite(DOC, "第十一条", "（一）")
ART_11_2 = cite(DOC, "第十一条", "（二）")
ART_11_3 = cite(DOC, "第十一条", "（三）")
ART_11_4 = cite(DOC, "第十一条", "（四）")
ART_12_1 = cite(DOC, "第十二条", "（一）")
ART_12_2 = cite(DOC, "第十二条", "（二）")
ART_12_3 = cite(DOC, "第十二条", "（三）")
ART_14 = cite(DOC, "第十四条")
ART_15 = cite(DOC, "第十五条")

#: 第十一条's three worked paths: every tranche on time （一）, the second a year late （二）, the third （三）.
TRANCHE_CITATIONS = f.TrancheCitations(
    first_tranche=ART_11_1, tranche=ART_11, catch_up=ART_11, yellow_card=ART_11_4,
    revoke_consecutive=ART_11_4, revoke_after_cycle=ART_14, cycle_span=ART_11, fraud=ART_15,
    reapplication_bar=ART_15, paths=f.three_tranche_paths(ART_11_1, ART_11_2, ART_11_3))

f.register_standard_funding(
    PROGRAM, tranches=TRANCHE_CITATIONS, tranche_title="命名补助资金分笔拨付",
    upgrade=("技能人才培训升级补助", ART_12_2), equipment=("设备设施补助", ART_12_1),
    awards=("技术攻关项目补助名额与金额", ART_12_3))
