"""The API's traced decision against OpenFisca's traced run of the same rule (not a test):
`.venv/bin/python bench/openfisca_compare.py` (needs the ``bench`` extra: openfisca-core).

The rule is 江苏省卓越技师培育计划's eligibility (第二、三、二十一、二十三条), encoded once more in OpenFisca's
own terms: one input variable per fact, one formula per condition and one for the result. The formulas reuse the
product's parameter values and its column-wise retirement table (``jiangsu_technician.screening``), so both
sides compute the same thing; before anything is timed, both decide 2,000 random variations of the example
person and must agree on every one.

Timed per decision, median over batches:

* **OpenFisca, traced** — build the simulation from the situation (``SimulationBuilder``, ``trace=True``),
  calculate the result and serialise the trace (``tracer.get_serialized_flat_trace()``): what a web API that
  answers with OpenFisca's explanation does per request;
* **Jiangxin API path** — validate the JSON facts (``Computation.run``'s parsing), decide with the full cited
  trace and encode the response body (``api.outcome_json``).

The issue asks for the API path ≥ 10× faster. Writes bench/results/openfisca_compare.json.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import median_per_call  # noqa: E402  (the policy benchmarks' timer)

RESULTS = ROOT / "bench" / "results"
#: OpenFisca needs a period: the plan year's (every variable is yearly)
YEAR = "2026"
#: random variations of the example person both encodings must decide alike before anything is timed
AGREEMENT_POPULATION = 2000


def openfisca_system(p: Any, plan_year: int) -> Any:
    """The rule as an OpenFisca tax-benefit system (``p``: the product's eligibility parameters)."""
    from openfisca_core.entities import build_entity
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    from jiangxin.programs.jiangsu_technician.screening import add_months, retirement_dates

    person = build_entity(key="person", plural="persons", label="候选人", is_person=True)
    system = TaxBenefitSystem([person])
    until = np.datetime64(dt.date(plan_year + p.margin_years, 1, 1), "D")
    reference = np.datetime64(dt.date(plan_year, 1, 1), "D")
    never = np.datetime64("1000-01-01", "D")

    def variable(name: str, value_type: type, formula: Any = None, default: Any = None) -> None:
        attrs: dict[str, Any] = {"value_type": value_type, "entity": person, "definition_period": DateUnit.YEAR,
                                 "label": name}
        if default is not None:
            attrs["default_value"] = default
        if formula is not None:
            attrs["formula"] = formula  # OpenFisca reads the function from the class body
        system.add_variable(type(name, (Variable,), attrs))

    for name in ("is_b", "leading_talent", "chief_conditions_met", "outstanding", "received_former_chief_subsidy",
                 "former_subsidy_exception"):
        variable(name, bool)
    for name in ("skill_rank", "original_retirement_age"):
        variable(name, int)
    variable("birth_date", dt.date)
    for name in ("last_participation_end", "recommended_on", "employer_ban_start", "employer_ban_end",
                 "external_ban_start", "external_ban_end"):
        variable(name, dt.date, default=dt.date(1000, 1, 1))  # OpenFisca has no missing date: a far past one

    def covered(day: Any, start: Any, end: Any) -> Any:
        return (start != never) & (start <= day) & (day <= end)

    variable("basis", bool, lambda c, period: np.where(c("is_b", period), c("chief_conditions_met", period),
                                                       c("leading_talent", period)))
    variable("skill_level_met", bool, lambda c, period: (c("skill_rank", period) >= p.main_rank)
             | ((c("skill_rank", period) >= p.exceptional_rank) & c("outstanding", period)))
    variable("retirement_margin", bool, lambda c, period: retirement_dates(
        c("birth_date", period).astype("datetime64[D]"), c("original_retirement_age", period).astype(np.int64))
        >= until)
    variable("former_subsidy", bool, lambda c, period: ~c("is_b", period) | ~(
        p.subsidy_bars_b & c("received_former_chief_subsidy", period)
        & ~(c("former_subsidy_exception", period) & c("received_former_chief_subsidy", period))))
    variable("participation_gap", bool, lambda c, period: (c("last_participation_end", period) == never) | (
        add_months(c("last_participation_end", period).astype("datetime64[D]"), 12 * p.gap_years) <= reference))
    variable("employer_ban", bool, lambda c, period: ~covered(
        c("recommended_on", period), c("employer_ban_start", period), c("employer_ban_end", period)))
    variable("external_ban", bool, lambda c, period: ~covered(
        c("recommended_on", period), c("external_ban_start", period), c("external_ban_end", period)))
    variable("eligible", bool, lambda c, period: c("basis", period) & c("skill_level_met", period)
             & c("retirement_margin", period) & c("former_subsidy", period) & c("participation_gap", period)
             & c("employer_ban", period) & c("external_ban", period))
    return system


def situation(people: list[dict[str, Any]]) -> dict[str, Any]:
    """People's facts (as the API takes them) as an OpenFisca situation."""
    return {"persons": {f"p{i}": {name: {YEAR: value} for name, value in _inputs(facts).items()}
                        for i, facts in enumerate(people)}}


def _inputs(facts: dict[str, Any]) -> dict[str, Any]:
    from jiangxin.policy.levels import SKILL_RANK

    ended = [p["ended_on"] for p in facts.get("previous_participations", [])]
    values: dict[str, Any] = {
        "is_b": facts["track"] == "B", "leading_talent": bool(facts.get("leading_talent")),
        "chief_conditions_met": bool((facts.get("chief_technician") or {}).get("met")),
        "outstanding": bool(facts.get("outstanding")),
        "received_former_chief_subsidy": bool(facts.get("received_former_chief_subsidy")),
        "former_subsidy_exception": bool(facts.get("former_subsidy_exception")),
        "skill_rank": SKILL_RANK[facts["skill_level"]], "original_retirement_age": facts["original_retirement_age"],
        "birth_date": facts["birth_date"], "recommended_on": facts["recommended_on"]}
    if ended:
        values["last_participation_end"] = max(ended)
    for fact, prefix in (("employer_recommendation_ban", "employer_ban"),):
        if facts.get(fact):
            values[f"{prefix}_start"], values[f"{prefix}_end"] = facts[fact]["start"], facts[fact]["end"]
    if facts.get("external_bans"):
        values["external_ban_start"], values["external_ban_end"] = (facts["external_bans"][0]["start"],
                                                                    facts["external_bans"][0]["end"])
    return values


def population(example: dict[str, Any], n: int, seed: int = 20261207) -> list[dict[str, Any]]:
    """``n`` variations of the example person: every condition passes or fails somewhere."""
    import random

    from jiangxin.policy.levels import SKILL_RANK

    rng = random.Random(seed)
    people = []
    for _ in range(n):
        facts = {k: v for k, v in example.items() if k not in ("outstanding", "chief_technician", "leading_talent",
                                                                "previous_participations")}
        track = rng.choice("AB")
        original = rng.choice((50, 55, 60))
        facts.update(track=track, original_retirement_age=original, sex="male" if original == 60 else "female",
                     skill_level=rng.choice(list(SKILL_RANK)),
                     birth_date=(dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(12000))).isoformat(),
                     received_former_chief_subsidy=rng.random() < 0.2)
        if rng.random() < 0.3:
            facts["outstanding"] = {"reason": "比赛获奖", "confirmed_by": "核实人"}
        if track == "A" and rng.random() < 0.8:
            facts["leading_talent"] = {"criterion": "领军人才", "confirmed_by": "核实人"}
        if track == "B":
            facts["chief_technician"] = {"met": rng.random() < 0.8, "confirmed_by": "核实人"}
        if rng.random() < 0.3:
            ended = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500))
            facts["previous_participations"] = [{"plan_year": 2018, "ended_on": ended.isoformat()}]
        if rng.random() < 0.15:
            start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
            facts["employer_recommendation_ban"] = {"start": start.isoformat(),
                                                    "end": (start + dt.timedelta(days=365)).isoformat()}
        if rng.random() < 0.15:
            start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
            facts["external_bans"] = [{"start": start.isoformat(), "end": (start + dt.timedelta(days=365)).isoformat(),
                                       "reason": "禁入", "imposed_by": "主管部门"}]
        people.append(facts)
    return people


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from openfisca_core.simulations import SimulationBuilder

    from jiangxin.platform.api.outcome_json import outcome_json
    from jiangxin.policy.registry import get_computation
    from jiangxin.programs.jiangsu_technician.rules import _eligibility_params

    comp = get_computation("jiangsu_technician", "eligibility")
    example = comp.example
    facts = example.get("facts", example)
    as_of = dt.date.fromisoformat(facts["as_of"])
    params = comp.program.parameters()
    system = openfisca_system(_eligibility_params(params, as_of), int(facts["plan_year"]))
    case = situation([example])

    def openfisca_traced() -> tuple[bool, Any]:
        simulation = SimulationBuilder().build_from_entities(system, case)
        simulation.trace = True
        eligible = bool(simulation.calculate("eligible", YEAR)[0])
        return eligible, simulation.tracer.get_serialized_flat_trace()

    def api_path() -> bytes:
        return outcome_json(comp.run(example))

    ours = comp.run(example)
    _, trace = openfisca_traced()
    people = population(example, AGREEMENT_POPULATION)
    simulation = SimulationBuilder().build_from_entities(system, situation(people))
    theirs = simulation.calculate("eligible", YEAR)
    mine = np.array([comp.run(facts).status.value == "eligible" for facts in people])
    disagree = int((mine != theirs).sum())
    assert disagree == 0, f"the two encodings disagree on {disagree} of {len(people)} people"
    of_s = median_per_call(openfisca_traced, calls=200)
    api_s = median_per_call(api_path, calls=2000)
    decide_s = median_per_call(lambda: comp.run(example), calls=2000)
    result = {
        "rule": "jiangsu_technician/eligibility (第二、三、二十一、二十三条), the example person",
        "openfisca_core": metadata.version("openfisca-core"),
        "openfisca_traced_ms": round(of_s * 1000, 4), "openfisca_trace_entries": len(trace),
        "jiangxin_api_path_ms": round(api_s * 1000, 4), "jiangxin_decision_with_validation_ms": round(decide_s * 1000, 4),
        "jiangxin_trace_steps": len(ours.trace), "speedup": round(of_s / api_s, 1), "goal_speedup": 10,
        "agreement": {"people": len(people), "eligible": int(mine.sum()), "disagreements": disagree}, "python": platform.python_version(), "machine": platform.machine(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "openfisca_compare.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
