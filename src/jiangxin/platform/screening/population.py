"""The population a screening run reads: the people registry within the office's data scope, or an uploaded table.

The registry holds what a person record holds (birth date, original retirement age, skill level) and the bans on the
register; findings that staff must confirm (e.g. a class basis) are not in the registry, so such conditions show as
unmet and the person appears among those one condition short — the list to follow up (I-SCR-01)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.people.levels import POLICY_NAME
from jiangxin.platform.people.models import Ban, Person
from jiangxin.policy.screening import Screener
from jiangxin.screening_table import read_table

#: original statutory retirement age when the person record leaves it blank (I-SCR-01): men 60, women 55
DEFAULT_ORIGINAL_AGE = {"male": 60, "female": 55}
CHUNK = 20000


def from_registry(screener: Screener, user: Any, program: str, track: str,
                  progress: Any = None) -> tuple[dict[str, npt.NDArray[Any]], list[str]]:
    people = scope(Person.objects.all(), user, org_field="employer").order_by("pk")
    total = people.count()
    pks: list[int] = []
    births: list[Any] = []
    ages: list[int] = []
    levels: list[str] = []
    for n, (pk, birth, sex, original, level) in enumerate(people.values_list(
            "pk", "birth_date", "sex", "original_retirement_age", "skill_level").iterator(chunk_size=CHUNK)):
        pks.append(pk)
        births.append(birth)
        ages.append(int(original or DEFAULT_ORIGINAL_AGE.get(sex, 60)))
        levels.append(POLICY_NAME.get(level, "") if level else "")
        if progress and n % CHUNK == 0 and total:
            progress(10 + int(50 * n / total))
    size = len(pks)
    columns: dict[str, npt.NDArray[Any]] = {
        "birth_date": np.array(births, dtype="datetime64[D]"),
        "original_retirement_age": np.array(ages, dtype=np.int64),
        "skill_level": np.array(levels, dtype=str),
    }
    names = {c.name for c in screener.columns}
    if "track" in names:
        columns["track"] = np.full(size, track or "A")
    if "recommended_on" in names:
        columns["recommended_on"] = np.full(size, np.datetime64("today", "D"))
    if "external_ban_start" in names and size:
        _bans(columns, pks, program)
    return columns, [str(pk) for pk in pks]


def _bans(columns: dict[str, npt.NDArray[Any]], pks: list[int], program: str) -> None:
    """The latest ban on the register for this program, per person (a missing end is a permanent ban)."""
    index = {pk: i for i, pk in enumerate(pks)}
    start = np.full(len(pks), np.datetime64("NaT", "D"))
    end = np.full(len(pks), np.datetime64("NaT", "D"))
    for person_id, begins, ends in (Ban.objects.filter(person_id__isnull=False, program=program)
                                    .order_by("person_id", "start").values_list("person_id", "start", "end")):
        i = index.get(person_id)
        if i is not None:
            start[i] = np.datetime64(begins, "D")
            end[i] = np.datetime64(ends or "9999-12-31", "D")
    columns["external_ban_start"], columns["external_ban_end"] = start, end


def from_upload(screener: Screener, name: str, data: bytes) -> tuple[dict[str, npt.NDArray[Any]], list[str]]:
    return read_table(screener, Path(name), data)
