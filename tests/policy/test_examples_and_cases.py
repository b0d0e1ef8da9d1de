"""Every computation ships a runnable example, and every program's YAML cases hold.

Case files live in ``src/jiangxin/programs/<program>/cases/*.yaml``; each case is::

    - name: two consecutive failures revoke the naming
      computation: tranche_schedule
      facts: {...}
      parameters: {...}          # optional office-set values
      expect:
        status: failed           # optional
        value: ...               # optional, compared after JSON conversion
        failed_rules: [a, b]     # optional, exact set of failed condition rules
        cites: [第二十四条]       # optional, articles that must appear in the trace
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jiangxin.policy.outcome import jsonable
from jiangxin.policy.registry import all_computations, get_computation

COMPUTATIONS = all_computations()
PROGRAMS_DIR = Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "programs"


def _cases():
    for path in sorted(PROGRAMS_DIR.glob("*/cases/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            yield pytest.param(path.parent.parent.name, case, id=f"{path.parent.parent.name}:{case['name']}")


@pytest.mark.parametrize("comp", COMPUTATIONS, ids=lambda c: f"{c.program.key}/{c.name}")
def test_every_computation_has_a_runnable_example_with_citations(comp):
    outcome = comp.run(comp.example.get("facts", comp.example), comp.example.get("parameters"))
    data = outcome.to_dict()
    assert data["trace"], "an outcome without a trace explains nothing"
    assert all(step["citation"]["article"] for step in data["trace"])


@pytest.mark.parametrize(("program", "case"), list(_cases()))
def test_program_yaml_cases(program, case):
    outcome = get_computation(program, case["computation"]).run(case["facts"], case.get("parameters"))
    expect = case["expect"]
    if "status" in expect:
        assert outcome.status.value == expect["status"]
    if "value" in expect:
        assert jsonable(outcome.value) == expect["value"]
    if "failed_rules" in expect:
        assert {s.rule for s in outcome.failures} == set(expect["failed_rules"])
    for article in expect.get("cites", []):
        assert any(c.article == article for c in outcome.citations), f"{article} not cited"
