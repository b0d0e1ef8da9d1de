"""Cultivation-year demo, setup part (idempotent); called by cultivation.demo.load_cultivation_demo()."""

from __future__ import annotations


def load() -> None:
    return None
