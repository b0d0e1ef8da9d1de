"""Property: ranking through the platform (cases → ranking computation) is deterministic and respects the
quota and the county-level priority on equal scores (赣州 第五条, 第六条; selection via the computations)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from review_helpers import case, submit, world

from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import Case

pytestmark = pytest.mark.django_db

scores = st.lists(st.tuples(st.sampled_from(["80", "85", "85.5", "90", "95"]), st.booleans()), min_size=1,
                  max_size=20)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=scores)
def test_ganzhou_ranking_via_cases_is_deterministic_within_quota_with_county_priority(rows: list[Any]) -> None:
    from django.db import transaction

    with transaction.atomic():
        w = world("ganzhou_craftsman", year=2026)
        apps = [submit(w, f"候选{i}", facts={"county_level_craftsman": county}) for i, (_, county) in enumerate(rows)]
        for a, (score, _) in zip(apps, rows, strict=True):
            Case.objects.filter(application=a).update(stage="ranking", score=Decimal(score))
        first = rs.compute_ranking(w.round)
        again = rs.compute_ranking(w.round)
        assert first["value"] == again["value"]
        value = first["value"]
        quota = rs._quota(first)
        assert quota is not None and len(value["selected"]) <= quota
        ranked = value["ranking"]
        for upper, lower in pairwise(ranked):
            hi, lo = Decimal(upper["score"]), Decimal(lower["score"])
            assert hi >= lo
            if hi == lo:
                assert upper["county_level_craftsman"] >= lower["county_level_craftsman"]
        # nobody below the cut is selected while someone above it is left out
        selected = set(value["selected"])
        positions = {r["key"]: i for i, r in enumerate(ranked)}
        if selected:
            worst = max(positions[k] for k in selected)
            assert all(r["key"] in selected or r["key"] in value["tie_at_cut"]
                       for r in ranked[:worst + 1])
        assert {case(a).key for a in apps} == set(positions)
        transaction.set_rollback(True)
