"""镇江市技能大师产业创新园 — skill-master park: residency, monthly presence, 200-point evaluation, exit."""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("zhenjiang_park", "镇江市技能大师产业创新园", "zhenjiang_park", Path(__file__).parent)

# Importing the modules registers their computations.
from jiangxin.programs.zhenjiang_park import rules, scoring  # noqa: E402,F401
