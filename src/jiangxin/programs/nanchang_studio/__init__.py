"""南昌市示范性劳模（工匠、职工）创新工作室 — innovation studios: six conditions, ranked naming, 1,000,000 yuan in 3:3:4."""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("nanchang_studio", "南昌市示范性劳模（工匠、职工）创新工作室", "nanchang_studio", Path(__file__).parent)

# Importing the modules registers their computations.
from jiangxin.programs.nanchang_studio import eligibility, funding, naming, scoring  # noqa: E402,F401
