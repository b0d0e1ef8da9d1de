"""Applications: derived forms, live eligibility check, submission with confirmation, scope per role."""

from __future__ import annotations

import fixtures_apps
import pytest
from fixtures_apps import World

from jiangxin.platform.applications import services
from jiangxin.platform.applications.models import Application, Status
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def _form_data(app: Application) -> dict[str, str]:
    """The edit page's own initial values, as a browser would post them back."""
    from jiangxin.platform.applications.details import DetailsForm
    from jiangxin.platform.applications.formgen import FactsForm

    comp = services.eligibility_computation(app.round.program.key)
    form = FactsForm(comp.facts, initial_facts=app.facts)
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is True:
            data[name] = "on"
        elif value not in (None, False, ""):
            data[name] = str(value)
    details = DetailsForm(app.round.program.key, initial=app.details)
    for name in details.fields:
        if app.details.get(name):
            data[f"d-{name}"] = app.details[name]
    return data


def test_unit_creates_a_draft_from_an_open_round(world: World) -> None:
    c = world.client("unit_a")
    response = c.post(f"/applications/new/{world.rounds['studio'].pk}/")
    app = Application.objects.get(applicant_user=world.users["unit_a"])
    assert response.status_code == 302 and response["Location"] == f"/applications/{app.pk}/edit/"
    assert app.status == Status.DRAFT and app.applicant_org == world.orgs["unit_a"] and app.kind == "unit"
    page = c.get(f"/applications/{app.pk}/edit/").content.decode()
    # fields derived from the facts model of nanchang_studio/eligibility
    for label in ("领衔人所获荣誉", "固定活动场所", "已命名级别", "添加一行", "工作室名称"):
        assert label in page
    assert 'hx-post="/applications/' in page


def test_second_application_in_the_same_round_is_refused_without_a_duplicate(world: World) -> None:
    c = world.client("unit_a")
    c.post(f"/applications/new/{world.rounds['studio'].pk}/")
    response = c.post(f"/applications/new/{world.rounds['studio'].pk}/", follow=True)
    assert "请勿重复申报" in response.content.decode()
    assert Application.objects.filter(applicant_org=world.orgs["unit_a"]).count() == 1


def test_wrong_role_or_jurisdiction_cannot_apply(world: World) -> None:
    assert world.client("district_donghu").post(f"/applications/new/{world.rounds['studio'].pk}/",
                                                follow=True).content.decode().count("不能申报该项目") == 1
    assert world.client("indiv_1").post(f"/applications/new/{world.rounds['studio'].pk}/").status_code == 404
    assert world.client("unit_a").post(f"/applications/new/{world.rounds['studio_draft'].pk}/").status_code == 404
    assert Application.objects.count() == 0


def test_live_check_lists_every_failed_condition_with_its_article(world: World) -> None:
    app = world.studio_application()
    data = _form_data(app)
    data.pop("has_dedicated_funds", None)     # 第二条（三）
    data.pop("party_admin_approved", None)    # 第七条
    response = world.client("unit_a").post(f"/applications/{app.pk}/check/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-eligibility="ineligible"' in html
    assert "以下 2 项未满足" in html
    assert "第二条（三）" in html and "第七条" in html
    assert Application.objects.get(pk=app.pk).facts["has_dedicated_funds"] is True  # nothing saved


def test_live_check_reports_missing_fields_by_label(world: World) -> None:
    app = world.studio_application()
    data = _form_data(app)
    data.pop("prior_naming")
    html = world.client("unit_a").post(f"/applications/{app.pk}/check/", data).content.decode()
    assert 'data-eligibility="incomplete"' in html and "已命名级别" in html and "此项必填" in html


def test_saving_the_derived_form_round_trips_the_facts(world: World) -> None:
    app = world.studio_application()
    before = dict(app.facts)
    response = world.client("unit_a").post(f"/applications/{app.pk}/edit/", _form_data(app))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.facts == before
    assert app.eligibility_status == "eligible"


def test_add_row_gives_one_more_row(world: World) -> None:
    app = world.studio_application()
    data = _form_data(app)
    data["_add_row"] = "leader_honours"
    html = world.client("unit_a").post(f"/applications/{app.pk}/edit/", data).content.decode()
    assert 'name="leader_honours__2__kind"' in html and 'name="leader_honours__3__kind"' not in html


def test_submission_needs_confirmation_then_twice_gives_a_friendly_message(world: World) -> None:
    app = world.studio_application()
    c = world.client("unit_a")
    page = c.get(f"/applications/{app.pk}/submit/").content.decode()
    assert "确认提交" in page and "符合申报条件" in page
    c.post(f"/applications/{app.pk}/submit/", {})  # no tick: refused
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT
    response = c.post(f"/applications/{app.pk}/submit/", {"confirm": "yes"}, follow=True)
    assert "申报已提交" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.submitted_at is not None
    assert app.eligibility["trace"] and app.eligibility["citation"]["article"] == "第二条"
    first = app.submitted_at
    response = c.post(f"/applications/{app.pk}/submit/", {"confirm": "yes"}, follow=True)
    assert "该申报已经提交，无需重复提交" in response.content.decode()
    app.refresh_from_db()
    assert app.submitted_at == first
    assert AuditEvent.objects.filter(action="application.submit", object_id=str(app.pk)).count() == 1


def test_ineligible_application_cannot_be_submitted(world: World) -> None:
    app = world.studio_application(fraud_found=True)
    response = world.client("unit_a").post(f"/applications/{app.pk}/submit/", {"confirm": "yes"}, follow=True)
    assert "资格审查未通过" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT


def test_edits_after_submission_are_refused(world: World) -> None:
    app = world.studio_application(submit=True)
    c = world.client("unit_a")
    response = c.post(f"/applications/{app.pk}/edit/", _form_data(app), follow=True)
    assert "已提交的申报不能修改" in response.content.decode()
    with pytest.raises(services.ApplicationError, match="已提交的申报不能修改"):
        services.save_draft(world.users["unit_a"], app, {"fraud_found": True})
    assert Application.objects.get(pk=app.pk).facts["fraud_found"] is False


def test_withdraw_then_apply_again(world: World) -> None:
    app = world.studio_application(submit=True)
    c = world.client("unit_a")
    c.post(f"/applications/{app.pk}/withdraw/")
    assert Application.objects.get(pk=app.pk).status == Status.WITHDRAWN
    c.post(f"/applications/new/{world.rounds['studio'].pk}/")
    assert Application.objects.filter(applicant_org=world.orgs["unit_a"]).count() == 2


def test_applicants_see_only_their_own(world: World) -> None:
    app = world.studio_application(submit=True)
    other = world.client("unit_b")
    assert other.get(f"/applications/{app.pk}/").status_code == 404
    assert other.get(f"/applications/{app.pk}/edit/").status_code == 404
    assert other.post(f"/applications/{app.pk}/withdraw/").status_code == 404
    assert "测试创新工作室" not in other.get("/applications/").content.decode()
    assert world.client("indiv_1").get(f"/applications/{app.pk}/").status_code == 404


def test_district_sees_its_subtrees_submitted_applications_read_only(world: World) -> None:
    draft = world.studio_application(user="unit_b")
    app = world.studio_application(submit=True)
    donghu = world.client("district_donghu")
    assert donghu.get(f"/applications/{app.pk}/").status_code == 200
    assert donghu.get(f"/applications/{app.pk}/edit/").status_code == 403
    assert donghu.post(f"/applications/{app.pk}/withdraw/").status_code == 403
    assert world.client("district_xihu").get(f"/applications/{app.pk}/").status_code == 404
    assert world.client("district_xihu").get(f"/applications/{draft.pk}/").status_code == 404  # a draft
    assert world.client("office_nc").get(f"/applications/{app.pk}/").status_code == 200
    assert world.client("office_gz").get(f"/applications/{app.pk}/").status_code == 404
    assert world.client("expert").get(f"/applications/{app.pk}/").status_code == 404
    assert world.client("sysadmin").get(f"/applications/{app.pk}/").status_code == 404


def test_individual_application_prefilled_from_the_person_registry(world: World) -> None:
    c = world.client("trainee")
    c.post(f"/applications/new/{world.rounds['jiangsu'].pk}/")
    app = Application.objects.get(applicant_user=world.users["trainee"])
    assert app.kind == "individual" and app.applicant_person == world.users["trainee"].person
    assert app.facts["birth_date"] == "1978-05-12" and app.facts["skill_level"] == "技师"
    assert app.facts["sex"] == "female" and app.facts["original_retirement_age"] == 55
    page = c.get(f"/applications/{app.pk}/edit/").content.decode()
    assert "培育类别" in page and 'value="1978-05-12"' in page


def test_individuals_of_one_district_are_not_seen_by_another(world: World) -> None:
    c = world.client("indiv_2")
    c.post(f"/applications/new/{world.rounds['ganzhou'].pk}/")
    app = Application.objects.get(applicant_user=world.users["indiv_2"])
    assert world.client("indiv_1").get(f"/applications/{app.pk}/").status_code == 404
    assert world.client("district_zhanggong").get(f"/applications/{app.pk}/").status_code == 404


def test_district_can_return_and_applicant_edits_again(world: World) -> None:
    app = world.studio_application(submit=True)
    with pytest.raises(services.ApplicationError, match="管辖范围"):
        services.return_for_changes(world.users["district_xihu"], app, "x")
    services.return_for_changes(world.users["district_donghu"], app, "补充材料")
    assert world.client("unit_a").get(f"/applications/{app.pk}/edit/").status_code == 200
