"""江苏省卓越技师培育计划 — A/B technician cultivation: grading with caps, per-head funding."""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("jiangsu_technician", "江苏省卓越技师培育计划", "jiangsu_technician", Path(__file__).parent)

# Importing the modules registers their computations.
from jiangxin.programs.jiangsu_technician import operations, rules, scoring, screening, term  # noqa: E402,F401
