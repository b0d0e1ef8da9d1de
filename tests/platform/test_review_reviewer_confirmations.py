"""赣州工匠: who confirmed a 第六条 condition is entered by the reviewer at the recommendation stage, never by the
applicant (issue 14 item 2); the stage cannot be left until every claimed condition is confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from review_helpers import case, read, submit, world

from jiangxin.platform.applications.formgen import FactsForm
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.review import services as rs
from jiangxin.programs.ganzhou_craftsman.rules import EligibilityFacts

pytestmark = pytest.mark.django_db


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiangxin.platform.demo.data import demo_pdf

    return SimpleUploadedFile("推荐函.pdf", demo_pdf("推荐函"), content_type="application/pdf")


def _claimed() -> dict[str, Any]:
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    for row in facts["routes"]:
        row.pop("confirmed_by", None)  # what an applicant submits now
    facts["routes"].append({"route": "传承技艺", "evidence_refs": ["GZ-2025-017-04"]})
    return facts


def test_ganzhou_applicant_form_has_no_reviewer_confirmation_field() -> None:
    form = FactsForm(EligibilityFacts)
    html = form.as_p()
    assert not any(name.endswith("confirmed_by") for name in form.fields)
    assert "确认该条件的评审人或审核单位" not in html
    assert "routes__0__route" in form.fields and "routes__0__evidence_refs" in form.fields


def test_ganzhou_recommendation_refuses_to_advance_until_every_claimed_condition_is_confirmed() -> None:
    w = world("ganzhou_craftsman", year=2026)
    app = submit(w, "工匠候选", facts=_claimed())
    reviewer = w.district_users[0]
    c = case(app)
    rs.review_eligibility(c, actor=reviewer, facts=_claimed())
    rs.attach_letter(case(app), actor=reviewer, uploaded=_pdf())
    with pytest.raises(TransitionRefused) as refused:
        rs.advance(case(app), actor=reviewer)
    assert "关键技术" in str(refused.value) and "传承技艺" in str(refused.value) and "第六条" in str(refused.value)
    rs.confirm_conditions(case(app), actor=reviewer, conditions=["routes:关键技术"])
    with pytest.raises(TransitionRefused) as refused:
        rs.advance(case(app), actor=reviewer)
    assert "传承技艺" in str(refused.value) and "关键技术" not in str(refused.value)
    assert case(app).stage == "recommendation"
    rs.confirm_conditions(case(app), actor=reviewer, conditions=["routes:传承技艺"])
    rs.advance(case(app), actor=reviewer)
    assert case(app).stage == "expert_review"
    recorded = case(app).details["recommendation"]["confirmations"]
    assert recorded["routes:关键技术"]["unit"] == w.districts[0].name
    assert recorded["routes:关键技术"]["user"] == reviewer.pk


def test_ganzhou_a_condition_the_applicant_did_not_claim_cannot_be_confirmed() -> None:
    w = world("ganzhou_craftsman", year=2026)
    app = submit(w, "工匠候选", facts=_claimed())
    with pytest.raises(TransitionRefused):
        rs.confirm_conditions(case(app), actor=w.district_users[0], conditions=["routes:工艺专长"])
    assert "confirmations" not in case(app).details.get("recommendation", {})


def test_ganzhou_confirmation_is_recorded_on_the_case_page_and_fills_who_confirmed() -> None:
    w = world("ganzhou_craftsman", year=2026)
    app = submit(w, "工匠候选", facts=_claimed())
    reviewer = w.district_users[0]
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/review/cases/{case(app).pk}/").content.decode()
    assert 'value="routes:关键技术"' in page and "评审确认申报条件" in page
    response = client.post(f"/review/cases/{case(app).pk}/confirm/",
                           {"conditions": ["routes:关键技术", "routes:传承技艺"], "stage": "recommendation"})
    assert response.status_code == 302
    page = client.get(f"/review/cases/{case(app).pk}/").content.decode()
    assert 'data-condition="routes:传承技艺"' in page and w.districts[0].name in page
    assert 'value="routes:关键技术"' not in page  # nothing left to confirm
    outcome = rs.review_eligibility(case(app), actor=reviewer, facts=_claimed(), advance_if_ok=False)
    confirmed_by = [step["inputs"]["confirmed_by"] for step in outcome["trace"] if step["rule"] == "route_confirmed"]
    assert confirmed_by and all(w.districts[0].name in by for by in confirmed_by)
