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
from jiangxin.policy.registry import all_computations, get_computation


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


def _outcomes_of(comp: Any) -> Iterator[tuple[str, Outcome[Any]]]:
    """The outcomes of one computation: its example and variations of each fact. Computed inside the tests, never at
    collection: a publicity or deadline computation reads the working-day calendar, which the platform keeps in the
    database (reading it at import time would open a connection before the test database exists)."""
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


COMPUTATIONS = [f"{comp.program.key}/{comp.name}" for comp in all_computations()]


@pytest.mark.django_db
def test_many_outcomes_and_failures_are_covered() -> None:
    outcomes = [pair for comp in all_computations() for pair in _outcomes_of(comp)]
    assert len(outcomes) > 200
    assert sum(bool(o.failures) for _, o in outcomes) > 30
    assert len({name.split("#")[0] for name, _ in outcomes}) == len(COMPUTATIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("key", COMPUTATIONS)
def test_fast_serialiser_equals_to_dict(key: str) -> None:
    program, name = key.split("/")
    for case, outcome in _outcomes_of(get_computation(program, name)):
        old = outcome.to_dict()
        assert outcome_data(outcome) == old, case
        # the JSON the API wrote before (Django Ninja's renderer of to_dict) and now: the same document
        rendered = JSONRenderer().render(None, old, response_status=200)  # type: ignore[arg-type]
        assert json.loads(outcome_json(outcome)) == json.loads(rendered), case


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
