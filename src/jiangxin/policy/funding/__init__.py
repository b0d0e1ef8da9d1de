"""Generic funding machines: subsidy tranches, rate tables with caps, yearly award quotas, per-head money.

Nothing here knows a document: every amount, share, span and citation comes in as an argument, so a
program module is its parameters plus its citations (see ``programs/nanchang_academy/funding.py``).

Tranche machine
---------------
A designation (命名) receives ``total`` split by ``shares`` (e.g. 3:3:4) into tranches:

* the first tranche is paid in the naming year whatever happens (no assessment decides it);
* each later tranche is paid in a year whose assessment passes; a failed year does not pay, and the next
  passing year pays the tranche that was due (catch-up);
* a failure inside the cycle gives a yellow card; ``revoke_after`` (2) consecutive failures inside the
  cycle revoke the naming and nothing more is paid;
* the cycle is complete once every tranche is paid; from the following year on ANY failed assessment
  revokes the naming (a pass keeps it);
* the cycle spans at most ``cycle_years`` calendar years, the naming year counting as year 1
  (I-FUND-01): tranches still unpaid after the last year of the span lapse (I-FUND-02) and the
  post-cycle rule applies from then on;
* a fraud finding revokes the naming, claws back everything paid so far and bars reapplication
  (I-FUND-07); every revocation bars reapplication.

``step(state, year, result)`` is the yearly run (one designation-year, a few microseconds);
``replay(plan, results, fraud_year)`` folds ``step`` over the years and must agree with it.

The package, one module per idea: :mod:`.money` (rounding), :mod:`.tranches` (the machine),
:mod:`.schedule` (replay and its cited outcome), :mod:`.subsidies` (rate tables with caps), :mod:`.quotas`
(award quotas), :mod:`.per_head` (per-head money, one-off rewards), :mod:`.inputs` (shared input shapes) and
:mod:`.standard` (a named program's standard computations). Import from the package.
"""

from jiangxin.policy.funding.inputs import (
    Award,
    AwardFacts,
    EquipmentCondition,
    EquipmentFacts,
    EquipmentItem,
    UpgradeFacts,
    awards_outcome,
    check_counts,
    equipment_outcome,
    upgrade_outcome,
)
from jiangxin.policy.funding.money import CENT, ZERO, money
from jiangxin.policy.funding.per_head import PerHead, one_off_reward, per_head_funding
from jiangxin.policy.funding.quotas import AwardList, Breach, QuotaGroup, check_awards
from jiangxin.policy.funding.schedule import (
    TrancheFacts,
    TrancheReport,
    YearRow,
    plan_from_parameters,
    replay,
    tranche_outcome,
    tranche_schedule,
)
from jiangxin.policy.funding.standard import (
    INNOVATION_GROUP,
    equipment_subsidy,
    innovation_awards,
    register_standard_funding,
    three_tranche_paths,
    upgrade_subsidy,
)
from jiangxin.policy.funding.subsidies import (
    Line,
    Subsidy,
    apply_cap,
    per_unit,
    percentage,
    rate,
    subsidy_outcome,
    total,
)
from jiangxin.policy.funding.tranches import (
    CycleStatus,
    Event,
    EventKind,
    NextTranche,
    PathKey,
    RevocationReason,
    TrancheCitations,
    TranchePlan,
    TrancheSequenceError,
    TrancheState,
    make_plan,
    start,
    step,
)

__all__ = [
    "CENT",
    "INNOVATION_GROUP",
    "ZERO",
    "Award",
    "AwardFacts",
    "AwardList",
    "Breach",
    "CycleStatus",
    "EquipmentCondition",
    "EquipmentFacts",
    "EquipmentItem",
    "Event",
    "EventKind",
    "Line",
    "NextTranche",
    "PathKey",
    "PerHead",
    "QuotaGroup",
    "RevocationReason",
    "Subsidy",
    "TrancheCitations",
    "TrancheFacts",
    "TranchePlan",
    "TrancheReport",
    "TrancheSequenceError",
    "TrancheState",
    "UpgradeFacts",
    "YearRow",
    "apply_cap",
    "awards_outcome",
    "check_awards",
    "check_counts",
    "equipment_outcome",
    "equipment_subsidy",
    "innovation_awards",
    "make_plan",
    "money",
    "one_off_reward",
    "per_head_funding",
    "per_unit",
    "percentage",
    "plan_from_parameters",
    "rate",
    "register_standard_funding",
    "replay",
    "start",
    "step",
    "subsidy_outcome",
    "three_tranche_paths",
    "total",
    "tranche_outcome",
    "tranche_schedule",
    "upgrade_outcome",
    "upgrade_subsidy",
]
