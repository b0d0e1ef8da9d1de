"""Sanctions and exits (处分与退出) only on the grounds a program's document lists.

A program folder may hold ``sanctions.yaml``::

    program: nanchang_studio
    grounds:
      - key: yellow_card                     # stable key of the ground
        title: 补助周期内一年考评不合格         # paraphrase shown on the form (never the policy's sentence)
        title_en: A failed assessment …      # its English title
        action: yellow_card                  # see ACTIONS
        cite: {article: 第十一条, clause: （四）}
        from: [active]                       # designation states the ground applies to
        facts: [failed_year]                 # what the office states (see FACTS)
        checks: [failed_in_record]           # what is verified against the records (see CHECKS)
        fraud: false                         # true: claw back everything paid and ban, in the same transaction
        ban: {subject: holder, programs: [own], years: 3}   # optional: the ban the ground carries

:func:`decide` is the guard of every sanction: it refuses a ground the document does not list, a state the
ground does not apply to, missing facts, and facts the records contradict (e.g. a yellow card for a year whose
assessment was passed, a lift without a later passing assessment). No Django, no I/O beyond the YAML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace, cite

#: what a ground does to the designation: its target state ("" = the state stays, e.g. a ban alone)
ACTIONS: dict[str, str] = {"yellow_card": "yellow_card", "lift_yellow_card": "active", "revoke": "revoked",
                           "exit": "exited", "ban": ""}
#: the facts a ground may ask for, with their type
FACTS: dict[str, type] = {"failed_year": int, "passed_year": int, "decision_reference": str, "finding": str,
                          "occurred_on": dt.date, "rectification_deadline": dt.date, "no_successor": bool}
CHECKS = frozenset({"failed_in_record", "consecutive_failures", "later_pass", "decision", "within_period",
                    "not_future", "deadline_passed", "no_successor"})
#: the ban's subject: the holder (unit or person) or the holder's employer
BAN_SUBJECTS = frozenset({"holder", "employer"})


class SanctionError(PolicyError):
    """A ground the document does not list, or a malformed sanctions.yaml."""


@dataclasses.dataclass(frozen=True)
class Ban:
    subject: str
    programs: tuple[str, ...]  # "own" = the designation's program
    years: int | None  # None = permanent


@dataclasses.dataclass(frozen=True)
class Ground:
    key: str
    title: str
    action: str
    citation: Citation
    sources: tuple[str, ...]
    facts: tuple[str, ...]
    checks: tuple[str, ...]
    fraud: bool = False
    ban: Ban | None = None
    title_en: str = ""

    def label(self, language: str = "zh") -> str:
        """The ground's title in ``language`` (``en`` falls back to the Chinese title)."""
        return self.title_en if language == "en" and self.title_en else self.title

    @property
    def target(self) -> str:
        return ACTIONS[self.action]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "action": self.action, "target": self.target,
                "citation": self.citation.to_dict(), "from": list(self.sources), "facts": list(self.facts),
                "checks": list(self.checks), "fraud": self.fraud,
                "ban": None if self.ban is None else {"subject": self.ban.subject,
                                                      "programs": list(self.ban.programs),
                                                      "years": self.ban.years}}


@dataclasses.dataclass(frozen=True)
class Record:
    """What the platform's records say about the designation (read there, never typed on the form)."""

    status: str
    as_of: dt.date
    results: Mapping[int, bool | None] = dataclasses.field(default_factory=dict)  # annual assessment by year
    yellow_card_year: int | None = None  # the assessment year of the yellow card in force
    period_start: dt.date | None = None
    period_end: dt.date | None = None


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise SanctionError(f"{where}: a list of strings is required")
    return tuple(raw)


def _ground(program: str, raw: Any, where: str) -> Ground:
    if not isinstance(raw, dict):
        raise SanctionError(f"{where}: a mapping is required")
    action = str(raw.get("action", ""))
    if action not in ACTIONS:
        raise SanctionError(f"{where}: unknown action {action!r}")
    c = raw.get("cite")
    if not isinstance(c, dict) or not c.get("article"):
        raise SanctionError(f"{where}: cite.article is required")
    facts = _strings(raw.get("facts", []), f"{where}.facts")
    checks = _strings(raw.get("checks", []), f"{where}.checks")
    unknown = [f for f in facts if f not in FACTS] + [c_ for c_ in checks if c_ not in CHECKS]
    if unknown:
        raise SanctionError(f"{where}: unknown facts or checks {unknown}")
    ban: Ban | None = None
    if raw.get("ban") is not None:
        b = raw["ban"]
        if not isinstance(b, dict) or b.get("subject") not in BAN_SUBJECTS:
            raise SanctionError(f"{where}.ban: subject must be one of {sorted(BAN_SUBJECTS)}")
        years = b.get("years")
        ban = Ban(str(b["subject"]), _strings(b.get("programs", ["own"]), f"{where}.ban.programs"),
                  None if years is None else int(years))
    return Ground(key=str(raw["key"]), title=str(raw["title"]), action=action,
                  citation=cite(program, str(c["article"]), str(c.get("clause", ""))),
                  sources=_strings(raw.get("from", []), f"{where}.from"), facts=facts, checks=checks,
                  fraud=bool(raw.get("fraud", False)), ban=ban, title_en=str(raw.get("title_en", "")))


@cache
def grounds(program: str) -> tuple[Ground, ...]:
    """The grounds ``program``'s document lists (empty when the program has no sanctions.yaml)."""
    from jiangxin.policy.registry import program_folder

    path = program_folder(program) / "sanctions.yaml"
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("program") != program:
        raise SanctionError(f"{path.name}: program must be {program!r}")
    out = tuple(_ground(program, g, f"{program}/sanctions.yaml grounds[{i}]")
                for i, g in enumerate(data.get("grounds") or []))
    keys = [g.key for g in out]
    if len(set(keys)) != len(keys):
        raise SanctionError(f"{program}/sanctions.yaml: duplicate ground keys")
    return out


def ground(program: str, key: str) -> Ground:
    for g in grounds(program):
        if g.key == key:
            return g
    raise SanctionError("所选情形不在该项目办法列明的情形之中。")


def available(program: str, status: str) -> tuple[Ground, ...]:
    """The grounds that apply to a designation in ``status``."""
    return tuple(g for g in grounds(program) if status in g.sources)


def _year(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def decide(program: str, key: str, facts: Mapping[str, Any], record: Record) -> Outcome[dict[str, Any]]:
    """Whether ground ``key`` of ``program`` applies, checked against ``record``; every check cites the ground.

    Raises :class:`SanctionError` for a ground the document does not list. A refused check gives an
    INELIGIBLE outcome whose failed steps say why."""
    g = ground(program, key)
    t = Trace()
    c = g.citation
    ok = t.check("state_allows_ground", c, record.status in g.sources,
                 inputs={"status": record.status, "from": list(g.sources)})
    missing = [f for f in g.facts if facts.get(f) in (None, "")]
    ok &= t.check("facts_stated", c, not missing, inputs={"missing": missing})
    if missing:
        return Outcome({"ground": g.to_dict(), "allowed": False}, Status.INELIGIBLE, t.steps)
    failed = _year(facts.get("failed_year"))
    passed = _year(facts.get("passed_year"))
    occurred = facts.get("occurred_on")
    for check in g.checks:
        if check == "failed_in_record":
            ok &= t.check(check, c, failed is not None and record.results.get(failed) is False,
                          inputs={"failed_year": failed, "result": record.results.get(failed or 0)})
        elif check == "consecutive_failures":
            both = failed is not None and record.results.get(failed) is False \
                and record.results.get(failed - 1) is False
            ok &= t.check(check, c, both, inputs={"failed_year": failed,
                                                  "previous": record.results.get((failed or 1) - 1)})
        elif check == "later_pass":
            later = (passed is not None and record.yellow_card_year is not None
                     and passed > record.yellow_card_year and record.results.get(passed) is True)
            ok &= t.check(check, c, later, inputs={"passed_year": passed, "yellow_card_year": record.yellow_card_year,
                                                   "result": record.results.get(passed or 0)})
        elif check == "decision":
            ok &= t.check(check, c, bool(str(facts.get("decision_reference") or "").strip()))
        elif check == "within_period":
            inside = (isinstance(occurred, dt.date) and record.period_start is not None
                      and record.period_end is not None and record.period_start <= occurred <= record.period_end)
            ok &= t.check(check, c, inside, inputs={"occurred_on": occurred, "period": [record.period_start,
                                                                                       record.period_end]})
        elif check == "not_future":
            ok &= t.check(check, c, isinstance(occurred, dt.date) and occurred <= record.as_of,
                          inputs={"occurred_on": occurred, "as_of": record.as_of})
        elif check == "deadline_passed":
            deadline = facts.get("rectification_deadline")
            ok &= t.check(check, c, isinstance(deadline, dt.date) and deadline < record.as_of,
                          inputs={"deadline": deadline, "as_of": record.as_of})
        elif check == "no_successor":
            ok &= t.check(check, c, facts.get("no_successor") is True)
    value = {"ground": g.to_dict(), "allowed": ok, "target": g.target, "fraud": g.fraud}
    return Outcome(value, Status.OK if ok else Status.INELIGIBLE, t.steps)


def ban_end(start: dt.date, years: int | None) -> dt.date | None:
    """The last day of a ban of ``years`` from ``start`` (None: permanent); 3 years from 2026-03-01 end on
    2029-02-28 (the day before the anniversary, I-LEDGER-12)."""
    if years is None:
        return None
    from jiangxin.policy.deadlines import add_years

    return add_years(start, years) - dt.timedelta(days=1)
