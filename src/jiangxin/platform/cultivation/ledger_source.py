"""What the ledger reads from the cultivation records: a trainee's passing enrolments in a year (the per-head cap
of 江苏卓越技师办法 第二十二条). Registered with the ledger when the app loads, so the ledger never imports it."""

from __future__ import annotations

from collections import defaultdict

from jiangxin.platform.cultivation.models import Enrolment


def passing_counts(designation_id: int, year: int) -> dict[str, int] | None:
    """Passing enrolments by track (None: no enrolment on record for that designation and year)."""
    rows = list(Enrolment.objects.filter(designation_id=designation_id, year__year=year).values_list("track", "passed"))
    if not rows:
        return None
    counts: dict[str, int] = defaultdict(int)
    for track, passed in rows:
        if passed:
            counts[str(track)] += 1
    return dict(counts)
