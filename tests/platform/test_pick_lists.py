"""Pick lists, not codes (issue 13, item 3): the panel form offers the round's scoring stages by name, the expert
lists only offer experts of the panel's jurisdiction, and the audit view names actions and objects in words."""

from __future__ import annotations

from typing import Any

import fixtures_panels
import pytest
from fixtures_panels import PanelWorld, make_user

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.panels.models import Panel

pytestmark = pytest.mark.django_db
pw = fixtures_panels.pw


def test_panel_form_offers_stages_by_name_and_refuses_a_stage_of_another_procedure(pw: PanelWorld) -> None:
    assert pw.round is not None
    office = pw.client("office")
    form = office.get("/panels/new/").content.decode()
    assert '<option value="central_review">' in form and "集中复审（实地考察与现场评审）" in form
    assert "评审环节代码" not in form and "panel_scoring" not in form
    response = office.post("/panels/new/", {"round": pw.round.pk, "stage_key": "publicity", "title": "t",
                                            "rubric_key": "", "aggregation": "mean", "trim_count": 1,
                                            "trim_min_experts": 5})
    assert response.status_code == 200 and not Panel.objects.exists()


def test_a_nanchang_panel_never_offers_an_expert_of_another_jurisdiction(pw: PanelWorld) -> None:
    unit = Organisation.objects.create(name="江苏示范承训单位", level=Level.MEMBER, category=Category.COLLEGE,
                                       jurisdiction=Jurisdiction.JIANGSU)
    outsider = make_user("e_js", Role.EXPERT, unit, display_name="江苏专家")
    panel = pw.panel()
    office = pw.client("office")
    page = office.get(f"/panels/{panel.pk}/").content.decode()
    assert f'data-pick-url="/picks/panels.experts/?panel={panel.pk}"' in page and "江苏专家" not in page
    found = [r["label"] for r in office.get(f"/picks/panels.experts/?panel={panel.pk}&q=专家").json()["results"]]
    assert any(label.startswith("专家4") for label in found)
    assert not any("江苏" in label or "e_js" in label for label in found)  # by name, never by login name
    assert office.get(f"/picks/panels.experts/?panel={panel.pk}&q=江苏").json()["results"] == []
    pw.client("office").post(f"/panels/{panel.pk}/experts/", {"experts": [outsider.pk]})
    assert not panel.members.filter(expert=outsider).exists()


def test_audit_view_names_actions_and_objects_in_words(client_for: Any, users: dict[str, Any]) -> None:
    from django.conf import settings

    from jiangxin.platform.audit.service import record

    record("academy.import.finish", actor=None, object_type="academy.ImportJob", object_id="3", summary="导入完成")
    client = client_for(users[Role.AUDIT_ADMIN])
    page = client.get("/audit/").content.decode()
    assert "学员导入完成" in page
    assert ">academy.import.finish<" not in page and ">academy.ImportJob" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Trainee import finished" in client.get("/audit/").content.decode()
