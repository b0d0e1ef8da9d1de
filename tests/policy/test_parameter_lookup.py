"""Dated parameter lookup: the entry in force on a day (binary search), memoised in an immutable set."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.outcome import cite
from jiangxin.policy.parameters import Kind, Parameter, ParameterSet, ParamValue, Source

CITE = cite("office", "测试通知")


def _entry(since: dt.date, value: int) -> ParamValue:
    return ParamValue("rate", Decimal(value), CITE, since, Source.OFFICE)


def _set(*sinces: dt.date) -> ParameterSet:
    entries = tuple(_entry(d, i) for i, d in enumerate(sinces))
    return ParameterSet("jiangsu_technician", {"rate": Parameter("rate", Kind.SCALAR, "标准", "yuan", entries)})


def test_a_dated_value_applies_from_its_since_day_inclusive():
    params = _set(dt.date(2024, 1, 1), dt.date(2025, 7, 1), dt.date(2027, 1, 1))
    assert params.value("rate", dt.date(2024, 1, 1)) == 0
    assert params.value("rate", dt.date(2025, 6, 30)) == 0
    assert params.value("rate", dt.date(2025, 7, 1)) == 1
    assert params.value("rate", dt.date(2026, 12, 31)) == 1
    assert params.value("rate", dt.date(2030, 1, 1)) == 2
    with pytest.raises(ParameterError, match="not in force on 2023-12-31"):
        params.get("rate", dt.date(2023, 12, 31))


@given(st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), min_size=1, max_size=8, unique=True),
       st.dates(dt.date(1999, 1, 1), dt.date(2101, 1, 1)))
def test_lookup_is_the_last_entry_on_or_before_the_day(sinces, day):
    params = _set(*sorted(sinces))
    expected = [i for i, d in enumerate(sorted(sinces)) if d <= day]
    if not expected:
        with pytest.raises(ParameterError):
            params.get("rate", day)
    else:
        assert params.value("rate", day) == expected[-1]
        assert params.get("rate", day) is params.get("rate", day)  # memoised: the same entry


def test_entries_out_of_date_order_are_refused():
    with pytest.raises(ParameterError, match="ascending order"):
        _set(dt.date(2025, 1, 1), dt.date(2024, 1, 1))


def test_overrides_make_a_new_set_and_leave_the_memoised_one_alone():
    params = _set(dt.date(2024, 1, 1))
    day = dt.date(2026, 1, 1)
    assert params.value("rate", day) == 0
    changed = params.with_overrides({"rate": 5})
    assert changed.value("rate", day) == Decimal(5)
    assert params.value("rate", day) == 0
    with pytest.raises(TypeError):
        params.overrides["rate"] = changed.get("rate", day)  # type: ignore[index]


def test_derived_bundles_are_built_once_per_set_and_date():
    calls = []

    def bundle(p: ParameterSet, on: dt.date) -> Decimal:
        calls.append(on)
        return Decimal(p.value("rate", on)) * 2

    params = _set(dt.date(2024, 1, 1))
    day = dt.date(2026, 1, 1)
    assert params.derive(bundle, day) == params.derive(bundle, day) == 0
    assert calls == [day]
    assert params.with_overrides({"rate": 4}).derive(bundle, day) == Decimal(8)
    assert calls == [day, day]
