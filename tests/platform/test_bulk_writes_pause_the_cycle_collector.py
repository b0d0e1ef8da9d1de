"""A bulk write (the yearly run) pauses Python's cyclic garbage collector while it holds its rows, and gives it
back as it was, also when the write fails."""

from __future__ import annotations

import gc

import pytest

from jiangxin.platform.core.bulk import without_cycle_collector


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled()
    with without_cycle_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_write_gives_the_collector_back() -> None:
    with pytest.raises(ValueError), without_cycle_collector():
        raise ValueError("write refused")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with without_cycle_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
