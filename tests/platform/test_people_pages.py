"""People registry pages: list/search/detail per role, scope (404/403), masking, keyed-hash lookup, nav/tasks."""

from __future__ import annotations

import datetime as dt

import fixtures_people
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fixtures_people import NUMBERS, UNKNOWN, Reg, pdf_bytes

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import collect_nav, collect_tasks
from jiangxin.platform.people.levels import SkillLevel
from jiangxin.platform.people.models import HonourKind, HonourLevel
from jiangxin.platform.people.services import add_honour, impose_ban, register_person

pytestmark = pytest.mark.django_db
media = fixtures_people.media
reg = fixtures_people.reg

ADMINS = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
NO_ACCESS = [*ADMINS, Role.EXPERT, Role.FINANCE]
VISIBLE = {
    Role.OFFICE: {"A", "B", "SELF"},
    Role.DISTRICT: {"A"},
    Role.UNIT: {"A"},
    Role.TRAINING_UNIT: {"A"},
    Role.PARK_OFFICE: {"GZ"},
    Role.INDIVIDUAL: {"SELF"},
    Role.TRAINEE: set(),
}


def names_in(html: str, reg: Reg) -> set[str]:
    return {key for key, p in reg.persons.items() if f">{p.name}</a>" in html}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_list_shows_exactly_the_persons_in_the_roles_scope(reg: Reg, role: str) -> None:
    response = reg.get(role, "/people/")
    assert response.status_code == 200
    assert names_in(response.content.decode(), reg) == VISIBLE[role]


@pytest.mark.parametrize("role", list(VISIBLE))
def test_detail_opens_inside_scope_and_answers_404_outside(reg: Reg, role: str) -> None:
    for key, person in reg.persons.items():
        status = reg.get(role, f"/people/{person.pk}/").status_code
        assert status == (200 if key in VISIBLE[role] else 404), (role, key)


@pytest.mark.parametrize("role", NO_ACCESS)
def test_administrators_experts_and_finance_see_nothing(reg: Reg, role: str) -> None:
    a = reg.persons["A"]
    for url in ("/people/", f"/people/{a.pk}/", "/people/new/", f"/people/{a.pk}/edit/",
                f"/people/{a.pk}/honours/new/", "/people/bans/", "/people/bans/new/"):
        assert reg.get(role, url).status_code == 403, (role, url)
    assert reg.client(role).post("/people/", {"id_number": NUMBERS["A"]}).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(reg: Reg) -> None:
    from django.test import Client

    response = Client().get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_district_reviewer_cannot_see_a_person_employed_in_another_district(reg: Reg) -> None:
    b = reg.persons["B"]  # 西湖区; the reviewer acts for 东湖区
    assert reg.get(Role.DISTRICT, f"/people/{b.pk}/").status_code == 404
    honour = add_honour(b, kind=HonourKind.OTHER, title="技术比武一等奖", awarded_on=dt.date(2020, 5, 1),
                        evidence=SimpleUploadedFile("x.pdf", pdf_bytes()))
    assert reg.get(Role.DISTRICT, f"/people/{b.pk}/honours/{honour.pk}/evidence/").status_code == 404
    assert reg.get(Role.OFFICE, f"/people/{b.pk}/honours/{honour.pk}/evidence/").status_code == 200
    # the honour cannot be reached through a person in scope either
    a = reg.persons["A"]
    assert reg.get(Role.DISTRICT, f"/people/{a.pk}/honours/{honour.pk}/evidence/").status_code == 404


def test_unit_cannot_see_or_touch_another_units_employees(reg: Reg) -> None:
    b = reg.persons["B"]
    for url in (f"/people/{b.pk}/", f"/people/{b.pk}/edit/", f"/people/{b.pk}/honours/new/"):
        assert reg.get(Role.UNIT, url).status_code == 404, url
    response = reg.client(Role.UNIT).post(f"/people/{b.pk}/edit/", {"name": "改名"})
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.name == "乙技师"


def test_reviewer_and_applicants_cannot_edit_register_or_keep_bans(reg: Reg) -> None:
    a = reg.persons["A"]
    for role in (Role.DISTRICT, Role.INDIVIDUAL, Role.TRAINEE):
        for url in ("/people/new/", f"/people/{a.pk}/edit/", f"/people/{a.pk}/honours/new/", "/people/bans/"):
            assert reg.get(role, url).status_code == 403, (role, url)
    for role in (Role.UNIT, Role.TRAINING_UNIT, Role.DISTRICT):
        assert reg.get(role, "/people/bans/").status_code == 403
        assert reg.get(role, "/people/bans/new/").status_code == 403


def test_id_numbers_are_masked_on_every_page(reg: Reg) -> None:
    pages = {Role.OFFICE: ["/people/", *[f"/people/{reg.persons[k].pk}/" for k in ("A", "B", "SELF")],
                           f"/people/{reg.persons['A'].pk}/edit/"],
                 Role.INDIVIDUAL: ["/people/", f"/people/{reg.persons['SELF'].pk}/"]}
    for role, urls in pages.items():
        for url in urls:
            html = reg.get(role, url).content.decode()
            for number in NUMBERS.values():
                assert number not in html and number[6:14] not in html, (role, url)
    # the lookup result page does not echo the number typed either
    html = reg.client(Role.OFFICE).post("/people/", {"id_number": NUMBERS["B"]}).content.decode()
    assert NUMBERS["B"] not in html and "乙技师" in html
    html = reg.get(Role.OFFICE, f"/people/{reg.persons['A'].pk}/").content.decode()
    masked = NUMBERS["A"][:6] + "********" + NUMBERS["A"][-4:]
    assert f'id="masked-id">{masked}<' in html


def test_lookup_by_full_number_finds_the_person_through_the_keyed_hash(reg: Reg) -> None:
    number = NUMBERS["B"]
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    for query in (number, spaced):
        html = reg.client(Role.OFFICE).post("/people/", {"id_number": query}).content.decode()
        assert names_in(html, reg) == {"B"}
        assert "共 1 人" in html


def test_lookup_outside_scope_looks_exactly_like_an_unknown_number(reg: Reg) -> None:
    client = reg.client(Role.DISTRICT)
    outside = client.post("/people/", {"id_number": NUMBERS["B"]}, HTTP_HX_REQUEST="true")
    unknown = client.post("/people/", {"id_number": UNKNOWN}, HTTP_HX_REQUEST="true")
    assert outside.status_code == unknown.status_code == 200
    assert outside.content == unknown.content
    assert "乙技师" not in outside.content.decode() and "共 0 人" in outside.content.decode()
    inside = client.post("/people/", {"id_number": NUMBERS["A"]}, HTTP_HX_REQUEST="true")
    assert names_in(inside.content.decode(), reg) == {"A"}


def test_partial_numbers_are_refused_not_matched_with_like(reg: Reg) -> None:
    html = reg.client(Role.OFFICE).post("/people/", {"id_number": NUMBERS["A"][:10]}).content.decode()
    assert "请输入完整的18位公民身份号码" in html
    assert names_in(html, reg) == set()


def test_htmx_filtering_returns_only_the_rows(reg: Reg) -> None:
    response = reg.client(Role.OFFICE).get("/people/", data={"q": "甲"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<table>" in html
    assert names_in(html, reg) == {"A"}
    full = reg.get(Role.OFFICE, "/people/").content.decode()
    assert 'hx-get="/people/"' in full and 'hx-target="#people-rows"' in full


def test_filters_by_skill_level_honour_kind_and_employer(reg: Reg) -> None:
    add_honour(reg.persons["B"], kind=HonourKind.MODEL_WORKER, level=HonourLevel.CITY, awarded_on=dt.date(2019, 4, 30))
    get = lambda **q: names_in(reg.get(Role.OFFICE, "/people/", data=q).content.decode(), reg)  # noqa: E731
    assert get(skill_level=SkillLevel.TECHNICIAN) == {"A"}
    assert get(honour_kind=HonourKind.MODEL_WORKER) == {"B"}
    assert get(employer=reg.orgs["xihu"].pk) == {"B", "SELF"}  # the employer filter covers the subtree
    assert get(employer=reg.orgs["unit_a"].pk) == {"A"}
    assert get(unverified="on") == {"B"}
    # an employer outside the scope is not a valid choice: nothing is listed
    html = reg.get(Role.DISTRICT, "/people/", data={"employer": reg.orgs["unit_b"].pk}).content.decode()
    assert names_in(html, reg) == set()


def test_pagination_keeps_the_filters(reg: Reg) -> None:
    for i in range(30):
        register_person(name=f"学员{i:02d}", id_number=fixtures_people.resident_id_number(f"36011119900101{i:02d}1"),
                        employer=reg.orgs["unit_a"])
    first = reg.get(Role.UNIT, "/people/", data={"q": "学员"}).content.decode()
    assert "共 30 人" in first and "1 / 2" in first and "q=%E5%AD%A6%E5%91%98&amp;page=2" in first
    second = reg.get(Role.UNIT, "/people/", data={"q": "学员", "page": 2}).content.decode()
    assert "学员29" in second and "学员00" not in second


def test_detail_shows_identity_employer_levels_honours_and_bans(reg: Reg) -> None:
    a = reg.persons["A"]
    today = timezone.localdate()
    add_honour(a, kind=HonourKind.MODEL_WORKER, level=HonourLevel.PROVINCE, awarded_on=dt.date(2018, 4, 28),
               issuer="江西省人民政府", evidence=SimpleUploadedFile("c.pdf", pdf_bytes()))
    impose_ban(person=a, program="nanchang_studio", reason="申报材料弄虚作假", citation_label="工作室办法第二十条",
               start=today - dt.timedelta(days=10), end=today + dt.timedelta(days=365), decision_reference="洪工发〔2025〕3号")
    impose_ban(person=a, program="all", reason="旧记录", citation_label="第九条",
               start=dt.date(2015, 1, 1), end=dt.date(2016, 1, 1), decision_reference="旧文号")
    impose_ban(organisation=reg.orgs["unit_a"], program="ganzhou_craftsman", reason="单位违规",
               citation_label="赣州办法第十五条", start=today, decision_reference="赣人社〔2025〕1号")
    html = reg.get(Role.DISTRICT, f"/people/{a.pk}/").content.decode()
    for text in ("东湖精工有限公司", "技师", "省级劳动模范", "江西省人民政府", "待核实", "下载",
                 "工作室办法第二十条", "洪工发〔2025〕3号", "生效中", "已期满", "旧文号", "永久",
                 "赣州办法第十五条", "（工作单位）", "南昌市示范性创新工作室"):
        assert text in html, text
    # reviewers look but do not verify, edit or ban
    assert "核实</button>" not in html and "/edit/" not in html and "登记禁止申报" not in html
    office = reg.get(Role.OFFICE, f"/people/{a.pk}/").content.decode()
    assert "核实</button>" in office and f"/people/{a.pk}/edit/" in office and "登记禁止申报" in office


def test_individual_sees_own_record_but_cannot_change_it(reg: Reg) -> None:
    me = reg.persons["SELF"]
    html = reg.get(Role.INDIVIDUAL, f"/people/{me.pk}/").content.decode()
    assert "丁本人" in html and "/edit/" not in html
    assert reg.client(Role.INDIVIDUAL).post(f"/people/{me.pk}/edit/", {"name": "x"}).status_code == 403


def test_navigation_and_tasks_per_role(reg: Reg) -> None:
    labels = {role: {i.label for i in collect_nav(reg.users[role])} for role in Role}
    assert {"人员库", "禁止申报"} <= labels[Role.OFFICE]
    assert "人员库" in labels[Role.UNIT] and "禁止申报" not in labels[Role.UNIT]
    assert "人员库" in labels[Role.DISTRICT] and "禁止申报" not in labels[Role.DISTRICT]
    for role in NO_ACCESS:
        assert not {"人员库", "禁止申报"} & labels[role], role
    add_honour(reg.persons["A"], kind=HonourKind.GANPO_CRAFTSMAN, awarded_on=dt.date(2021, 1, 1))
    add_honour(reg.persons["GZ"], kind=HonourKind.GANPO_CRAFTSMAN, awarded_on=dt.date(2021, 1, 1))
    tasks = [t for t in collect_tasks(reg.users[Role.OFFICE]) if t.title == "有待核实荣誉的人员"]
    assert len(tasks) == 1 and tasks[0].count == 1 and tasks[0].url == "/people/?unverified=on"
    assert not [t for t in collect_tasks(reg.users[Role.UNIT]) if t.title == "有待核实荣誉的人员"]


def test_org_detail_lists_bans_in_scope_and_never_for_the_administrators(reg: Reg) -> None:
    impose_ban(organisation=reg.orgs["unit_b"], program="nanchang_academy", reason="违规", citation_label="第二十四条",
               start=timezone.localdate(), end=None, decision_reference="洪工〔2025〕9号")
    url = f"/orgs/{reg.orgs['unit_b'].pk}/"
    office = reg.get(Role.OFFICE, url).content.decode()
    assert "禁止申报记录" in office and "洪工〔2025〕9号" in office and "永久" in office
    sysadmin = reg.get(Role.SYSTEM_ADMIN, url)
    assert sysadmin.status_code == 200 and "洪工〔2025〕9号" not in sysadmin.content.decode()


def test_pages_are_translated_into_english(reg: Reg) -> None:
    from django.conf import settings

    client = reg.client(Role.OFFICE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/people/").content.decode()
    assert "People registry" in html and "Find by resident ID number" in html and "No matching persons." not in html
    detail = client.get(f"/people/{reg.persons['A'].pk}/").content.decode()
    assert "Basic information" in detail and "Record a ban" in detail
