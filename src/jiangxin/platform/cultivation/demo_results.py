"""Cultivation-year demo, results part (idempotent); called by cultivation.demo.load_cultivation_demo()."""

from __future__ import annotations


def load() -> None:
    return None
