"""Formatting helpers shared by documents and pages."""

from __future__ import annotations

import datetime as dt


def chinese_date(d: dt.date) -> str:
    """Dates as official documents write them: 2026年11月23日 (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"
