"""附件2 evaluation (base 100 + bonus 100 = 200) scored by the generic rubric engine.

The rubric data is ``rubrics/evaluation.yaml``. Its presence item (基础分第2项) takes the total missing days,
which this module computes from the monthly presence logs with :func:`rules.presence_shortfall` — the same
logic as the ``presence`` computation. The pass mark is not in the document: an office sets it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import create_model

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.rubric import load_rubric, rubric_entries_model, rubric_facts_model, score_rubric
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.presence import PresenceFacts, presence_shortfall

ANNEX_2 = cite("zhenjiang_park", "附件2")
ANNUAL = cite("zhenjiang_park", "五", "（二）")
RUBRIC = load_rubric(Path(__file__).parent / "rubrics" / "evaluation.yaml")
PRESENCE_ITEM = "monthly_presence"
_MAX = RUBRIC.max_total
_ENTRIES = rubric_entries_model(RUBRIC)

_ITEM_FIELDS: dict[str, Any] = {name: (field.annotation, field)
                for name, field in rubric_facts_model(RUBRIC).model_fields.items()
                if name not in {"as_of", PRESENCE_ITEM}}

#: as_of, the monthly presence log (validated as in ``presence``) and one field per other rubric item.
EvaluationFacts: type[Facts] = create_model(
    "ZhenjiangParkEvaluationFacts", __base__=PresenceFacts,
    __doc__="附件2 考核评估: 每月到园天数 plus the entries of every other item of the rubric.",
    **_ITEM_FIELDS)


@computation(PROGRAM, "evaluation", "入驻工作室年度绩效评估", ANNEX_2, EvaluationFacts)
def evaluation(facts: Any, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """附件2: score 200 points (presence from the monthly logs) and compare the total with the office's mark."""
    trace = Trace()
    trace.add("annual_evaluation", ANNUAL, RUBRIC.key, note="每年绩效评估，细则见附件2")
    shortfall = presence_shortfall(facts.days_on_site, params, facts.as_of, trace)
    entries: dict[str, Any] = {name: getattr(facts, name) for name in _ITEM_FIELDS}
    entries[PRESENCE_ITEM] = shortfall.missing_days
    # every entry was validated by this computation's facts model (same field types as the rubric's) and the
    # missing days are a whole number ≥ 0: build the entries model without validating twice
    result = score_rubric(RUBRIC, _ENTRIES.model_construct(**entries), trace)
    mark = params.get("evaluation_pass_mark", facts.as_of)
    pass_mark = Decimal(mark.value)
    if not Decimal(0) <= pass_mark <= _MAX:
        raise ParameterError(f"evaluation_pass_mark must be between 0 and {_MAX} (the total of 附件2), "
                             f"got {pass_mark}")
    passed = trace.check("evaluation_pass_mark", mark.citation, result.total >= pass_mark and not result.vetoed,
                         inputs={"total": result.total}, parameters={mark.name: pass_mark},
                         note="total of 200 (base + bonus) at or above the office's mark (I-ZJ-05)")
    value = {"total": result.total, "base": result.groups.get("base", Decimal(0)),
             "bonus": result.groups.get("bonus", Decimal(0)), "max_total": _MAX, "pass_mark": pass_mark,
             "passed": passed, "missing_days": shortfall.missing_days,
             "missing_per_month": shortfall.per_month,
             "sections": result.sections, "breakdown": [item.to_dict() for item in result.items]}
    return Outcome(value, Status.PASSED if passed else Status.FAILED, trace.steps)
