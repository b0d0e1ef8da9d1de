"""赣州工匠 — individual craftsman selection: eligibility, quota, 30,000 yuan reward, 3-year cultivation."""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("ganzhou_craftsman", "赣州工匠", "ganzhou_craftsman", Path(__file__).parent)

# Importing the modules registers their computations.
from jiangxin.programs.ganzhou_craftsman import rules  # noqa: E402,F401
