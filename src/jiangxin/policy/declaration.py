"""What a program declares to the platform (``platform.yaml`` in its folder): who applies and who runs it, what
its application sheet asks, what kind of designation it confers, how its panels and annual assessment work.

The platform reads these facts and never branches on a program's name, so another city's program is one more
folder. The rules themselves stay in the program's computations; this file only names them and the articles.
Texts are bilingual (``{zh: …, en: …}``), like ``labels.yaml``: the program folder carries its own wording.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import Citation, cite

APPLICANT_KINDS = frozenset({"unit", "individual"})
#: named (命名, tranches), admitted (入驻, residency with exit), title (称号, individual), cohort (培育对象)
DESIGNATION_KINDS = frozenset({"named", "admitted", "title", "cohort"})
SHEET_WIDGETS = frozenset({"text", "area"})
#: how the money of a designation is paid: by the tranche machine (3:3:4), as a one-off reward, or not by naming
NAMING_MONEY = frozenset({"tranches", "reward", "none"})
#: platform features a program's designations use: the online academy (teacher pool, trainees, course library),
#: the cultivation year (cohorts, training units, acceptance), residency in a park (presence, reports, exit)
FEATURES = frozenset({"online_academy", "cultivation_year", "residency"})


class DeclarationError(PolicyError):
    """A ``platform.yaml`` that does not say what the platform needs (raised when the program loads)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Text:
    """A short label in Chinese (the document's term) and English."""

    zh: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language.startswith("en") and self.en else self.zh

    def __str__(self) -> str:
        return self.zh


@dataclasses.dataclass(frozen=True, slots=True)
class Condition:
    """A condition evidence files are filed under."""

    key: str
    label: Text
    article: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class SheetField:
    """One field of the program's application sheet beyond the eligibility facts (stored in the details)."""

    name: str
    label: Text
    widget: str = "text"
    required: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class Term:
    """A fixed term computed from its start: the computation, the facts it takes (each set to the start date) and
    the key of its value that holds the last day of the term."""

    computation: str
    start_facts: tuple[str, ...]
    end_key: str


@dataclasses.dataclass(frozen=True, slots=True)
class DesignationFacts:
    kind: str
    certificate_prefix: str
    holder_is_unit: bool
    #: public directory kind on the portal; "" = not listed
    listing: str = ""
    term: Term | None = None
    #: the program knows an exit (退出) from residency
    exit: bool = False
    #: the article that governs a change of leader, when the document has one
    leader_change: Citation | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class RubricChoice:
    """A rubric the program ships for its panels: ``module:attribute`` inside the program package."""

    key: str
    label: Text
    ref: str


@dataclasses.dataclass(frozen=True, slots=True)
class PanelFacts:
    #: where the document places the expert review that uses the manual overall score
    manual_review: Citation
    rubrics: tuple[RubricChoice, ...] = ()
    #: the program's own rubric is an editable template, not the document's official standard
    rubric_is_template: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentFacts:
    title: Text
    citation: Citation
    #: the computation that scores it; "" = filing only
    computation: str = ""
    #: "q4", "year_end" or ""
    timing: str = ""
    pass_mark_parameter: str = ""
    #: ``module:attribute`` of the rubric the computation scores, inside the program package
    rubric: str = ""
    #: rubric items the computation derives itself (not typed by the assessor)
    derived_items: frozenset[str] = frozenset()
    #: an office may load its own rubric for a round
    office_rubric: bool = False
    #: prefill sources (registered by the platform app that keeps the records) that fill rubric entries
    prefill: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class FundingFacts:
    naming_money: str = "none"
    #: per-item subsidy computations a holder may claim
    claims: tuple[str, ...] = ()
    #: the yearly quota parameter that naming results are set against ("" = no quota)
    quota_parameter: str = ""
    #: the computation that grants money per passing trainee ("" = none)
    per_head: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class BanScope:
    """A program run outside the platform that the document's sanctions reach (a ban may bar it too)."""

    key: str
    title: Text


@dataclasses.dataclass(frozen=True, slots=True)
class Declaration:
    program: str
    jurisdiction: str
    applicant: str
    applicant_roles: frozenset[str]
    office_roles: frozenset[str]
    eligibility: tuple[str, ...]
    conditions: tuple[Condition, ...]
    sheet: tuple[SheetField, ...]
    designation: DesignationFacts
    panel: PanelFacts
    assessment: AssessmentFacts | None
    funding: FundingFacts = FundingFacts()
    #: a holder whose designation was revoked may never apply again (the article that says so), or None
    revocation_bar: Citation | None = None
    #: programs run outside the platform that this document's bans reach
    ban_scopes: tuple[BanScope, ...] = ()
    #: platform features its designations use (see FEATURES)
    features: frozenset[str] = frozenset()
    #: the name of a jurisdiction the platform does not ship (another city's program names its own city)
    jurisdiction_title: Text | None = None


def _text(value: Any, where: str) -> Text:
    if isinstance(value, str):
        return Text(value, "")
    if isinstance(value, Mapping) and isinstance(value.get("zh"), str):
        return Text(str(value["zh"]), str(value.get("en", "")))
    raise DeclarationError(f"{where}: expected a text or {{zh, en}}, got {value!r}")


def _citation(program: str, value: Any, where: str) -> Citation:
    if isinstance(value, str) and value:
        return cite(program, value)
    if isinstance(value, Mapping) and value.get("article"):
        return cite(program, str(value["article"]), str(value.get("clause", "")))
    raise DeclarationError(f"{where}: expected an article or {{article, clause}}, got {value!r}")


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise DeclarationError(f"{where}: section '{key}' is missing")
    return value


def _designation(program: str, data: Mapping[str, Any], where: str) -> DesignationFacts:
    kind = str(data.get("kind", ""))
    if kind not in DESIGNATION_KINDS:
        raise DeclarationError(f"{where}: designation.kind must be one of {sorted(DESIGNATION_KINDS)}")
    term_data = data.get("term")
    term = None
    if term_data:
        term = Term(str(term_data["computation"]), tuple(str(f) for f in term_data.get("start_facts", ())),
                    str(term_data["end_key"]))
    leader = data.get("leader_change")
    return DesignationFacts(
        kind=kind, certificate_prefix=str(data["certificate_prefix"]), holder_is_unit=bool(data["holder_is_unit"]),
        listing=str(data.get("listing", "")), term=term, exit=bool(data.get("exit", False)),
        leader_change=_citation(program, leader, f"{where}: designation.leader_change") if leader else None)


def _assessment(program: str, data: Mapping[str, Any] | None, where: str) -> AssessmentFacts | None:
    if not data:
        return None
    return AssessmentFacts(
        title=_text(data.get("title"), f"{where}: assessment.title"),
        citation=_citation(program, data.get("citation"), f"{where}: assessment.citation"),
        computation=str(data.get("computation", "")), timing=str(data.get("timing", "")),
        pass_mark_parameter=str(data.get("pass_mark_parameter", "")), rubric=str(data.get("rubric", "")),
        derived_items=frozenset(str(i) for i in data.get("derived_items", ())),
        office_rubric=bool(data.get("office_rubric", False)),
        prefill=tuple(str(p) for p in data.get("prefill", ())))


def _funding(data: Mapping[str, Any], where: str) -> FundingFacts:
    money = str(data.get("naming_money", "none"))
    if money not in NAMING_MONEY:
        raise DeclarationError(f"{where}: funding.naming_money must be one of {sorted(NAMING_MONEY)}")
    return FundingFacts(money, tuple(str(c) for c in data.get("claims", ())), str(data.get("quota_parameter", "")),
                        str(data.get("per_head", "")))


def parse_declaration(program: str, data: Mapping[str, Any], where: str = "platform.yaml") -> Declaration:
    """Check and build a program's declaration from its parsed ``platform.yaml``."""
    applicant = _section(data, "applicant", where)
    kind = str(applicant.get("kind", ""))
    if kind not in APPLICANT_KINDS:
        raise DeclarationError(f"{where}: applicant.kind must be one of {sorted(APPLICANT_KINDS)}")
    sheet = []
    for entry in data.get("application_sheet", ()):
        widget = str(entry.get("widget", "text"))
        if widget not in SHEET_WIDGETS:
            raise DeclarationError(f"{where}: application_sheet widget {widget!r} is not one of {sorted(SHEET_WIDGETS)}")
        sheet.append(SheetField(str(entry["name"]), _text(entry["label"], f"{where}: {entry['name']}"), widget,
                                bool(entry.get("required", True))))
    panel = _section(data, "panel", where)
    rubrics = tuple(RubricChoice(str(r["key"]), _text(r["label"], f"{where}: panel.rubrics"), str(r["ref"]))
                    for r in panel.get("rubrics", ()))
    return Declaration(
        program=program,
        jurisdiction=str(data.get("jurisdiction", "")),
        applicant=kind,
        applicant_roles=frozenset(str(r) for r in applicant.get("roles", ())),
        office_roles=frozenset(str(r) for r in data.get("office_roles", ("office",))),
        eligibility=tuple(str(n) for n in applicant.get("eligibility", ("eligibility",))),
        conditions=tuple(Condition(str(c["key"]), _text(c["label"], f"{where}: conditions"), str(c.get("article", "")))
                         for c in applicant.get("conditions", ())),
        sheet=tuple(sheet),
        designation=_designation(program, _section(data, "designation", where), where),
        panel=PanelFacts(_citation(program, panel.get("manual_review"), f"{where}: panel.manual_review"), rubrics,
                         bool(panel.get("rubric_is_template", False))),
        assessment=_assessment(program, data.get("assessment"), where),
        funding=_funding(data.get("funding") or {}, where),
        revocation_bar=(_citation(program, applicant["revocation_bar"], f"{where}: applicant.revocation_bar")
                        if applicant.get("revocation_bar") else None),
        jurisdiction_title=(_text(data["jurisdiction_title"], f"{where}: jurisdiction_title")
                            if data.get("jurisdiction_title") else None),
        ban_scopes=tuple(BanScope(str(b["key"]), _text(b["title"], f"{where}: ban_scopes"))
                         for b in data.get("ban_scopes", ())),
        features=_features(data.get("features", ()), where),
    )


def _features(raw: Any, where: str) -> frozenset[str]:
    features = frozenset(str(f) for f in raw)
    if features - FEATURES:
        raise DeclarationError(f"{where}: features must be among {sorted(FEATURES)}, got {sorted(features - FEATURES)}")
    return features


def load_declaration(program: str, folder: Path) -> Declaration:
    path = folder / "platform.yaml"
    if not path.exists():
        raise DeclarationError(f"program {program} has no platform.yaml in {folder}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return parse_declaration(program, data, str(path))
    except (KeyError, TypeError) as exc:
        raise DeclarationError(f"{path}: {exc!r} is missing or malformed") from exc
