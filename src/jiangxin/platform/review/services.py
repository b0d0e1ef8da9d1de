"""The review app's public surface: every transition of a review case, role-checked, atomic, audited, the
computation's Outcome stored.

A case walks its program's chain (``jiangxin.policy.workflow``). Per-case services record a stage's data
(confirmed facts, site-visit findings, panel result, votes, a letter) and move the case on when the stage's
condition holds; round-level services (ranking, party-group decision, candidate list, approval, province
confirmation, publicity) decide for every case of a round at that stage at once. Policy is never computed
here: each decision is a registry computation (or ``policy.workflow``) whose ``to_dict()`` is stored.

This module only re-exports; the code lives in

- ``review.base``: ``ReviewError``, the role constants, ``_run`` (a registry computation of the round);
- ``review.selectors``: reading (visible and acting cases, readiness, confirmation rows, round cases, the
  ranking, whether the whole round reached a stage, the publicity backlog, the naming warning);
- ``review.actions.cases``: a case's own moves (open/resume, withdrawal, advance, return, reject, disqualify);
- ``review.actions.stage_data``: a stage's data (eligibility review, letter, site visit, panel, vote,
  reviewer confirmations, a stage result without a move);
- ``review.actions.rounds``: round-level decisions (exclusion, ranking and re-ranking, party-group decision,
  candidate list, work group, city approval, province confirmation);
- ``review.actions.naming``: publicity (open, what is publishable, close) and naming;
- ``review.actions._common``: the internals the transitions share (``_require_actor``, ``_step``, ``_move``…).

Importing this module imports every actions module, which registers the review.* transitions.
"""

from __future__ import annotations

from jiangxin.platform.review.actions.cases import (
    advance,
    close_withdrawn,
    disqualify,
    open_case,
    reject,
    return_for_revision,
)
from jiangxin.platform.review.actions.naming import check_publishable, close_publicity, name, open_publicity
from jiangxin.platform.review.actions.rounds import (
    confirm_candidate_list,
    confirm_province,
    confirm_ranking,
    exclude_from_round,
    record_city_approval,
    record_party_decision,
    record_work_group,
    rerank,
)
from jiangxin.platform.review.actions.stage_data import (
    attach_letter,
    confirm_conditions,
    record_panel,
    record_site_visit,
    record_stage_result,
    record_vote,
    review_eligibility,
)
from jiangxin.platform.review.base import (
    APPLICANTS,
    LIVE,
    OFFICE_ROLES,
    OK_STATUSES,
    REVIEW_ROLES,
    ReviewError,
)
from jiangxin.platform.review.selectors import (
    _quota,
    acting_cases,
    acting_stages,
    case_for,
    compute_ranking,
    confirmation_rows,
    may_act,
    naming_warning,
    publicity_backlog,
    ranking_facts,
    ranking_spec,
    readiness,
    require_whole_round,
    returned_until,
    round_cases,
    unpublished_cases,
    visible_cases,
    with_confirmations,
)

__all__ = [
    "APPLICANTS",
    "LIVE",
    "OFFICE_ROLES",
    "OK_STATUSES",
    "REVIEW_ROLES",
    "ReviewError",
    "_quota",
    "acting_cases",
    "acting_stages",
    "advance",
    "attach_letter",
    "case_for",
    "check_publishable",
    "close_publicity",
    "close_withdrawn",
    "compute_ranking",
    "confirm_candidate_list",
    "confirm_conditions",
    "confirm_province",
    "confirm_ranking",
    "confirmation_rows",
    "disqualify",
    "exclude_from_round",
    "may_act",
    "name",
    "naming_warning",
    "open_case",
    "open_publicity",
    "publicity_backlog",
    "ranking_facts",
    "ranking_spec",
    "readiness",
    "record_city_approval",
    "record_panel",
    "record_party_decision",
    "record_site_visit",
    "record_stage_result",
    "record_vote",
    "record_work_group",
    "reject",
    "require_whole_round",
    "rerank",
    "return_for_revision",
    "returned_until",
    "review_eligibility",
    "round_cases",
    "unpublished_cases",
    "visible_cases",
    "with_confirmations",
]
