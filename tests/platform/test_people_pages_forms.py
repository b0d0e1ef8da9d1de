"""People registry forms: register/edit with Chinese errors and nothing half-stored, duplicates without leaks,
honours with sniffed evidence and office verification, the ban registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import fixtures_people
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fixtures_people import NUMBERS, UNKNOWN, Reg, pdf_bytes, png_bytes, resident_id_number

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.people.models import Ban, Honour, HonourKind, Person

pytestmark = pytest.mark.django_db
media = fixtures_people.media
reg = fixtures_people.reg

NEW = resident_id_number("36011119920303008")  # female, 1992-03-03


def person_form(reg: Reg, **changes: Any) -> dict[str, Any]:
    data = {"name": "戊新人", "id_number": NEW, "sex": "female", "birth_date": "1992-03-03",
            "employer": reg.orgs["unit_a"].pk, "skill_level": "senior", "skill_occupation": "钳工",
            "title_level": "none", "title_name": "", "original_retirement_age": "50", "phone": "0791-1234567",
            "residence_city": "南昌", "work_city": "南昌"}
    data.update(changes)
    return data


def counts() -> tuple[int, int, int, int]:
    return Person.objects.count(), Honour.objects.count(), Ban.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.UNIT, Role.TRAINING_UNIT])
def test_office_and_units_register_a_person_with_audit_and_masked_number(reg: Reg, role: str) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = reg.client(role).post("/people/new/", person_form(reg))
    person = Person.objects.get(name="戊新人")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.employer == reg.orgs["unit_a"] and person.original_retirement_age == 50
    assert person.reveal_id_number() == NEW and person.id_mask == NEW[:6] + "********" + NEW[-4:]
    event = AuditEvent.objects.filter(pk__gt=before).get(action="people.person.register")
    assert event.actor == reg.users[role] and NEW not in str(event.after) and NEW not in event.summary
    assert NEW not in reg.get(role, f"/people/{person.pk}/").content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"id_number": NEW[:-1] + ("0" if NEW[-1] != "0" else "1")}, "id_number", "校验"),
    ({"id_number": NEW[:10]}, "id_number", "18位"),
    ({"birth_date": "1992-03-04"}, "birth_date", "出生日期与公民身份号码不符（号码显示为1992年03月03日）"),
    ({"sex": "male"}, "sex", "性别与公民身份号码不符（号码显示为女）"),
    ({"name": "  "}, "name", "请填写姓名"),
    ({"employer": ""}, "employer", "请选择工作单位"),
    ({"birth_date": "03/03/1992"}, "birth_date", "请按“年-月-日”填写出生日期"),
])
def test_invalid_registration_shows_a_chinese_error_and_stores_nothing(reg: Reg, changes: dict[str, Any], field: str,
                                                                        message: str) -> None:
    before = counts()
    response = reg.client(Role.OFFICE).post("/people/new/", person_form(reg, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert message in response.content.decode()
    assert counts() == before


def test_unit_may_only_register_its_own_employees(reg: Reg) -> None:
    before = counts()
    response = reg.client(Role.UNIT).post("/people/new/", person_form(reg, employer=reg.orgs["unit_b"].pk))
    assert "只能选择您管辖范围内的单位" in response.content.decode() and counts() == before
    # and the district reviewer registers nobody
    assert reg.client(Role.DISTRICT).post("/people/new/", person_form(reg)).status_code == 403
    assert counts() == before


def test_duplicate_number_within_scope_links_to_the_existing_record(reg: Reg) -> None:
    before = counts()
    a = reg.persons["A"]
    response = reg.client(Role.UNIT).post("/people/new/", person_form(
        reg, id_number=NUMBERS["A"], sex="male", birth_date="1980-01-01"))
    html = response.content.decode()
    assert "该公民身份号码已登记" in html and f'href="/people/{a.pk}/"' in html and "甲工匠" in html
    assert counts() == before


def test_duplicate_number_outside_scope_gets_a_neutral_message_that_reveals_nothing(reg: Reg) -> None:
    before = counts()
    b = reg.persons["B"]  # employed by another unit
    response = reg.client(Role.UNIT).post("/people/new/", person_form(
        reg, id_number=NUMBERS["B"], sex="female", birth_date="1985-06-15"))
    html = response.content.decode()
    assert "该公民身份号码无法在此登记，请核对号码或联系主管部门" in html
    assert "已登记" not in html and "乙技师" not in html and f"/people/{b.pk}/" not in html
    assert "西湖机电" not in html and b.id_mask not in html
    assert counts() == before


def test_edit_changes_allowed_fields_with_audit_and_keeps_identity(reg: Reg) -> None:
    a = reg.persons["A"]
    form = person_form(reg, name="甲工匠", skill_level="senior_technician", title_level="intermediate",
                       title_name="工程师")
    response = reg.client(Role.UNIT).post(f"/people/{a.pk}/edit/", form)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.skill_level == "senior_technician" and a.title_name == "工程师"
    assert a.reveal_id_number() == NUMBERS["A"] and a.birth_date == dt.date(1980, 1, 1)
    event = AuditEvent.objects.filter(action="people.person.update").latest("id")
    assert event.before["skill_level"] == "technician" and event.after["skill_level"] == "senior_technician"


def test_edit_with_errors_changes_nothing(reg: Reg) -> None:
    a = reg.persons["A"]
    before = counts()
    for changes, message in (({"name": ""}, "请填写姓名"), ({"employer": reg.orgs["unit_b"].pk}, "只能选择您管辖范围内的单位"),
                             ({"original_retirement_age": "70"}, "")):
        response = reg.client(Role.UNIT).post(f"/people/{a.pk}/edit/", person_form(reg, **changes))
        assert response.status_code == 200 and message in response.content.decode()
    a.refresh_from_db()
    assert a.name == "甲工匠" and a.employer == reg.orgs["unit_a"] and a.original_retirement_age is None
    assert counts() == before


def test_office_moves_a_person_between_units_in_its_subtree(reg: Reg) -> None:
    b = reg.persons["B"]
    response = reg.client(Role.OFFICE).post(f"/people/{b.pk}/edit/", person_form(
        reg, name="乙技师", employer=reg.orgs["unit_a"].pk))
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.employer == reg.orgs["unit_a"]
    assert reg.get(Role.DISTRICT, f"/people/{b.pk}/").status_code == 200  # now inside 东湖区
    # the Ganzhou park office cannot reach it
    assert reg.get(Role.PARK_OFFICE, f"/people/{b.pk}/edit/").status_code == 404


def honour_form(**changes: Any) -> dict[str, Any]:
    data = {"kind": "model_worker", "level": "city", "title": "", "issuer": "南昌市人民政府",
            "awarded_on": "2020-04-28", "evidence": SimpleUploadedFile("劳模证书.pdf", pdf_bytes())}
    data.update(changes)
    return data


def test_unit_adds_an_honour_with_evidence_that_only_the_scope_can_download(reg: Reg, media: Path) -> None:
    a = reg.persons["A"]
    response = reg.client(Role.UNIT).post(f"/people/{a.pk}/honours/new/", honour_form())
    assert response.status_code == 302
    honour = Honour.objects.get(person=a)
    assert not honour.verified and honour.evidence.name.endswith(".pdf") and "劳模证书" not in honour.evidence.name
    assert AuditEvent.objects.filter(action="people.honour.add", object_id=str(honour.pk)).exists()
    url = f"/people/{a.pk}/honours/{honour.pk}/evidence/"
    for role in (Role.UNIT, Role.OFFICE, Role.DISTRICT):
        download = reg.get(role, url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
        assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    for role in (Role.PARK_OFFICE, Role.INDIVIDUAL, Role.TRAINEE):
        assert reg.get(role, url).status_code == 404, role
    for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.EXPERT):
        assert reg.get(role, url).status_code == 403, role


def test_png_evidence_is_accepted(reg: Reg, media: Path) -> None:
    a = reg.persons["A"]
    response = reg.client(Role.OFFICE).post(f"/people/{a.pk}/honours/new/", honour_form(
        evidence=SimpleUploadedFile("scan.png", png_bytes())))
    assert response.status_code == 302 and Honour.objects.get(person=a).evidence.name.endswith(".png")


@pytest.mark.parametrize(("changes", "message"), [
    ({"evidence": SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf")}, "文件内容不是可接受的格式"),
    ({"evidence": SimpleUploadedFile("证书.pdf", png_bytes())}, "与文件实际内容（PNG）不符"),
    ({"evidence": SimpleUploadedFile("证书.docx", b"PK\x03\x04")}, ""),
    ({"level": ""}, "劳动模范、五一劳动奖章须注明级别"),
    ({"kind": "other", "level": ""}, "类别为“其他”时须填写荣誉名称"),
    ({"awarded_on": "2999-01-01"}, "授予日期不能晚于今天"),
    ({"awarded_on": ""}, "请填写授予日期"),
])
def test_bad_honours_are_refused_in_chinese_and_nothing_is_stored(reg: Reg, media: Path, changes: dict[str, Any],
                                                                   message: str) -> None:
    a = reg.persons["A"]
    before = counts()
    response = reg.client(Role.UNIT).post(f"/people/{a.pk}/honours/new/", honour_form(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert response.context["form"].errors
    assert counts() == before
    assert not [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else True


def test_docx_evidence_is_refused_for_honours(reg: Reg, media: Path) -> None:
    from fixtures_apps import docx_bytes

    a = reg.persons["A"]
    response = reg.client(Role.UNIT).post(f"/people/{a.pk}/honours/new/", honour_form(
        evidence=SimpleUploadedFile("证书.docx", docx_bytes())))
    assert "荣誉证明材料只接受 PDF、JPEG、PNG" in response.content.decode()
    assert not Honour.objects.exists()


def test_oversized_evidence_is_refused(reg: Reg, media: Path, settings: Any) -> None:
    settings.JIANGXIN_UPLOAD_MAX_BYTES = 20
    a = reg.persons["A"]
    response = reg.client(Role.UNIT).post(f"/people/{a.pk}/honours/new/", honour_form())
    assert "文件过大" in response.content.decode() and not Honour.objects.exists()


def test_only_office_staff_in_scope_verify_honours(reg: Reg) -> None:
    from jiangxin.platform.people.services import add_honour

    a = reg.persons["A"]
    honour = add_honour(a, kind=HonourKind.GANPO_CRAFTSMAN, awarded_on=dt.date(2021, 5, 1))
    url = f"/people/{a.pk}/honours/{honour.pk}/verify/"
    for role in (Role.UNIT, Role.DISTRICT, Role.INDIVIDUAL, Role.SYSTEM_ADMIN, Role.EXPERT):
        assert reg.client(role).post(url, {"verified": "1"}).status_code == 403, role
    assert reg.client(Role.PARK_OFFICE).post(url, {"verified": "1"}).status_code == 404  # other jurisdiction
    assert reg.get(Role.OFFICE, url).status_code == 405
    honour.refresh_from_db()
    assert not honour.verified
    assert reg.client(Role.OFFICE).post(url, {"verified": "1"}).status_code == 302
    honour.refresh_from_db()
    assert honour.verified and honour.verified_by == reg.users[Role.OFFICE] and honour.verified_at
    assert AuditEvent.objects.filter(action="people.honour.verify", object_id=str(honour.pk)).count() == 1
    html = reg.get(Role.DISTRICT, f"/people/{a.pk}/").content.decode()
    assert "已核实" in html
    reg.client(Role.OFFICE).post(url, {"verified": "0"})
    honour.refresh_from_db()
    assert not honour.verified and honour.verified_by is None


def ban_form(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {"subject": "person", "id_number": NUMBERS["B"], "program": "nanchang_studio",
            "reason": "申报材料弄虚作假", "citation_label": "nanchang_studio:revoke_fraud",
            "start": today.isoformat(), "end": (today + dt.timedelta(days=3 * 365)).isoformat(),
            "decision_reference": "洪工发〔2025〕12号"}
    data.update(changes)
    return data


def test_program_choices_come_from_the_policy_registry(reg: Reg) -> None:
    from jiangxin.policy.registry import PROGRAMS

    form = reg.get(Role.OFFICE, "/people/bans/new/").context["form"]
    keys = [k for k, _ in form.fields["program"].choices]
    assert keys[0] == "all" and set(keys[1:]) == set(PROGRAMS) and len(PROGRAMS) == 5


def test_office_imposes_a_ban_on_a_person_found_by_number(reg: Reg) -> None:
    b = reg.persons["B"]
    response = reg.client(Role.OFFICE).post("/people/bans/new/", ban_form())
    assert response.status_code == 302 and response["Location"] == f"/people/{b.pk}/"
    ban = Ban.objects.get(person=b)
    assert ban.program == "nanchang_studio" and ban.decision_reference == "洪工发〔2025〕12号" and ban.end
    assert AuditEvent.objects.filter(action="people.ban.impose", object_id=str(ban.pk)).exists()
    listing = reg.get(Role.OFFICE, "/people/bans/").content.decode()
    assert "乙技师" in listing and "南昌创新工作室办法 第十五条" in listing and NUMBERS["B"] not in listing
    assert "生效中" in listing


def test_permanent_ban_on_an_organisation_shows_on_the_org_page(reg: Reg) -> None:
    unit = reg.orgs["unit_a"]
    response = reg.client(Role.OFFICE).post("/people/bans/new/", ban_form(
        subject="organisation", id_number="", organisation=unit.pk, end="", permanent="on"))
    assert response.status_code == 302
    ban = Ban.objects.get(organisation=unit)
    assert ban.end is None and ban.person is None
    html = reg.get(Role.DISTRICT, f"/orgs/{unit.pk}/").content.decode()
    assert "洪工发〔2025〕12号" in html and "永久" in html and "南昌市示范性创新工作室" in html
    # and on the detail page of its employees, marked as a ban on the employer
    person_page = reg.get(Role.DISTRICT, f"/people/{reg.persons['A'].pk}/").content.decode()
    assert "洪工发〔2025〕12号" in person_page and "（工作单位）" in person_page


def test_ban_from_the_person_page_needs_no_number(reg: Reg) -> None:
    a = reg.persons["A"]
    page = reg.get(Role.OFFICE, f"/people/bans/new/?person={a.pk}")
    assert page.status_code == 200 and "甲工匠" in page.content.decode()
    response = reg.client(Role.OFFICE).post(f"/people/bans/new/?person={a.pk}", ban_form(
        id_number="", person=a.pk))
    assert response.status_code == 302 and Ban.objects.get().person == a
    assert reg.get(Role.PARK_OFFICE, f"/people/bans/new/?person={a.pk}").status_code == 404


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"permanent": "on"}, "end", "已选择永久禁止申报，截止日期须留空"),
    ({"end": ""}, "end", "请填写截止日期，或选择永久禁止申报"),
    ({"end": "2000-01-01"}, "end", "截止日期不能早于起始日期"),
    ({"id_number": ""}, "id_number", "请填写人员的公民身份号码"),
    ({"id_number": UNKNOWN}, "id_number", "在您的管辖范围内未找到该公民身份号码对应的人员"),
    ({"citation_label": ""}, "citation_label", "请填写依据条款"),
    ({"citation_label": "领导意见"}, "citation_label", "不是项目办法规定禁止申报的条款"),
    ({"program": "all"}, "program", "不适用于该项目"),
    ({"decision_reference": ""}, "decision_reference", "请填写决定文号"),
    ({"subject": "organisation", "organisation": ""}, "organisation", "请选择组织"),
    ({"program": "nowhere"}, "program", ""),
])
def test_bad_bans_are_refused_in_chinese_and_nothing_is_stored(reg: Reg, changes: dict[str, Any], field: str,
                                                                message: str) -> None:
    before = counts()
    response = reg.client(Role.OFFICE).post("/people/bans/new/", ban_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert counts() == before


def test_ban_on_a_person_outside_scope_is_refused_like_an_unknown_number(reg: Reg) -> None:
    client = reg.client(Role.PARK_OFFICE)  # Ganzhou; B is employed in Nanchang
    outside = client.post("/people/bans/new/", ban_form()).context["form"].errors["id_number"]
    unknown = client.post("/people/bans/new/", ban_form(id_number=UNKNOWN)).context["form"].errors["id_number"]
    assert outside == unknown
    other_org = client.post("/people/bans/new/", ban_form(subject="organisation", organisation=reg.orgs["unit_a"].pk))
    assert "只能选择您管辖范围内的组织" in other_org.content.decode()
    assert not Ban.objects.exists()


def test_ban_list_shows_active_bans_in_scope_and_expired_on_request(reg: Reg) -> None:
    from jiangxin.platform.people.services import impose_ban

    today = timezone.localdate()
    impose_ban(person=reg.persons["A"], program="all", reason="r", citation_label="现行第一条", start=today)
    impose_ban(person=reg.persons["B"], program="all", reason="r", citation_label="过期第二条",
               start=dt.date(2010, 1, 1), end=dt.date(2012, 1, 1))
    impose_ban(person=reg.persons["GZ"], program="ganzhou_craftsman", reason="r", citation_label="赣州第三条",
               start=today)
    active = reg.get(Role.OFFICE, "/people/bans/").content.decode()
    assert "现行第一条" in active and "过期第二条" not in active and "赣州第三条" not in active
    everything = reg.get(Role.OFFICE, "/people/bans/?show=all").content.decode()
    assert "现行第一条" in everything and "过期第二条" in everything and "已期满" in everything
    assert "赣州第三条" not in everything
    assert "赣州第三条" in reg.get(Role.PARK_OFFICE, "/people/bans/").content.decode()
