"""The API's fast outcome serialiser gives exactly the data of ``Outcome.to_dict()`` (the old path), over
every computation's example and many variations of its facts (failures, other values, other types)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from ninja.renderers import JSONRenderer

from jiangxin.platform.api.outcome_json import convert, outcome_data, outcome_json
from jiangxin.policy.outcome import Outcome, jsonable
from jiangxin.policy.registry import all_computations


def _variants(value: Any) -> Iterator[Any]:
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, int | float):
        yield from (0, value * 2, value // 2 if isinstance(value, int) else value / 2)
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            yield ""
        else:
            yield from ((day - dt.timedelta(days=3650)).isoformat(), (day + dt.timedelta(days=400)).isoformat())
    elif isinstance(value, list) and value:
        yield value[:1]
        yield []


def _outcomes() -> Iterator[tuple[str, Outcome[Any]]]:
    for comp in all_computations():
        example = comp.example
        wrapped = isinstance(example, dict) and "facts" in example and set(example) <= {"facts", "parameters",
                                                                                       "reference"}
        facts = example["facts"] if wrapped else example
        overrides = example.get("parameters") if wrapped else None
        bodies = [facts]
        if isinstance(facts, dict):
            for key, value in facts.items():
                for variant in _variants(value):
                    changed = copy.deepcopy(facts)
                    changed[key] = variant
                    bodies.append(changed)
        for n, body in enumerate(bodies):
            try:
                outcome = comp.run(body, overrides)
            except Exception:  # a variation the computation refuses: not an outcome to compare
                continue
            yield f"{comp.program.key}/{comp.name}#{n}", outcome


OUTCOMES = list(_outcomes())


def test_many_outcomes_and_failures_are_covered() -> None:
    assert len(OUTCOMES) > 200
    assert sum(bool(o.failures) for _, o in OUTCOMES) > 30
    assert len({name.split("#")[0] for name, _ in OUTCOMES}) == len(list(all_computations()))


@pytest.mark.parametrize(("name", "outcome"), OUTCOMES, ids=[n for n, _ in OUTCOMES])
def test_fast_serialiser_equals_to_dict(name: str, outcome: Outcome[Any]) -> None:
    old = outcome.to_dict()
    assert outcome_data(outcome) == old
    # the JSON the API wrote before (Django Ninja's renderer of to_dict) and now: the same document
    rendered = JSONRenderer().render(None, old, response_status=200)  # type: ignore[arg-type]
    assert json.loads(outcome_json(outcome)) == json.loads(rendered)


def test_every_kind_of_value_converts_like_jsonable() -> None:
    from decimal import Decimal

    from jiangxin.policy.outcome import Status, cite

    values = [None, True, 3, "文", Decimal("1.50"), 2.5, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4),
              Status.ELIGIBLE, cite("nanchang_academy", "第二十四条"), {1: Decimal("2"), "a": [dt.date(2026, 1, 1)]},
              (1, "x"), frozenset({"y"}), [{"k": (Decimal("0.1"),)}]]
    for value in values * 2:  # the second time through the compiled converters
        assert convert(value) == jsonable(value)
    with pytest.raises(TypeError):
        convert(object())
