"""赣州工匠: eligibility, ranking with county-level priority, publicity, reward, cultivation, revocation.

Judgements the measures leave to reviewers (routes (一)–(六) of 第六条, conduct, equivalence of a
farmer's title) are facts entered and confirmed by staff with evidence references; what the text
states as numbers (contest places, catalogue classes, quota, reward, periods) is computed here.

One module per stage: :mod:`.common`, :mod:`.eligibility`, :mod:`.selection` and :mod:`.aftercare`.
Importing the package registers every computation.
"""

from jiangxin.programs.ganzhou_craftsman.rules.aftercare import (
    CultivationFacts,
    RevocationEvent,
    RevocationFacts,
    RevocationGround,
    cultivation_period,
    revocation,
)
from jiangxin.programs.ganzhou_craftsman.rules.common import (
    ART_5,
    ART_6,
    ART_6_CONTEST,
    ART_6_EXCLUDED,
    ART_6_NEGATIVE,
    ART_6_PRIORITY,
    ART_6_ROUTES,
    ART_7_PUBLICITY,
    ART_7_REVIEW,
    ART_8,
    ART_10,
    ART_11,
    ART_12,
    ART_12_FRAUD,
    DOC,
    I_CATALOGUE,
    I_CERTIFICATE,
    I_FRAUD_BAR,
    I_LOCATION,
)
from jiangxin.programs.ganzhou_craftsman.rules.eligibility import (
    CertificateException,
    CertificateLevel,
    ContestLevel,
    ContestPlacing,
    EligibilityFacts,
    Route,
    RouteConfirmation,
    eligibility,
)
from jiangxin.programs.ganzhou_craftsman.rules.selection import (
    PublicityFacts,
    RankingCandidate,
    RankingFacts,
    RewardFacts,
    publicity_window,
    ranking,
    reward,
)

__all__ = [
    "ART_5",
    "ART_6",
    "ART_6_CONTEST",
    "ART_6_EXCLUDED",
    "ART_6_NEGATIVE",
    "ART_6_PRIORITY",
    "ART_6_ROUTES",
    "ART_7_PUBLICITY",
    "ART_7_REVIEW",
    "ART_8",
    "ART_10",
    "ART_11",
    "ART_12",
    "ART_12_FRAUD",
    "DOC",
    "I_CATALOGUE",
    "I_CERTIFICATE",
    "I_FRAUD_BAR",
    "I_LOCATION",
    "CertificateException",
    "CertificateLevel",
    "ContestLevel",
    "ContestPlacing",
    "CultivationFacts",
    "EligibilityFacts",
    "PublicityFacts",
    "RankingCandidate",
    "RankingFacts",
    "RevocationEvent",
    "RevocationFacts",
    "RevocationGround",
    "RewardFacts",
    "Route",
    "RouteConfirmation",
    "cultivation_period",
    "eligibility",
    "publicity_window",
    "ranking",
    "revocation",
    "reward",
]
