"""Platform-side facts about each program, as the program declares them in its ``platform.yaml``
(:mod:`jiangxin.policy.declaration`): who runs it, who applies, which computation decides eligibility, which
conditions evidence is filed under. The platform reads these and never branches on a program's name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from functools import cache

from django.utils import translation

from jiangxin.policy.declaration import Declaration, Text
from jiangxin.policy.registry import PROGRAMS
from jiangxin.programs import load_all


@dataclasses.dataclass(frozen=True)
class Condition:
    key: str
    label: Text
    article: str


@dataclasses.dataclass(frozen=True)
class ProgramInfo:
    jurisdiction: str
    #: "unit" (an organisation applies) or "individual" (a person applies)
    applicant: str
    #: the registry computation that checks eligibility, tried in order (first one registered is used)
    eligibility: tuple[str, ...]
    #: conditions evidence files are filed under
    conditions: tuple[Condition, ...]
    #: roles that may apply
    applicant_roles: frozenset[str]
    #: roles (at the authority level of the jurisdiction) that run rounds
    office_roles: frozenset[str]


def declaration(program_key: str) -> Declaration:
    """The program's ``platform.yaml`` (KeyError for an unknown program)."""
    load_all()
    return PROGRAMS[program_key].declaration


@cache
def info(program_key: str) -> ProgramInfo:
    d = declaration(program_key)
    return ProgramInfo(d.jurisdiction, d.applicant, d.eligibility,
                       tuple(Condition(c.key, c.label, c.article) for c in d.conditions),
                       d.applicant_roles, d.office_roles)


class _ProgramInfoMap(Mapping[str, ProgramInfo]):
    """Every loaded program's :class:`ProgramInfo`, by key (read-only, built from the declarations)."""

    def __getitem__(self, key: str) -> ProgramInfo:
        return info(key)

    def __iter__(self) -> Iterator[str]:
        load_all()
        return iter(list(PROGRAMS))

    def __len__(self) -> int:
        load_all()
        return len(PROGRAMS)


PROGRAM_INFO: Mapping[str, ProgramInfo] = _ProgramInfoMap()


def text(value: Text) -> str:
    """A declared label in the reader's language."""
    return value.in_language(translation.get_language() or "zh-hans")


def condition_choices(program_key: str) -> list[tuple[str, str]]:
    """Evidence conditions in the reader's language; Chinese pages add the article of the rules they rest on
    (English pages leave out the Chinese article reference: the option text cannot mark it as such)."""
    english = (translation.get_language() or "").lower().startswith("en")
    return [(c.key, f"{text(c.label)}（{c.article}）" if c.article and not english else text(c.label))
            for c in info(program_key).conditions]
