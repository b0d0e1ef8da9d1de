"""Each program's review chain as data: stages, who acts, the article, and what may be done at each.

A program folder holds ``workflow.yaml``::

    program: nanchang_studio
    title: 创新工作室命名流程
    final: {key: named, title: 命名挂牌}      # the state a case reaches after the last stage
    return_working_days: 5                   # default deadline for a return for revision (I-WF-01)
    stages:
      - key: qualification_review            # for the academy and the studio: the STAGES keys of naming.py
        title: 对照六项条件资格审查
        roles: [district, office]            # acting roles (values of accounts.roles.Role)
        cite: {article: 第七条}
        kind: pre_review                     # see KINDS
        actions: [advance, return, reject]
        computation: eligibility             # the registry computation deciding the stage, if any
        tracks: [A]                          # optional: only applications of these tracks pass this stage
        parts: [...]                         # optional sub-steps, each a stage of its own (no parts again)
        areas: [场地设备, ...]                # optional: what a site visit records findings against
        shortlist_mark: <parameter name>     # optional: the parameter a panel total must reach
        confirmations:                       # optional: conditions the reviewer (their unit) confirms here
          - {facts: routes, item: route, field: confirmed_by, cite: {article: 第六条}}
                                             # one per row of the facts list ``routes``, named by its ``route``;
                                             # ``confirmed_by`` is filled from the confirmation, never asked of
                                             # the applicant; the stage cannot be left until every row is confirmed

Pure data plus two small decisions used by the platform: :func:`panel_shortlist` (a panel's aggregated
total against the program's shortlist mark, with the veto) and :func:`return_deadline` (the default
deadline of a return for revision on the working-day calendar). No Django, no I/O beyond the YAML.

The module stays whole although long: it is one idea, the ``workflow.yaml`` schema with its loader and the two
decisions that read it; splitting it would separate the stage fields from the checks that validate them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import yaml

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import DOCUMENTS, Citation, Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.workdays import add_working_days

__all__ = ["ACTIONS", "KINDS", "ROUND_KINDS", "Confirmation", "Stage", "Workflow", "WorkflowError", "load_workflow",
           "panel_shortlist", "return_deadline", "round_at_stage", "workflow_programs"]

#: what a stage does (the platform renders a form per kind)
KINDS = frozenset({"application", "pre_review", "site_visit", "panel_scoring", "ranking", "decision", "vote",
                   "publicity", "approval", "naming", "recognition", "confirmation"})
#: stages decided for the round as a whole (ranking against a quota, lists, approvals, notices)
ROUND_KINDS = frozenset({"ranking", "decision", "approval", "publicity"})
#: what the acting role may do at a stage
ACTIONS = frozenset({"advance", "return", "reject"})
#: roles a stage may name (values of the platform's Role choices; kept here as plain strings)
ROLES = frozenset({"office", "district", "park_office", "expert", "unit", "individual", "trainee"})

I_WF_01 = cite("interpretation", "I-WF-01")
I_WF_05 = cite("interpretation", "I-WF-05")

_STAGE_KEYS = frozenset({"key", "title", "roles", "cite", "kind", "actions", "computation", "tracks", "parts",
                         "areas", "shortlist_mark", "note", "requires", "ranking", "confirmations"})
#: records a stage may require before a case leaves it (``requires``): a recommendation letter uploaded
REQUIREMENTS = frozenset({"letter"})
#: how ties at the quota line are settled (``ranking.ties``): by the later decision stage, or by the office's choice
TIE_RULES = frozenset({"decision", "office_choice"})
_CONFIRMATION_KEYS = frozenset({"facts", "item", "field", "cite"})
_TOP_KEYS = frozenset({"program", "title", "final", "return_working_days", "stages", "quota", "note"})


class WorkflowError(PolicyError):
    """A workflow file that does not describe a usable chain."""


@dataclasses.dataclass(frozen=True, slots=True)
class RankingSpec:
    """How a ranking stage builds its computation's facts: the name of the year fact, the application facts copied
    onto each candidate row, the fact that carries a later decision (e.g. the party group's list), and how ties at
    the quota line are settled."""

    year_fact: str = "year"
    row_facts: tuple[str, ...] = ()
    decision_fact: str = ""
    ties: str = "office_choice"


@dataclasses.dataclass(frozen=True, slots=True)
class Confirmation:
    """A condition the reviewer confirms at a stage: each row of the facts list ``facts``, named by its ``item``;
    the row's ``field`` (who confirmed it) is entered from the reviewer's confirmation, not by the applicant."""

    facts: str
    item: str
    field: str
    citation: Citation

    def conditions(self, facts: Mapping[str, Any]) -> list[str]:
        """The conditions the facts claim (in order, without repeats)."""
        rows = facts.get(self.facts) if isinstance(facts, Mapping) else None
        out: list[str] = []
        for row in rows if isinstance(rows, list) else []:
            value = row.get(self.item) if isinstance(row, Mapping) else None
            if value not in (None, "") and str(value) not in out:
                out.append(str(value))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"facts": self.facts, "item": self.item, "field": self.field, "citation": self.citation.to_dict()}


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    key: str
    title: str
    roles: tuple[str, ...]
    citation: Citation
    kind: str
    actions: tuple[str, ...]
    computation: str = ""
    tracks: tuple[str, ...] = ()
    parts: tuple[Stage, ...] = ()
    areas: tuple[str, ...] = ()
    shortlist_mark: str = ""
    note: str = ""
    requires: tuple[str, ...] = ()
    ranking: RankingSpec | None = None
    confirmations: tuple[Confirmation, ...] = ()

    @property
    def role(self) -> str:
        """The principal acting role (the first listed)."""
        return self.roles[0]

    def allows(self, action: str) -> bool:
        return action in self.actions

    def applies_to(self, track: str | None) -> bool:
        return not self.tracks or track in self.tracks

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "title": self.title, "roles": list(self.roles),
                               "citation": self.citation.to_dict(), "kind": self.kind,
                               "actions": list(self.actions)}
        for name in ("computation", "shortlist_mark", "note"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.tracks:
            out["tracks"] = list(self.tracks)
        if self.areas:
            out["areas"] = list(self.areas)
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        if self.requires:
            out["requires"] = list(self.requires)
        if self.ranking is not None:
            out["ranking"] = dataclasses.asdict(self.ranking)
        if self.confirmations:
            out["confirmations"] = [c.to_dict() for c in self.confirmations]
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class Workflow:
    program: str
    title: str
    stages: tuple[Stage, ...]
    final_key: str
    final_title: str
    return_working_days: int
    quota: str = ""
    note: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.stages)

    @property
    def entry(self) -> Stage:
        """The first stage staff act on (application stages are completed by the submission itself)."""
        return self.entry_for(None)

    def entry_for(self, track: str | None) -> Stage:
        """The first stage staff act on for an application of ``track`` (None: stages for every track)."""
        for s in self.stages:
            if s.kind != "application" and ((track is None and not s.tracks)
                                            or (track is not None and s.applies_to(track))):
                return s
        raise WorkflowError(f"{self.program}: no stage after the application for track {track!r}")

    @property
    def application_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.kind == "application")

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
            for p in s.parts:
                if p.key == key:
                    return p
        raise WorkflowError(f"{self.program}: unknown stage {key!r}; stages: {list(self.keys)}")

    def has_stage(self, key: str) -> bool:
        return any(s.key == key for s in self.stages)

    def next_stage(self, key: str, track: str | None = None) -> Stage | None:
        """The stage after ``key`` that applies to ``track``; None after the last (the case is final)."""
        keys = self.keys
        if key not in keys:
            raise WorkflowError(f"{self.program}: unknown stage {key!r}; stages: {list(keys)}")
        for s in self.stages[keys.index(key) + 1:]:
            if s.applies_to(track):
                return s
        return None

    def reviewer_fields(self) -> dict[str, frozenset[str]]:
        """Facts fields entered from a reviewer's confirmation, by facts list (never on the applicant's form)."""
        out: dict[str, set[str]] = {}
        for s in self.stages:
            for c in s.confirmations:
                out.setdefault(c.facts, set()).add(c.field)
        return {k: frozenset(v) for k, v in out.items()}

    def first_of_kind(self, kind: str) -> Stage | None:
        return next((s for s in self.stages if s.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "title": self.title, "final": {"key": self.final_key,
                "title": self.final_title}, "return_working_days": self.return_working_days,
                "quota": self.quota, "stages": [s.to_dict() for s in self.stages]}


def _tuple(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise WorkflowError(f"{where}: expected a list of names, got {raw!r}")
    return tuple(raw)


def _stage(document: str, raw: Any, where: str, *, nested: bool = False) -> Stage:
    if not isinstance(raw, Mapping):
        raise WorkflowError(f"{where}: expected a mapping")
    unknown = set(raw) - _STAGE_KEYS
    if unknown:
        raise WorkflowError(f"{where}: unknown fields {sorted(unknown)}")
    for field in ("key", "title", "roles", "cite", "kind", "actions"):
        if field not in raw:
            raise WorkflowError(f"{where}: missing {field!r}")
    key = str(raw["key"])
    where = f"{where} ({key})"
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise WorkflowError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
    roles = _tuple(raw["roles"], f"{where}.roles")
    if not roles or set(roles) - ROLES:
        raise WorkflowError(f"{where}.roles: expected roles among {sorted(ROLES)}, got {list(roles)}")
    actions = _tuple(raw["actions"], f"{where}.actions")
    if set(actions) - ACTIONS:
        raise WorkflowError(f"{where}.actions: expected actions among {sorted(ACTIONS)}, got {list(actions)}")
    c = raw["cite"]
    if not isinstance(c, Mapping) or "article" not in c:
        raise WorkflowError(f"{where}.cite: expected {{article: ..., clause: ...}}")
    citation = cite(str(c.get("document", document)), str(c["article"]), str(c.get("clause", "")))
    parts: tuple[Stage, ...] = ()
    if raw.get("parts"):
        if nested:
            raise WorkflowError(f"{where}: a part cannot have parts")
        parts = tuple(_stage(document, p, f"{where}.parts[{i}]", nested=True) for i, p in enumerate(raw["parts"]))
    requires = _tuple(raw.get("requires"), f"{where}.requires")
    if set(requires) - REQUIREMENTS:
        raise WorkflowError(f"{where}.requires: expected among {sorted(REQUIREMENTS)}, got {list(requires)}")
    confirmations = tuple(_confirmation(document, c, f"{where}.confirmations[{i}]")
                          for i, c in enumerate(raw.get("confirmations") or []))
    return Stage(key=key, title=str(raw["title"]), roles=roles, citation=citation, kind=kind, actions=actions,
                 confirmations=confirmations,
                 computation=str(raw.get("computation") or ""), tracks=_tuple(raw.get("tracks"), f"{where}.tracks"),
                 parts=parts, areas=_tuple(raw.get("areas"), f"{where}.areas"),
                 shortlist_mark=str(raw.get("shortlist_mark") or ""), note=str(raw.get("note") or ""),
                 requires=requires, ranking=_ranking(raw.get("ranking"), f"{where}.ranking"))


def _ranking(raw: Any, where: str) -> RankingSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"year_fact", "row_facts", "decision_fact", "ties"}:
        raise WorkflowError(f"{where}: expected {{year_fact, row_facts, decision_fact, ties}}")
    ties = str(raw.get("ties", "office_choice"))
    if ties not in TIE_RULES:
        raise WorkflowError(f"{where}.ties: expected one of {sorted(TIE_RULES)}, got {ties!r}")
    return RankingSpec(str(raw.get("year_fact", "year")), _tuple(raw.get("row_facts"), f"{where}.row_facts"),
                       str(raw.get("decision_fact", "")), ties)


def _confirmation(document: str, raw: Any, where: str) -> Confirmation:
    if not isinstance(raw, Mapping) or set(raw) != _CONFIRMATION_KEYS:
        raise WorkflowError(f"{where}: expected {{facts, item, field, cite}}")
    c = raw["cite"]
    if not isinstance(c, Mapping) or "article" not in c:
        raise WorkflowError(f"{where}.cite: expected {{article: ..., clause: ...}}")
    return Confirmation(facts=str(raw["facts"]), item=str(raw["item"]), field=str(raw["field"]),
                        citation=cite(str(c.get("document", document)), str(c["article"]), str(c.get("clause", ""))))


def parse_workflow(data: Any, where: str) -> Workflow:
    if not isinstance(data, Mapping):
        raise WorkflowError(f"{where}: expected a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise WorkflowError(f"{where}: unknown fields {sorted(unknown)}")
    program = str(data.get("program", ""))
    if program not in DOCUMENTS:
        raise WorkflowError(f"{where}: program must be a document key, got {program!r}")
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise WorkflowError(f"{where}: stages must be a non-empty list")
    stages = tuple(_stage(program, s, f"{where}: stages[{i}]") for i, s in enumerate(raw_stages))
    keys = [s.key for s in stages] + [p.key for s in stages for p in s.parts]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise WorkflowError(f"{where}: stage keys repeated: {repeated}")
    final = data.get("final")
    if not isinstance(final, Mapping) or not final.get("key") or not final.get("title"):
        raise WorkflowError(f"{where}: final must be {{key: ..., title: ...}}")
    if final["key"] in keys:
        raise WorkflowError(f"{where}: final key {final['key']!r} must differ from every stage key")
    days = data.get("return_working_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise WorkflowError(f"{where}: return_working_days must be a whole number of working days ≥ 1")
    return Workflow(program=program, title=str(data.get("title", "")), stages=stages, final_key=str(final["key"]),
                    final_title=str(final["title"]), return_working_days=days, quota=str(data.get("quota") or ""),
                    note=str(data.get("note") or ""))


def workflow_programs() -> list[str]:
    """Programs that ship a ``workflow.yaml``."""
    from jiangxin.policy.registry import program_folders

    return [key for key, folder in program_folders().items() if (folder / "workflow.yaml").is_file()]


@cache
def load_workflow(program_key: str) -> Workflow:
    """The program's chain (parsed once per process)."""
    from jiangxin.policy.registry import program_folder

    path = program_folder(program_key) / "workflow.yaml"
    if not path.is_file():
        raise WorkflowError(f"no workflow for program {program_key!r}")
    wf = parse_workflow(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.name))
    if wf.program != program_key:
        raise WorkflowError(f"{path}: program {wf.program!r} does not match the folder {program_key!r}")
    return wf


def panel_shortlist(stage: Stage, total: Decimal, vetoed: bool, params: ParameterSet,
                    as_of: dt.date) -> Outcome[bool]:
    """A panel's aggregated total against the stage's shortlist mark (the mark itself included) and the veto.

    Used where the stage names ``shortlist_mark`` (the academy's 附件1: 80 and no veto item)."""
    if not stage.shortlist_mark:
        raise WorkflowError(f"stage {stage.key!r} has no shortlist mark")
    t = Trace()
    mark = params.get(stage.shortlist_mark, as_of)
    pass_mark = Decimal(mark.value)
    reached = t.check("panel_total_reaches_mark", mark.citation, total >= pass_mark, inputs={"total": total},
                      parameters={mark.name: pass_mark}, note="总分达到合格分数（含本数）")
    clean = t.check("no_veto_item", stage.citation, not vetoed, inputs={"vetoed": vetoed},
                    note="一票否决项" if vetoed else "")
    ok = reached and clean
    return Outcome(ok, Status.PASSED if ok else Status.FAILED, t.steps)


def return_deadline(returned_on: dt.date, working_days: int) -> Outcome[dt.date]:
    """Default deadline of a return for revision: ``working_days`` working days after the return (I-WF-01).

    The texts set no deadline for revisions; the office may enter another date instead."""
    t = Trace()
    due = add_working_days(returned_on, working_days)
    t.add("return_deadline", I_WF_01, due, inputs={"returned_on": returned_on},
          parameters={"return_working_days": working_days})
    return Outcome(due, Status.OK, t.steps)


def round_at_stage(workflow: Workflow, stage_key: str,
                   live: Iterable[tuple[str, str, str | None]]) -> Outcome[bool]:
    """May a round-level decision at ``stage_key`` be taken? Only when every live case of the round that
    passes this stage has reached it: a ranking against the year's quota, a decided list or a notice acts on
    the round as a whole, never on the part of it that happens to be ready (I-WF-02).

    ``live`` holds ``(case key, current stage key, track)`` for every case still in the round (being handled or
    returned for revision); cases the office excluded with a recorded reason are not live. The failure names
    the cases still behind; the citation is the stage's own article."""
    stage = workflow.stage(stage_key)
    order = {key: i for i, key in enumerate(workflow.keys)}
    here = order[stage.key]
    t = Trace()
    behind = sorted(key for key, at, track in live
                    if stage.applies_to(track) and at in order and order[at] < here)
    ok = t.check("whole_round_at_stage", stage.citation, not behind, inputs={"behind": behind},
                 note="本批次尚有未到达本环节的申报" if behind else "")
    t.add("whole_round_rule", I_WF_05, ok, inputs={"stage": stage.key})
    return Outcome(ok, Status.PASSED if ok else Status.FAILED, t.steps)
