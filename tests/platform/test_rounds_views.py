"""Rounds (申报批次): who sees and who runs them; office-set parameters validated and labelled."""

from __future__ import annotations

import fixtures_apps
import pytest
from fixtures_apps import World

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.rounds.models import Round, RoundStatus

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def test_office_sees_drafts_and_can_create_a_round_with_office_parameters(world: World) -> None:
    c = world.client("office_nc")
    page = c.get("/rounds/").content.decode()
    assert "下一年草稿批次" in page and "新建批次" in page
    response = c.post("/rounds/new/nanchang_studio/", {
        "year": 2027, "title": "2027年示范性创新工作室申报", "opens": "2027-09-01", "closes": "2027-10-31",
        "district_review_due": "2027-11-15", "quota": "8", "notice_reference": "洪工字〔2027〕1号",
        "param__naming_annual_quota": "8", "param__naming_shortlist_mark": "85"})
    assert response.status_code == 302
    rnd = Round.objects.get(title="2027年示范性创新工作室申报")
    assert rnd.status == RoundStatus.DRAFT and rnd.quota == 8
    assert rnd.office_parameters == {"naming_annual_quota": "8", "naming_shortlist_mark": "85"}
    assert rnd.parameter_set().value("naming_shortlist_mark", rnd.closes) == 85
    assert AuditEvent.objects.filter(action="round.create", object_id=str(rnd.pk)).exists()
    detail = c.get(f"/rounds/{rnd.pk}/").content.decode()
    assert "由主管部门设定（非政策规定）" in detail and "洪工字〔2027〕1号" in detail


def test_closing_before_opening_is_refused_in_chinese(world: World) -> None:
    response = world.client("office_nc").post("/rounds/new/nanchang_studio/", {
        "year": 2027, "title": "错误批次", "opens": "2027-10-31", "closes": "2027-09-01"})
    assert response.status_code == 200
    assert "申报截止日期不能早于开始日期" in response.content.decode()
    assert not Round.objects.filter(title="错误批次").exists()


def test_park_office_duration_parameter_in_the_wrong_form_is_refused(world: World) -> None:
    response = world.client("park").post("/rounds/new/zhenjiang_park/", {
        "year": 2026, "title": "园区批次", "opens": "2026-11-01", "closes": "2026-12-31",
        "param__rectification_period": "三个月"})
    assert response.status_code == 200
    assert "参数不符合要求" in response.content.decode()
    assert not Round.objects.filter(title="园区批次").exists()


@pytest.mark.parametrize("name", ["district_donghu", "unit_a", "indiv_1", "office_gz", "sysadmin", "expert"])
def test_only_the_programs_office_may_create_or_edit_rounds(world: World, name: str) -> None:
    c = world.client(name)
    assert c.get("/rounds/new/nanchang_studio/").status_code == 403
    assert c.post(f"/rounds/{world.rounds['studio'].pk}/close/").status_code in (403, 404)
    assert world.rounds["studio"].__class__.objects.get(pk=world.rounds["studio"].pk).status == RoundStatus.OPEN


def test_office_opens_and_closes_a_round_with_audit(world: World) -> None:
    c = world.client("office_nc")
    draft = world.rounds["studio_draft"]
    assert c.post(f"/rounds/{draft.pk}/open/").status_code == 302
    assert Round.objects.get(pk=draft.pk).status == RoundStatus.OPEN
    assert c.post(f"/rounds/{draft.pk}/close/").status_code == 302
    assert Round.objects.get(pk=draft.pk).status == RoundStatus.CLOSED
    assert AuditEvent.objects.filter(action__in=["round.open", "round.close"], object_id=str(draft.pk)).count() == 2


def test_applicants_see_open_rounds_of_their_jurisdiction_only(world: World) -> None:
    page = world.client("unit_a").get("/rounds/").content.decode()
    assert "studio 批次" in page and "下一年草稿批次" not in page and "ganzhou 批次" not in page
    assert world.client("unit_a").get(f"/rounds/{world.rounds['studio_draft'].pk}/").status_code == 404
    assert world.client("unit_a").get(f"/rounds/{world.rounds['ganzhou'].pk}/").status_code == 404
    page = world.client("indiv_1").get(f"/rounds/{world.rounds['ganzhou'].pk}/").content.decode()
    assert "我要申报" in page


def test_district_sees_rounds_but_not_drafts_and_cannot_apply(world: World) -> None:
    c = world.client("district_donghu")
    assert c.get(f"/rounds/{world.rounds['studio_draft'].pk}/").status_code == 404
    page = c.get(f"/rounds/{world.rounds['studio'].pk}/").content.decode()
    assert "我要申报" not in page and "截止申报" not in page


def test_administrators_see_no_rounds(world: World) -> None:
    assert "studio 批次" not in world.client("sysadmin").get("/rounds/").content.decode()
    assert world.client("auditadmin").get(f"/rounds/{world.rounds['studio'].pk}/").status_code == 404


def test_load_programs_mirrors_the_registry_idempotently(world: World) -> None:
    from jiangxin.platform.rounds.services import sync_programs
    from jiangxin.policy.registry import PROGRAMS

    assert sync_programs() == (0, 0)
    assert set(world.rounds["studio"].program.__class__.objects.values_list("key", flat=True)) == set(PROGRAMS)


def test_english_reader_sees_parameters_in_english_and_may_type_a_period_in_english(world: World) -> None:
    """Issue 13: the park office's form and round page name the open parameters through the label layer
    (param.<name>, unit.<code>); the article stays a Chinese <cite>; a period may be typed in English."""
    from django.conf import settings

    c = world.client("park")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = c.get("/rounds/new/zhenjiang_park/").content.decode()
    assert "Rectification period after a failed evaluation" in form and "Skill start-up subsidy amount" in form
    assert "(yuan)" in form and '<cite class="citation" lang="zh-Hans">' in form
    response = c.post("/rounds/new/zhenjiang_park/", {
        "year": 2026, "title": "园区批次（英文）", "opens": "2026-11-01", "closes": "2026-12-31",
        "param__rectification_period": "3 months"})
    assert response.status_code == 302
    rnd = Round.objects.get(title="园区批次（英文）")
    assert rnd.office_parameters == {"rectification_period": {"amount": 3, "unit": "months"}}
    detail = c.get(f"/rounds/{rnd.pk}/").content.decode()
    assert "Rectification period after a failed evaluation" in detail and "3 months" in detail
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "3个月" in c.get(f"/rounds/{rnd.pk}/").content.decode()
