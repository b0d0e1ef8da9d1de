"""Organisation tree: scope per role, editing by the system administrator, credit-code validation, seeding."""

from __future__ import annotations

import pytest
from django.urls import reverse
from stdnum.cn import uscc

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.orgs.seed import seed_org_tree

pytestmark = pytest.mark.django_db


def credit_code(first17: str = "91360100MA35XXXX0") -> str:
    return first17 + uscc.calc_check_digit(first17 + "0")


def test_district_reviewer_sees_only_its_subtree(users, client_for, org_tree):
    client = client_for(users["district"])  # 东湖区总工会
    html = client.get(reverse("orgs:tree")).content.decode()
    assert "东湖区总工会" in html and "东湖精工有限公司" in html
    assert "西湖区总工会" not in html and "西湖机电有限公司" not in html and "南昌市总工会" not in html
    assert client.get(reverse("orgs:detail", args=[org_tree["unit_a"].pk])).status_code == 200
    for other in ("xihu", "unit_b", "nanchang", "ganzhou"):
        assert client.get(reverse("orgs:detail", args=[org_tree[other].pk])).status_code == 404, other


def test_office_sees_its_whole_tree_but_not_another_city(users, client_for, org_tree):
    html = client_for(users["office"]).get(reverse("orgs:tree")).content.decode()
    assert "西湖机电有限公司" in html and "东湖精工有限公司" in html
    assert "赣州市人力资源和社会保障局" not in html


def test_unit_sees_only_itself(users, client_for, org_tree):
    client = client_for(users["unit"])
    html = client.get(reverse("orgs:tree")).content.decode()
    assert "东湖精工有限公司" in html and "东湖区总工会" not in html
    assert client.get(reverse("orgs:detail", args=[org_tree["donghu"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["secadmin", "auditadmin", "expert", "individual", "trainee"])
def test_roles_without_organisation_pages_get_403(role, users, client_for, org_tree):
    client = client_for(users[role])
    assert client.get(reverse("orgs:tree")).status_code == 403
    assert client.get(reverse("orgs:detail", args=[org_tree["unit_a"].pk])).status_code == 403


@pytest.mark.parametrize("role", [str(r) for r in Role if r != Role.SYSTEM_ADMIN])
def test_only_the_system_admin_creates_or_edits(role, users, client_for, org_tree):
    client = client_for(users[role])
    assert client.get(reverse("orgs:create")).status_code == 403
    assert client.get(reverse("orgs:edit", args=[org_tree["unit_a"].pk])).status_code == 403


def test_system_admin_creates_an_organisation_with_a_valid_credit_code(users, client_for, org_tree):
    client = client_for(users["sysadmin"])
    code = credit_code()
    response = client.post(reverse("orgs:create"), {
        "name": "东湖新材料有限公司", "parent": org_tree["donghu"].pk, "level": "member", "category": "enterprise",
        "jurisdiction": "nanchang", "credit_code": code.lower()})
    assert response.status_code == 302
    org = Organisation.objects.get(name="东湖新材料有限公司")
    assert org.credit_code == code
    assert org.path.startswith(org_tree["donghu"].path)
    assert AuditEvent.objects.filter(action="orgs.organisation.create", object_id=str(org.pk)).exists()


def test_invalid_credit_code_gives_a_chinese_error_and_saves_nothing(users, client_for, org_tree):
    client = client_for(users["sysadmin"])
    bad = credit_code()[:-1] + ("0" if credit_code()[-1] != "0" else "1")
    before = Organisation.objects.count()
    html = client.post(reverse("orgs:create"), {
        "name": "错误代码公司", "parent": org_tree["donghu"].pk, "level": "member", "category": "enterprise",
        "jurisdiction": "nanchang", "credit_code": bad}).content.decode()
    assert "统一社会信用代码校验码错误" in html
    assert "expected" not in html
    assert Organisation.objects.count() == before


def test_jurisdiction_must_match_parent(users, client_for, org_tree):
    html = client_for(users["sysadmin"]).post(reverse("orgs:create"), {
        "name": "跨地区", "parent": org_tree["donghu"].pk, "level": "member", "category": "enterprise",
        "jurisdiction": "ganzhou"}).content.decode()
    assert "所属地区须与上级组织一致" in html


def test_edit_moves_subtree_paths_and_is_audited(users, client_for, org_tree):
    client = client_for(users["sysadmin"])
    unit = org_tree["unit_a"]
    response = client.post(reverse("orgs:edit", args=[unit.pk]), {
        "name": unit.name, "parent": org_tree["xihu"].pk, "level": "member", "category": "enterprise",
        "jurisdiction": "nanchang"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.path.startswith(org_tree["xihu"].path)
    event = AuditEvent.objects.get(action="orgs.organisation.update")
    assert event.before["parent_id"] == org_tree["donghu"].pk and event.after["parent_id"] == org_tree["xihu"].pk


def test_cannot_make_an_organisation_its_own_descendant(users, client_for, org_tree):
    donghu = org_tree["donghu"]
    html = client_for(users["sysadmin"]).post(reverse("orgs:edit", args=[donghu.pk]), {
        "name": donghu.name, "parent": org_tree["unit_a"].pk, "level": "district", "category": "union",
        "jurisdiction": "nanchang"}).content.decode()
    assert "上级不能是本组织或其下级" in html


def test_live_filter_returns_rows_only(users, client_for, org_tree):
    html = client_for(users["office"]).get(reverse("orgs:tree"), {"q": "西湖"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "西湖区总工会" in html and "东湖区总工会" not in html


def test_seed_org_tree_creates_the_standard_tree_idempotently(db):
    created = seed_org_tree()
    assert len(created) > 40
    assert seed_org_tree() == []
    names = set(Organisation.objects.values_list("name", flat=True))
    for name in ("南昌市总工会", "东湖区总工会", "安义县总工会", "南昌高新区工会工委", "湾里管理局工会工委",
                 "南昌市教科文卫体工会", "镇江市人力资源和社会保障局", "镇江市技能大师产业创新园管理办公室",
                 "赣州市人力资源和社会保障局", "于都县人力资源和社会保障局", "市直有关行业主管部门",
                 "江苏省人力资源和社会保障厅", "江苏省财政厅", "宿迁市人力资源和社会保障局"):
        assert name in names, name
    park = Organisation.objects.get(name="镇江市技能大师产业创新园管理办公室")
    assert park.parent.name == "镇江市人力资源和社会保障局"
    ganzhou = Organisation.objects.get(name="赣州市人力资源和社会保障局", parent=None)
    assert ganzhou.subtree().count() == 20  # itself, 18 counties, 市直行业主管部门
    jiangsu = Organisation.objects.get(name="江苏省人力资源和社会保障厅")
    assert jiangsu.children.count() == 13
