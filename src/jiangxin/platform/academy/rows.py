"""Trainee rows: the template's columns and the row-level checks of the trainee import (学员库, 第十条).

Kept free of database access so the checks can also run in worker processes: :func:`check_chunk` takes
raw rows and returns insertable tuples plus Chinese error messages (row number, column, message).
The ID number is checked with :func:`jiangxin.policy.identity.parse_resident_id` (GB 11643) and kept only
as its keyed hash (the people registry's HMAC key, see ``people.crypto.id_hash``) and its masked form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

from jiangxin.platform.people.levels import POLICY_NAME, SKILL_RANK, SkillLevel
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.identity import mask_resident_id, parse_resident_id

#: template columns, in order (the header row must carry exactly these names)
HEADERS: tuple[str, ...] = ("姓名", "公民身份号码", "培训专业", "培训期次编号", "培训开始日期", "培训结束日期",
                            "培训前技能等级", "培训后技能等级", "农民工", "未就业大学生", "困难职工")
HELP: dict[str, str] = {
    "姓名": "必填，不超过50字",
    "公民身份号码": "必填，18位，末位校验码须正确",
    "培训专业": "必填，如：数控车工",
    "培训期次编号": "必填，本学院自编，如：2026-焊工-03",
    "培训开始日期": "必填，格式 2026-03-01",
    "培训结束日期": "必填，不早于开始日期，不晚于导入当日",
    "培训前技能等级": "可空；新八级等级名称（学徒工至首席技师），如：高级工",
    "培训后技能等级": "可空；同上，不得低于培训前等级",
    "农民工": "是/否（可空，视为否）",
    "未就业大学生": "是/否（可空，视为否）",
    "困难职工": "是/否（可空，视为否）",
}
#: 新八级 labels as written in the template (plain strings: worker processes have no Django set up, so the
#: lazy labels of ``SkillLevel`` cannot be evaluated there; a test keeps the two equal)
LEVEL_LABELS: dict[str, str] = {str(code): name for code, name in POLICY_NAME.items()}
assert list(LEVEL_LABELS) == list(SkillLevel.values)
#: label or code → level code
LEVELS: dict[str, str] = {**{label: value for value, label in LEVEL_LABELS.items()},
                          **{value: value for value in LEVEL_LABELS}}
YES = frozenset({"是", "Y", "YES", "1", "TRUE", "√", "✓"})
NO = frozenset({"", "否", "N", "NO", "0", "FALSE"})
MIN_AGE = 16  # 参训时应满16周岁 (minimum working age under the Labour Law)

Row = tuple[Any, ...]
Error = tuple[int, str, str]

_hasher: Any = None
_today: dt.date = dt.date.today()


def configure(hash_key: bytes, today: dt.date) -> None:
    """Set the HMAC key (the people registry's lookup-hash key) and the import date for this process."""
    global _hasher, _today
    _hasher = hmac.new(hash_key, digestmod=hashlib.sha256)
    _today = today


def keyed_hash(number: str) -> str:
    h = _hasher.copy()
    h.update(number.encode("ascii"))
    return str(h.hexdigest())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return dt.date.fromisoformat(text)
    if len(text) == 10 and text[4] in "/." and text[7] == text[4]:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    if len(text) == 8 and text.isdecimal():
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if text.count("/") == 2 or text.count("-") == 2:  # 2026/3/1
        y, m, d = text.replace("/", "-").split("-")
        return dt.date(int(y), int(m), int(d))
    raise ValueError(text)


def check_row(rowno: int, values: Sequence[Any], errors: list[Error]) -> Row | None:
    """Check one row; returns the insertable tuple or None (and appends its errors)."""
    n = len(values)
    cells = [v.strip() if type(v) is str else _text(v) for v in values[:11]]
    if n < 11:
        cells += [""] * (11 - n)
    bad = len(errors)
    name = cells[0]
    if not name:
        errors.append((rowno, "姓名", "姓名不能为空"))
    elif len(name) > 50:
        errors.append((rowno, "姓名", "姓名超过50字"))
    number = cells[1].upper()
    birth: dt.date | None = None
    sex = ""
    try:
        parsed = parse_resident_id(number)
        number, birth, sex = parsed.number, parsed.birth_date, parsed.sex
    except PolicyError as exc:
        errors.append((rowno, "公民身份号码", str(exc).split(" / ")[0] if number else "公民身份号码不能为空"))
    major, session = cells[2], cells[3]
    if not major:
        errors.append((rowno, "培训专业", "培训专业不能为空"))
    elif len(major) > 100:
        errors.append((rowno, "培训专业", "培训专业超过100字"))
    if not session:
        errors.append((rowno, "培训期次编号", "培训期次编号不能为空"))
    elif len(session) > 50:
        errors.append((rowno, "培训期次编号", "培训期次编号超过50字"))
    dates: list[dt.date | None] = []
    for i, field in ((4, "培训开始日期"), (5, "培训结束日期")):
        raw = values[i] if i < n else None
        if not cells[i]:
            errors.append((rowno, field, f"{field}不能为空"))
            dates.append(None)
            continue
        try:
            dates.append(parse_date(raw))
        except ValueError:
            errors.append((rowno, field, f"{field}“{cells[i]}”不是有效日期，应为 年-月-日，如 2026-03-01"))
            dates.append(None)
    start, end = dates
    if start and end:
        if end < start:
            errors.append((rowno, "培训结束日期", "培训结束日期早于开始日期"))
        elif end > _today:
            errors.append((rowno, "培训结束日期", "培训结束日期晚于导入当日（培训结束后方可录入）"))
        if birth and start < dt.date(birth.year + MIN_AGE, birth.month, 28 if (birth.month, birth.day) == (2, 29)
                                     else birth.day):
            errors.append((rowno, "培训开始日期", f"参训时未满{MIN_AGE}周岁（按公民身份号码中的出生日期）"))
    levels: list[str] = []
    for i, field in ((6, "培训前技能等级"), (7, "培训后技能等级")):
        text = cells[i]
        code = LEVELS.get(text, "") if text else ""
        if text and not code:
            errors.append((rowno, field, f"“{text}”不是新八级技能等级（学徒工至首席技师）"))
        levels.append(code)
    before, after = levels
    if before and after and SKILL_RANK[after] < SKILL_RANK[before]:
        errors.append((rowno, "培训后技能等级", "培训后技能等级低于培训前等级"))
    flags: list[bool] = []
    for i, field in ((8, "农民工"), (9, "未就业大学生"), (10, "困难职工")):
        text = cells[i].upper()
        if text in YES:
            flags.append(True)
        elif text in NO:
            flags.append(False)
        else:
            errors.append((rowno, field, f"“{cells[i]}”应填“是”或“否”"))
            flags.append(False)
    if len(errors) != bad:
        return None
    upgraded = bool(after) and SKILL_RANK[after] > (SKILL_RANK[before] if before else -1)
    # dates as ISO text: both databases take it for a date column, and it crosses process boundaries cheaply
    assert birth is not None and start is not None and end is not None, "parsed: no new errors"
    return (name, keyed_hash(number), mask_resident_id(number), birth.isoformat(), sex, major, session,
            start.isoformat(), end.isoformat(), before, after, upgraded, flags[0], flags[1], flags[2])


def blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def check_chunk(chunk: Iterable[tuple[int, Sequence[Any]]]) -> tuple[list[Row], list[Error]]:
    """Check a chunk of (row number, values)."""
    good: list[Row] = []
    errors: list[Error] = []
    append = good.append
    for rowno, values in chunk:
        row = check_row(rowno, values, errors)
        if row is not None:
            append(row)
    return good, errors


#: database columns filled from a checked row (after ``academy_id`` and ``import_job_id``)
ROW_COLUMNS: tuple[str, ...] = ("name", "id_hash", "id_mask", "birth_date", "sex", "major", "session_code",
                                "start_date", "end_date", "level_before", "level_after", "upgraded",
                                "migrant_worker", "unemployed_graduate", "hardship_worker")


def check_csv_text(first_rowno: int, text: str) -> tuple[int, list[Row], list[Error]]:
    """Parse and check a block of whole CSV records (worker side): (records, good rows, errors)."""
    import csv
    import io

    chunk: list[tuple[int, Sequence[Any]]] = []
    rowno = first_rowno
    for values in csv.reader(io.StringIO(text, newline="")):
        if values and not blank(values):
            chunk.append((rowno, values))
        rowno += 1
    good, errors = check_chunk(chunk)
    return len(chunk), good, errors


def _worker_init(hash_key: bytes, today: dt.date) -> None:
    configure(hash_key, today)
