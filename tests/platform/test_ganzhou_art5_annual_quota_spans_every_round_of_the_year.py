"""赣州工匠办法 第五条/第七条（三）: the selection quota is the year's (每年选拔名额), not each round's. A second
round opened in the same year must not select a second full quota."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from review_helpers import case, fake_panel, read, submit, world

from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import CaseState
from jiangxin.platform.rounds.models import Round, RoundStatus

pytestmark = pytest.mark.django_db


def _to_ranking(w: Any, n: int, first: int) -> list[Any]:
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    apps = [submit(w, f"工匠候选{first + i}", district=i % 2, facts=dict(facts)) for i in range(n)]
    cases = [case(a) for a in apps]
    for i, c in enumerate(cases):
        reviewer = w.district_users[i % 2]
        rs.review_eligibility(c, actor=reviewer, facts=facts)
        rs.attach_letter(c, actor=reviewer, uploaded=_pdf())
        rs.confirm_conditions(c, actor=reviewer, conditions=["routes:关键技术"])
        rs.advance(c, actor=reviewer)
    return cases


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiangxin.platform.demo.data import demo_pdf

    return SimpleUploadedFile("推荐函.pdf", demo_pdf("test") + b" " * 200, content_type="application/pdf")


def test_ganzhou_annual_quota_cannot_be_doubled_by_a_second_round_in_the_same_year(monkeypatch: Any) -> None:
    w = world("ganzhou_craftsman", year=2026, office_parameters={"annual_quota": 1})
    first = _to_ranking(w, 2, 0)
    second_round = Round.objects.create(program=w.round.program, year=2026, title="2026年赣州工匠（补报）",
                                        organiser=w.authority, opens=dt.date(2026, 5, 1),
                                        closes=dt.date(2026, 6, 30), status=RoundStatus.CLOSED,
                                        office_parameters={"annual_quota": 1})
    w2 = dataclasses.replace(w, round=second_round)
    second = _to_ranking(w2, 2, 10)
    scores = {c.application_id: (str(90 - i), False) for i, c in enumerate(first + second)}
    fake_panel(monkeypatch, scores)
    for c in first + second:
        rs.record_panel(c, actor=w.office)
    rs.confirm_ranking(w.round, actor=w.office)
    assert sum(1 for c in first if c.__class__.objects.get(pk=c.pk).state == CaseState.ACTIVE) == 1
    # the year's one place is taken: the second round of 2026 may select nobody
    with pytest.raises(rs.ReviewError):
        rs.confirm_ranking(second_round, actor=w.office)
    assert [c.__class__.objects.get(pk=c.pk).stage for c in second] == ["ranking", "ranking"]
