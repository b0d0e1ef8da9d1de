"""People services: every change to persons, honours and bans goes through here and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.people.crypto import get_cipher, id_hash, normalise_id_number
from jiangxin.platform.people.levels import Sex
from jiangxin.platform.people.models import Ban, Honour, Person
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.identity import mask_resident_id, parse_resident_id

#: fields never written into audit snapshots (ciphertext and hash stay out of the log)
_SECRET_FIELDS = ("id_cipher", "id_hash")
PERSON_FIELDS = ("employer", "skill_level", "skill_occupation", "title_level", "title_name", "phone",
                 "original_retirement_age", "residence_city", "work_city")


def _chinese_part(exc: Exception) -> str:
    """IdentityError messages are "中文 / English": forms show the Chinese part."""
    return str(exc).split(" / ")[0]


def person_snapshot(person: Person) -> dict[str, Any]:
    return snapshot(person, exclude=_SECRET_FIELDS)


def check_id_number(id_number: str, *, sex: str | None = None, birth_date: dt.date | None = None
                    ) -> tuple[str, str, dt.date]:
    """Validate an ID number (GB 11643) and that the stated sex and birth date agree with it.

    Returns (normalised number, sex, birth date); raises ValidationError keyed by field, in Chinese.
    """
    try:
        parsed = parse_resident_id(id_number)
    except PolicyError as exc:
        raise ValidationError({"id_number": _chinese_part(exc)}) from None
    errors: dict[str, str] = {}
    if sex and sex != parsed.sex:
        errors["sex"] = (f"性别与公民身份号码不符（号码显示为{Sex(parsed.sex).label}）。")
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = (f"出生日期与公民身份号码不符（号码显示为{parsed.birth_date:%Y年%m月%d日}）。")
    if errors:
        raise ValidationError(errors)
    return parsed.number, parsed.sex, parsed.birth_date


def register_person(*, name: str, id_number: str, sex: str | None = None, birth_date: dt.date | None = None,
                    actor: Any = None, **fields: Any) -> Person:
    """Register a person. The ID number is validated, encrypted and hashed; the plain number is not kept.

    ``fields`` may set any of PERSON_FIELDS. Raises ValidationError (Chinese messages, keyed by field):
    invalid number, sex/birth date disagreeing with it, or a number already registered.
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"register_person() got unexpected fields: {sorted(unknown)}")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    number, parsed_sex, parsed_birth = check_id_number(id_number, sex=sex, birth_date=birth_date)
    digest = id_hash(number)
    if Person.objects.filter(id_hash=digest).exists():
        raise ValidationError({"id_number": "该公民身份号码已登记，请直接查找该人员。"})
    person = Person(name=name, sex=parsed_sex, birth_date=parsed_birth, id_cipher=get_cipher().encrypt(number),
                    id_hash=digest, id_mask=mask_resident_id(number), **fields)
    person.full_clean(exclude=["id_cipher", "id_hash", "id_mask"])
    try:
        with transaction.atomic():
            person.save()
            record("people.person.register", person, actor=actor, summary=f"登记人员 {person}",
                   after=person_snapshot(person))
    except IntegrityError:
        raise ValidationError({"id_number": "该公民身份号码已登记，请直接查找该人员。"}) from None
    return person


def find_person_by_id_number(text: str) -> Person | None:
    """Look a person up by ID number through the keyed hash (nothing is decrypted)."""
    if not text or not normalise_id_number(text):
        return None
    return Person.objects.filter(id_hash=id_hash(text)).select_related("employer").first()


def update_person(person: Person, *, actor: Any = None, **changes: Any) -> Person:
    """Change non-identity fields (name, contact, employer, levels). The ID number cannot be edited."""
    allowed = {*PERSON_FIELDS, "name"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_person() cannot change {sorted(unknown)}")
    before = person_snapshot(person)
    for key, value in changes.items():
        setattr(person, key, value)
    person.full_clean(exclude=["id_cipher", "id_hash", "id_mask"])
    with transaction.atomic():
        person.save()
        record("people.person.update", person, actor=actor, summary=f"修改人员信息 {person}",
               before=before, after=person_snapshot(person))
    return person


def add_honour(person: Person, *, kind: str, awarded_on: dt.date, level: str = "", title: str = "",
               issuer: str = "", evidence: Any = None, actor: Any = None) -> Honour:
    honour = Honour(person=person, kind=kind, level=level, title=title, issuer=issuer, awarded_on=awarded_on)
    if evidence is not None:
        honour.evidence = evidence
    honour.full_clean()
    with transaction.atomic():
        honour.save()
        record("people.honour.add", honour, actor=actor, summary=f"{person.name} 登记荣誉 {honour}",
               after=snapshot(honour))
    return honour


def verify_honour(honour: Honour, *, actor: Any, verified: bool = True) -> Honour:
    before = snapshot(honour)
    honour.verified = verified
    honour.verified_by = actor if verified else None
    honour.verified_at = timezone.now() if verified else None
    with transaction.atomic():
        honour.save(update_fields=["verified", "verified_by", "verified_at"])
        record("people.honour.verify", honour, actor=actor,
               summary=f"{'核实' if verified else '撤销核实'}荣誉 {honour}", before=before, after=snapshot(honour))
    return honour


# roles: those of the calling action (a sanction ground, the yearly run, a cultivation incident — which a
# training unit or a city lead may record —, the office's ban form); each checks its own authority
@transition("people.impose_ban", title=_("登记禁止申报"), record="people.Ban", field="program", target="",
            roles=(),
            guard="policy.sanctions.decide（处分情形附带的禁止申报）；policy.funding（撤销后不得再申报）",
            citation="南昌工匠学院办法 第二十六条；南昌创新工作室办法 第十五条；赣州工匠办法 第十二条；江苏卓越技师办法 第二十一条",
            audit=False)
def impose_ban(*, program: str, reason: str, citation_label: str, start: dt.date, end: dt.date | None = None,
               person: Person | None = None, organisation: Any = None, decision_reference: str = "",
               actor: Any = None) -> Ban:
    """Record a 禁止申报 period (end None = permanent)."""
    ban = Ban(person=person, organisation=organisation, program=program, reason=reason,
              citation_label=citation_label, start=start, end=end, decision_reference=decision_reference)
    ban.full_clean()
    with transaction.atomic():
        ban.save()
        record("people.ban.impose", ban, actor=actor, summary=f"禁止申报 {ban}", after=snapshot(ban))
    return ban


def active_bans(*, program: str, on: dt.date, person: Person | None = None, organisation: Any = None
                ) -> list[Ban]:
    """Bans in force on ``on`` for ``program`` (or for all programs) against the person or organisation."""
    qs = Ban.objects.active_on(on).for_program(program)
    if person is not None and organisation is not None:
        from django.db.models import Q
        qs = qs.filter(Q(person=person) | Q(organisation=organisation))
    elif person is not None:
        qs = qs.filter(person=person)
    elif organisation is not None:
        qs = qs.filter(organisation=organisation)
    else:
        return []
    return list(qs)
