"""Statutory retirement age under the 2024 NPCSC decision: rows of the comparison tables (附件1–3).

Formula checked row by row: k = months from the table's first birth month; delay = min(k // step + 1, cap).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangxin.policy.retirement import OriginalAge, statutory_retirement

D = dt.date
M, F55, F50 = OriginalAge.MALE_60, OriginalAge.FEMALE_55, OriginalAge.FEMALE_50


@pytest.mark.parametrize(("birth", "original", "years", "months", "retire", "annex"), [
    # 附件1 men 60 → 63, +1 month per 4 birth months from 1965-01
    (D(1964, 12, 10), M, 60, 0, D(2024, 12, 10), "附件1"),
    (D(1965, 1, 10), M, 60, 1, D(2025, 2, 10), "附件1"),
    (D(1965, 4, 10), M, 60, 1, D(2025, 5, 10), "附件1"),
    (D(1965, 5, 10), M, 60, 2, D(2025, 7, 10), "附件1"),
    (D(1966, 1, 10), M, 60, 4, D(2026, 5, 10), "附件1"),
    (D(1976, 5, 10), M, 62, 11, D(2039, 4, 10), "附件1"),
    (D(1976, 9, 10), M, 63, 0, D(2039, 9, 10), "附件1"),
    (D(1990, 6, 10), M, 63, 0, D(2053, 6, 10), "附件1"),
    # 附件2 women 55 → 58 from 1970-01
    (D(1969, 12, 1), F55, 55, 0, D(2024, 12, 1), "附件2"),
    (D(1970, 1, 1), F55, 55, 1, D(2025, 2, 1), "附件2"),
    (D(1970, 5, 1), F55, 55, 2, D(2025, 7, 1), "附件2"),
    (D(1981, 5, 1), F55, 57, 11, D(2039, 4, 1), "附件2"),
    (D(1981, 9, 1), F55, 58, 0, D(2039, 9, 1), "附件2"),
    # 附件3 women 50 → 55, +1 month per 2 birth months from 1975-01
    (D(1974, 12, 20), F50, 50, 0, D(2024, 12, 20), "附件3"),
    (D(1975, 1, 20), F50, 50, 1, D(2025, 2, 20), "附件3"),
    (D(1975, 2, 20), F50, 50, 1, D(2025, 3, 20), "附件3"),
    (D(1975, 3, 20), F50, 50, 2, D(2025, 5, 20), "附件3"),
    (D(1984, 9, 20), F50, 54, 11, D(2039, 8, 20), "附件3"),
    (D(1984, 11, 20), F50, 55, 0, D(2039, 11, 20), "附件3"),
    (D(1995, 1, 20), F50, 55, 0, D(2050, 1, 20), "附件3"),
])
def test_npcsc_retirement_2024_comparison_table_rows(birth, original, years, months, retire, annex):
    r = statutory_retirement(birth, original)
    assert (r.age_years, r.age_months, r.retirement_date) == (years, months, retire)
    assert r.delay_months == (years - int(original)) * 12 + months
    assert r.citation.document == "npcsc_retirement_2024"
    assert r.citation.article == annex


def test_retirement_date_clamps_to_month_end():
    r = statutory_retirement(D(1965, 8, 31), M)  # 60y2m → October has 31 days
    assert r.retirement_date == D(2025, 10, 31)
    r = statutory_retirement(D(1965, 12, 31), M)  # 60y3m → 2026-03-31
    assert r.retirement_date == D(2026, 3, 31)
    r = statutory_retirement(D(1966, 12, 31), M)  # 60y6m → 2027-06-30 (clamped)
    assert r.retirement_date == D(2027, 6, 30)


@given(st.dates(min_value=D(1940, 1, 1), max_value=D(2010, 12, 31)), st.sampled_from(list(OriginalAge)))
def test_delay_never_decreases_with_birth_and_is_capped(birth, original):
    r = statutory_retirement(birth, original)
    cap = 60 if original is F50 else 36
    assert 0 <= r.delay_months <= cap
    later = statutory_retirement(birth + dt.timedelta(days=31), original)
    assert later.delay_months >= r.delay_months
    assert later.delay_months - r.delay_months <= 1
