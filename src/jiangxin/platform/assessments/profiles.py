"""How each program's annual assessment works, as the program declares it (``assessment`` in platform.yaml):
the :class:`Profile`, the rubric its computation scores, and the registry of prefill sources other apps
register when they load (AppConfig.ready).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings

from jiangxin.platform.assessments.base import DEFAULT_REMINDER_DAYS, AssessmentError
from jiangxin.platform.assessments.models import AssessmentRound
from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration, text
from jiangxin.policy.declaration import AssessmentFacts
from jiangxin.policy.outcome import Citation


@dataclasses.dataclass(frozen=True, slots=True)
class Profile:
    """How a program's annual assessment works, as the program declares it (``assessment`` in platform.yaml)."""

    program: str
    facts: AssessmentFacts

    @property
    def title(self) -> str:
        return text(self.facts.title)

    @property
    def citation(self) -> Citation:
        return self.facts.citation

    @property
    def computation(self) -> str:
        """The computation that scores it; empty: filing only."""
        return self.facts.computation

    @property
    def timing(self) -> str:
        """"q4", "year_end" or ""."""
        return self.facts.timing

    @property
    def pass_mark_parameter(self) -> str:
        """The office-set pass mark, when the computation needs one."""
        return self.facts.pass_mark_parameter

    @property
    def scored(self) -> bool:
        return bool(self.computation)

    @property
    def office_rubric(self) -> bool:
        """An office may load its own rubric for a round."""
        return self.facts.office_rubric

    @property
    def prefill(self) -> tuple[str, ...]:
        """Registered prefill sources whose records fill the rubric entries (see :func:`register_prefill_source`)."""
        return self.facts.prefill

    @property
    def derived_items(self) -> frozenset[str]:
        """Rubric items the computation derives itself (not typed by the assessor)."""
        return self.facts.derived_items


def profiles() -> dict[str, Profile]:
    """Every loaded program that declares an annual assessment."""
    return {key: Profile(key, facts) for key in PROGRAM_INFO
            if (facts := declaration(key).assessment) is not None}


def profile_for(program_key: str) -> Profile:
    facts = declaration(program_key).assessment if program_key in PROGRAM_INFO else None
    if facts is None:
        raise AssessmentError("该项目的政策文件未规定年度考核，不能开启年度考核。")
    return Profile(program_key, facts)


def _declared_rubric(program_key: str) -> Any:
    facts = declaration(program_key).assessment if program_key in PROGRAM_INFO else None
    if facts is None or not facts.rubric:
        return None
    from jiangxin.policy.registry import PROGRAMS

    return PROGRAMS[program_key].resolve(facts.rubric)


def rubric_key(program_key: str) -> str:
    """The key of the rubric the program's computation scores (passed to worklog.rubric_facts)."""
    rubric = _declared_rubric(program_key)
    return rubric.key if rubric is not None else ""


def rubric_of(rnd: AssessmentRound) -> Any:
    """The rubric the round's computation scores (the office's own for a round that loaded one), or None."""
    key = rnd.program.key
    if rnd.rubric_data and profile_for(key).office_rubric:
        from jiangxin.platform.panels import rubrics

        return rubrics.rubric_for(rubrics.OFFICE, key, rnd.rubric_data)
    return _declared_rubric(key)


#: prefill sources a program may name in ``assessment.prefill``: name → function(assessment, entries, links) that
#: adds its entries and the record ids behind them;
#: the app that owns the records registers its source when it loads (AppConfig.ready)
PREFILL_SOURCES: dict[str, Any] = {}


def register_prefill_source(name: str, func: Any) -> None:
    PREFILL_SOURCES[name] = func


def prefill_source(name: str) -> Any:
    try:
        return PREFILL_SOURCES[name]
    except KeyError:
        raise AssessmentError(f"项目声明的预填来源 {name} 未安装。") from None


def reminder_days() -> int:
    return int(getattr(settings, "JIANGXIN_ASSESSMENT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))
