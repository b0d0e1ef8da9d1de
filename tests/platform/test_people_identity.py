"""Persons: ID numbers encrypted at rest, looked up by keyed hash, masked everywhere, validated on entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.people.crypto import FernetCipher, get_cipher, id_hash
from jiangxin.platform.people.levels import SkillLevel, skill_at_least
from jiangxin.platform.people.models import Ban, BanProgram, Honour, HonourKind, HonourLevel, Person
from jiangxin.platform.people.services import (
    active_bans,
    add_honour,
    find_person_by_id_number,
    impose_ban,
    register_person,
)

pytestmark = pytest.mark.django_db


def test_register_derives_birth_and_sex_and_stores_no_plain_number(resident_id):
    number = resident_id("36010219850615351")  # odd 17th digit → male
    person = register_person(name="陈刚", id_number=number, skill_level=SkillLevel.TECHNICIAN)
    assert person.sex == "male" and person.birth_date == dt.date(1985, 6, 15)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert number not in raw and number[6:14] + number[14:] not in raw
    assert person.id_masked == number[:6] + "********" + number[-4:]
    assert person.id_masked in raw  # the masked form is stored for listings
    assert person.reveal_id_number() == number


def test_same_number_encrypts_differently_each_time():
    cipher = FernetCipher()
    assert cipher.encrypt("x") != cipher.encrypt("x")
    assert cipher.decrypt(cipher.encrypt("360102")) == "360102"


def test_lookup_by_hash_works_with_lower_case_x_and_spaces(resident_id):
    number = resident_id("11010519491231002")
    assert number.endswith("X")
    person = register_person(name="林", id_number=number)
    assert person.id_hash == id_hash(number)
    assert find_person_by_id_number(" " + number.lower()[:6] + " " + number.lower()[6:]) == person
    assert find_person_by_id_number(resident_id("11010519491231004")) is None
    assert find_person_by_id_number("") is None


def test_hash_is_keyed(settings, resident_id):
    number = resident_id("11010519491231002")
    first = id_hash(number)
    settings.SECRET_KEY = "another-secret-key-for-test"
    assert id_hash(number) != first


def test_configured_field_key_is_used(settings):
    from cryptography.fernet import Fernet
    key = Fernet.generate_key().decode()
    settings.JIANGXIN_FIELD_KEY = key
    token = get_cipher().encrypt("abc")
    assert Fernet(key.encode()).decrypt(token.encode()) == b"abc"


def test_invalid_number_is_refused_in_chinese_and_nothing_saved(resident_id):
    good = resident_id("36010219800101002")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(ValidationError) as info:
        register_person(name="错号", id_number=bad)
    assert "公民身份号码校验码错误" in info.value.message_dict["id_number"][0]
    assert "/" not in info.value.message_dict["id_number"][0]
    with pytest.raises(ValidationError) as info:
        register_person(name="短号", id_number="3601021980")
    assert "应为18位" in info.value.message_dict["id_number"][0]
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="people.person.register").exists()


def test_birth_date_and_sex_must_agree_with_the_number(resident_id):
    number = resident_id("36010219800101002")  # even → female, born 1980-01-01
    with pytest.raises(ValidationError) as info:
        register_person(name="甲", id_number=number, sex="male", birth_date=dt.date(1980, 1, 2))
    errors = info.value.message_dict
    assert "性别与公民身份号码不符" in errors["sex"][0]
    assert "出生日期与公民身份号码不符" in errors["birth_date"][0]
    assert Person.objects.count() == 0


def test_duplicate_number_refused(register):
    register()
    with pytest.raises(ValidationError) as info:
        register(name="另一人")
    assert "已登记" in info.value.message_dict["id_number"][0]


def test_registration_is_audited_without_cipher_or_hash(register):
    person = register()
    event = AuditEvent.objects.get(action="people.person.register")
    assert "id_cipher" not in event.after and "id_hash" not in event.after
    assert event.after["id_mask"] == person.id_masked
    assert person.reveal_id_number() not in str(event.after) + event.summary


def test_honour_levels_are_checked(register):
    person = register()
    with pytest.raises(ValidationError) as info:
        add_honour(person, kind=HonourKind.MODEL_WORKER, awarded_on=dt.date(2020, 5, 1))
    assert "须注明级别" in str(info.value)
    with pytest.raises(ValidationError):
        add_honour(person, kind=HonourKind.TALENT_CATALOGUE, level=HonourLevel.PROVINCE, awarded_on=dt.date(2020, 5, 1))
    honour = add_honour(person, kind=HonourKind.MODEL_WORKER, level=HonourLevel.PROVINCE, awarded_on=dt.date(2020, 5, 1))
    assert str(honour).startswith("省级劳动模范")
    add_honour(person, kind=HonourKind.TALENT_CATALOGUE, level=HonourLevel.CLASS_B, awarded_on=dt.date(2021, 1, 1))
    assert Honour.objects.filter(person=person).count() == 2


def test_bans_are_active_within_their_period_and_permanent_without_end(register, org_tree):
    person = register()
    impose_ban(person=person, program="ganzhou_craftsman", reason="材料造假", citation_label="赣州 第二十条",
               start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    impose_ban(organisation=org_tree["unit_a"], program=BanProgram.ALL, reason="骗取资金", citation_label="南昌 第二十四条",
               start=dt.date(2025, 1, 1))
    assert len(active_bans(program="ganzhou_craftsman", on=dt.date(2025, 6, 1), person=person)) == 1
    assert active_bans(program="ganzhou_craftsman", on=dt.date(2027, 1, 1), person=person) == []
    assert active_bans(program="nanchang_studio", on=dt.date(2025, 6, 1), person=person) == []
    assert len(active_bans(program="nanchang_studio", on=dt.date(2099, 1, 1), organisation=org_tree["unit_a"])) == 1
    with pytest.raises(ValidationError):
        impose_ban(program=BanProgram.ALL, reason="无对象", citation_label="x", start=dt.date(2025, 1, 1))
    assert Ban.objects.count() == 2


def test_skill_levels_are_ordered():
    assert skill_at_least(SkillLevel.SENIOR_TECHNICIAN, SkillLevel.TECHNICIAN)
    assert skill_at_least(SkillLevel.TECHNICIAN, SkillLevel.TECHNICIAN)
    assert not skill_at_least(SkillLevel.SENIOR, SkillLevel.TECHNICIAN)
    assert SkillLevel.CHIEF_TECHNICIAN.label == "首席技师"
