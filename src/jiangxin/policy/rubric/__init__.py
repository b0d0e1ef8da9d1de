"""Points rubrics (评分细则) as data, and one generic scorer with a per-item breakdown.

A rubric is a YAML file in a program's ``rubrics/`` folder::

    key: nanchang_academy.naming          # unique; also names the generated facts model
    title: 工匠学院命名评定标准
    document: nanchang_academy            # a key of outcome.DOCUMENTS
    cite: {article: 附件1}                 # the attachment the rubric encodes
    official: true                        # false for an editable template (then ``notice`` is required)
    notice: ""                            # shown with every result of a non-official rubric
    total_points: 100                     # must equal the sum of the sections' points
    sections:                             # each section's points must equal the sum of its items' points
      - {key: venue, title: 场地设备, points: 10}          # optional ``group`` (e.g. base / bonus)
    items:
      - key: venue_sites                  # a Python identifier: it becomes a field of the facts model
        section: venue
        title: 各类场所                    # a short paraphrase, never the policy's sentence
        points: 6                         # the item's cap
        cite: {article: 附件1, clause: （各类场所）}
        kind: checklist
        ticks: {办公场所: 1, 实训场所: 1}

Item kinds and the input each expects (``entries[item.key]`` in :func:`score_rubric`, and the field of
the same name in the facts model from :func:`rubric_facts_model`):

``checklist``  ``ticks: {label: points}``. Input: a list of tick labels (each at most once), or a mapping
    label → true/false. Raw = sum of the ticked labels' points.
``per_count``  ``weights: {category: points each}``. Input: a mapping category → whole count ≥ 0 (categories
    left out count 0). Raw = Σ count × weight.
``threshold_increment``  ``measures: {name: {title, minimum}}``, ``base: B``, optional
    ``step: {measure: name, size: S, points: k}``. Input: a mapping of every measure → whole number ≥ 0.
    When every measure reaches its minimum (the minimum itself counts) raw = B + k × ⌊(value − minimum) / S⌋
    of the step measure (only complete further steps count); otherwise raw = 0.
``tiers``  ``breaks: [b1, b2, …]``, ``tier_points: [p0, p1, …]`` (one more than breaks), ``boundary:
    upper_inclusive | lower_inclusive`` (whether a value equal to a break falls in the lower or the upper tier),
    optional ``minimum`` (a value below it earns 0). Input: a number ≥ 0.
``graded``  ``grades: {label: points}``. Input: one of the labels.
``deduction``  starts at the item's (or part's) points and subtracts, never below 0. Either ``per_unit: d``
    (input: a whole count of units ≥ 0, raw = points − d × count) or ``reasons: {label: d}`` (input: a list of
    the labels that apply, or a mapping label → true/false).
``best_placing``  ``levels: {level: [{best: 1, worst: 3, points: p}, …]}``. Input: a list of
    ``{person, level, placing}`` (placing 1 = first). Each person scores once, with their best-scoring
    placing; placings outside every band earn 0. Raw = sum over persons.
``rate_tiers``  ``thresholds: [{min: "0.95", points: 1}, …]``. Input: a rate as a decimal fraction 0–1
    (``"0.97"`` for 97%, never a percentage). Raw = the points of the highest threshold reached (reaching
    the minimum itself counts), else 0.
``veto``  Input: true when the veto condition is triggered. Scores nothing; a triggered veto makes the whole
    result ``vetoed`` whatever the total (recorded as a failed condition in the trace).
``manual`` (alias ``scaled``)  Input: a reviewer's judgement score, a decimal between 0 and the points.
``parts``  an item may instead list ``parts:``, each with a ``key``, ``title``, a kind and its settings (and an
    optional ``points`` cap of its own; a ``deduction`` or ``manual`` part needs one). Input: a mapping part
    key → that part's input. Raw = Σ part scores, then capped at the item's points.

Every item's awarded score is its raw score clamped to [0, points]; the breakdown (:class:`ItemScore`)
shows raw, cap, whether capped and a one-line detail, per item and per part. An item or part may carry
``interpretation: I-RUB-nn`` when its settings encode our reading of ambiguous text.

The package, one module per idea: :mod:`.base` (error, checks, canonical decimals), :mod:`.scorers` (the
kinds), :mod:`.model` (rubric, section, item), :mod:`.parsing` (YAML → rubric), :mod:`.facts` (generated
pydantic models), :mod:`.scoring` (the scorer) and :mod:`.results` (the breakdown). Import from the package.
"""

from jiangxin.policy.rubric.base import MAX_LABEL, ZERO, RubricError
from jiangxin.policy.rubric.facts import rubric_entries_model, rubric_facts_model
from jiangxin.policy.rubric.model import Item, Rubric, Section
from jiangxin.policy.rubric.parsing import load_rubric, parse_rubric
from jiangxin.policy.rubric.results import ItemScore, RubricResult
from jiangxin.policy.rubric.scorers import (
    Band,
    BestPlacing,
    Checklist,
    Deduction,
    Graded,
    Manual,
    Measure,
    Part,
    Parts,
    PerCount,
    RateTiers,
    Scorer,
    ThresholdIncrement,
    Tiers,
    Veto,
)
from jiangxin.policy.rubric.scoring import facts_entries, score_rubric

__all__ = [
    "MAX_LABEL",
    "ZERO",
    "Band",
    "BestPlacing",
    "Checklist",
    "Deduction",
    "Graded",
    "Item",
    "ItemScore",
    "Manual",
    "Measure",
    "Part",
    "Parts",
    "PerCount",
    "RateTiers",
    "Rubric",
    "RubricError",
    "RubricResult",
    "Scorer",
    "Section",
    "ThresholdIncrement",
    "Tiers",
    "Veto",
    "facts_entries",
    "load_rubric",
    "parse_rubric",
    "rubric_entries_model",
    "rubric_facts_model",
    "score_rubric",
]
