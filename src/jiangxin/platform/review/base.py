"""The review app's shared ground: ``ReviewError``, the acting-role constants, and the small pure helpers both
the reading (``selectors``) and the changing (``actions``) modules stand on: where a case is in its program's
chain (``_current``), a stage's stored data (``_stage_data``), and running a registry computation with the
round's office parameters (``_run``, ``_ok``). Policy is never computed here: each decision is a registry
computation (or ``policy.workflow``) whose ``to_dict()`` is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.workflow import Stage, load_workflow

OK_STATUSES = ("eligible", "ok", "passed")


class ReviewError(TransitionRefused):
    """A refused step with a Chinese message for the user; ``outcome`` is the decision that refused it (its
    citations are shown with the message)."""

    def __init__(self, message: str, outcome: dict[str, Any] | None = None, citations: Sequence[str] = ()):
        super().__init__(message, citations=[*citations, *_outcome_citations(outcome)], outcome=outcome)
        self.outcome = outcome


def _outcome_citations(outcome: Mapping[str, Any] | None) -> list[str]:
    labels: list[str] = []
    for f in (outcome or {}).get("failures", []) or []:
        label = (f.get("citation") or {}).get("label", "") if isinstance(f, Mapping) else ""
        if label and label not in labels:
            labels.append(label)
    return labels


#: staff roles acting on review stages (the stage of each program's workflow.yaml narrows them further)
REVIEW_ROLES = ("district", "office", "park_office")
OFFICE_ROLES = ("office", "park_office")
APPLICANTS = ("unit", "individual", "training_unit", "trainee")
#: a case still in the round: being handled, or returned to the applicant and able to come back
LIVE = (CaseState.ACTIVE, CaseState.RETURNED)


def _current(case: Case) -> Stage:
    wf = load_workflow(case.program)
    if case.stage == wf.final_key:
        raise ReviewError("该案卷已办结。")
    return wf.stage(case.stage)


def _run(rnd: Round, name: str, facts: Mapping[str, Any], as_of: dt.date | None = None) -> dict[str, Any]:
    """Run a registry computation of the round's program with the round's office parameters."""
    from jiangxin.policy.registry import get_computation

    comp = get_computation(rnd.program.key, name)
    raw = {"as_of": (as_of or timezone.localdate()).isoformat(), **facts}
    try:
        outcome = comp.run(raw, rnd.office_parameters or None, rnd.notice_reference)
    except FactsError as exc:
        raise ReviewError("数据不完整或有误：" + "；".join(f"{f}：{e}" for f, e in exc.problems)) from None
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except PolicyError as exc:
        raise ReviewError(f"无法计算：{exc}") from None
    data = outcome.to_dict()
    data["computation"] = f"{comp.program.key}/{comp.name}"
    data["citation"] = comp.citation.to_dict()
    return data


def _ok(outcome: Mapping[str, Any]) -> bool:
    return outcome.get("status") in OK_STATUSES and not outcome.get("failures")


def _stage_data(case: Case, key: str) -> dict[str, Any]:
    data = case.details.get(key)
    return dict(data) if isinstance(data, dict) else {}
