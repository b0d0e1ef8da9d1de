"""The citations of the 赣州工匠 measures, shared by every stage."""

from __future__ import annotations

from pydantic import ConfigDict

from jiangxin.policy.outcome import cite

DOC = "ganzhou_craftsman"
ART_5 = cite(DOC, "第五条")
ART_6 = cite(DOC, "第六条")
ART_6_ROUTES = cite(DOC, "第六条", "（一）至（七）")
ART_6_CONTEST = cite(DOC, "第六条", "（七）")
ART_6_EXCLUDED = cite(DOC, "第六条", "第二款")
ART_6_PRIORITY = cite(DOC, "第六条", "第二款（同等条件优先）")
ART_6_NEGATIVE = (cite(DOC, "第六条", "第三款第1项"), cite(DOC, "第六条", "第三款第2项"),
                  cite(DOC, "第六条", "第三款第3项"))
ART_7_REVIEW = cite(DOC, "第七条", "（三）")
ART_7_PUBLICITY = cite(DOC, "第七条", "（四）")
ART_8 = cite(DOC, "第八条")
ART_10 = cite(DOC, "第十条")
ART_11 = cite(DOC, "第十一条")
ART_12 = cite(DOC, "第十二条")
ART_12_FRAUD = cite(DOC, "第十二条", "第二款")
I_CERTIFICATE = cite("interpretation", "I-TIME-03")
I_CATALOGUE = cite("interpretation", "I-TIME-04")
I_FRAUD_BAR = cite("interpretation", "I-TIME-09")
I_LOCATION = cite("interpretation", "I-TIME-10")

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
