"""Screening runs: who may screen what, starting a run, carrying it out (in a background task), reading its rows.

Every state change of a run is a registered transition (``screening/transitions.py``)."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.rounds.models import Program
from jiangxin.platform.rounds.services import all_programs
from jiangxin.platform.screening.models import ScreeningRun
from jiangxin.policy.registry import get_computation
from jiangxin.policy.screening import SCREENERS, Screener, ScreenResult, get_screener

PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ScreeningError(Exception):
    """A screening request that cannot be carried out (Chinese message for the page)."""


def can_screen(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.OFFICE
                and getattr(user, "organisation", None) is not None)


def screenable(user: Any) -> list[tuple[Program, Screener]]:
    """The programs of the user's jurisdiction that declare a screen, with their screener."""
    if not can_screen(user):
        return []
    from jiangxin.programs import load_all

    load_all()
    programs = [p for p in all_programs() if p.jurisdiction == user.organisation.jurisdiction]
    return [(p, s) for p in programs for (key, _name), s in SCREENERS.items() if key == p.key]


def has_screenable_program(user: Any) -> bool:
    """Whether any program of the user's jurisdiction declares a screen (for the navigation)."""
    from jiangxin.programs import load_all

    load_all()
    keys = {key for key, _name in SCREENERS}
    return any(p.key in keys and p.jurisdiction == user.organisation.jurisdiction for p in all_programs())


def visible_runs(user: Any) -> QuerySet[ScreeningRun]:
    if not can_screen(user):
        return ScreeningRun.objects.none()
    return scope(ScreeningRun.objects.all(), user)


def execute(run: ScreeningRun, progress: Any) -> ScreenResult:
    """Read the population and screen it; store the result file; returns the result."""
    from jiangxin.platform.screening import population

    screener = get_screener(run.program, run.computation)
    progress(5)
    if run.source == "upload":
        with run.upload.open("rb") as handle:
            columns, keys = population.from_upload(screener, run.upload_name, handle.read())
    else:
        columns, keys = population.from_registry(screener, run.created_by, run.program, run.track, progress)
    progress(60)
    params = get_computation(run.program, run.computation).program.parameters()
    result = screener.run(columns, params, run.as_of, run.plan_year)
    progress(90)
    buffer = io.BytesIO()
    arrays: dict[str, Any] = {"__keys__": np.array(keys, dtype=str), "__eligible__": result.eligible,
                              **{f"passed__{k}": v for k, v in result.passed.items()},
                              **{f"column__{k}": v for k, v in columns.items()}}
    np.savez_compressed(buffer, **arrays)  # one mapping: numpy's stub would bind an unpacked dict to allow_pickle
    run.result_file = default_storage.save(f"screening/results/run-{run.pk}.npz", ContentFile(buffer.getvalue()))
    return result


@lru_cache(maxsize=4)
def _load(name: str) -> dict[str, npt.NDArray[Any]]:
    with default_storage.open(name, "rb") as handle:
        data = np.load(io.BytesIO(handle.read()), allow_pickle=False)
        return {k: data[k] for k in data.files}


def result_of(run: ScreeningRun) -> tuple[ScreenResult, dict[str, npt.NDArray[Any]], list[str]]:
    data = _load(run.result_file)
    screener = get_screener(run.program, run.computation)
    passed = {c.key: data[f"passed__{c.key}"] for c in screener.conditions}
    columns = {k[len("column__"):]: v for k, v in data.items() if k.startswith("column__")}
    return ScreenResult(screener.conditions, passed, data["__eligible__"]), columns, [str(k) for k in data["__keys__"]]


FILTERS = ("eligible", "near", "all")


def row_indices(result: ScreenResult, which: str, condition: str = "") -> npt.NDArray[np.int64]:
    if which == "eligible":
        mask = result.eligible
    elif which == "near":
        mask = result.near
        if condition in result.passed:
            mask = mask & ~result.passed[condition]
    else:
        mask = np.ones(result.size, dtype=bool)
    return np.flatnonzero(mask)


def person_trace(run: ScreeningRun, row: int) -> Any:
    """The full per-person computation of one row (its Outcome with every step and article)."""
    result, columns, _keys = result_of(run)
    if not 0 <= row < result.size:
        raise ScreeningError("没有这一行。")
    screener = get_screener(run.program, run.computation)
    facts = screener.to_facts(columns, row, run.as_of, run.plan_year)
    return get_computation(run.program, run.computation).run(facts)


def default_plan_year() -> int:
    return dt.date.today().year + 1
