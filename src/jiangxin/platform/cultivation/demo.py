"""江苏 cultivation-year demo: ``load_cultivation_demo()`` (idempotent). The setup part opens a year with training
units, majors, trainees' choices, plans and mentors; the training part fills attendance, leave and reports; the
results part grades, sanctions, accepts, pays, records expenses and surveys."""

from __future__ import annotations

from jiangxin.platform.cultivation import demo_results, demo_setup, demo_training


def load_cultivation_demo() -> None:
    demo_setup.load()
    demo_training.load()
    demo_results.load()
