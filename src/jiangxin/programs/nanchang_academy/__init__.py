"""南昌市工匠学院 (craftsman academies): naming, 3:3:4 subsidy tranches, per-item subsidies, assessments."""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("nanchang_academy", "南昌市工匠学院", "nanchang_academy", Path(__file__).parent)

# Importing the modules registers their computations.
from jiangxin.programs.nanchang_academy import funding, naming, rules, scoring  # noqa: E402,F401
