"""rehash_ids: after rotating JIANGXIN_FIELD_KEY, lookups work again; one transaction, one audit record."""

from __future__ import annotations

import io
from typing import Any

import fixtures_people
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from fixtures_people import NUMBERS, Reg

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.people.models import Person
from jiangxin.platform.people.services import find_person_by_id_number

pytestmark = pytest.mark.django_db
media = fixtures_people.media

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@pytest.fixture
def old_key(settings: Any) -> Any:
    settings.JIANGXIN_FIELD_KEY = OLD
    return settings


@pytest.fixture
def reg(old_key: Any, users: Any, org_tree: Any, media: Any) -> Reg:
    return fixtures_people.build_reg(users, org_tree)


def hashes() -> dict[int, tuple[str, str]]:
    return dict((pk, (h, c)) for pk, h, c in Person.objects.values_list("pk", "id_hash", "id_cipher"))


def test_rotation_breaks_lookups_until_rehash_ids_restores_them(reg: Reg, settings: Any) -> None:
    assert find_person_by_id_number(NUMBERS["A"]) == reg.persons["A"]
    settings.JIANGXIN_FIELD_KEY = f"{NEW},{OLD}"  # new key first; the old one still decrypts
    assert find_person_by_id_number(NUMBERS["A"]) is None
    events = AuditEvent.objects.count()
    call_command("rehash_ids", stdout=(out := io.StringIO()))
    assert "共 4 人，已更新 4 人" in out.getvalue()
    for key, person in reg.persons.items():
        assert find_person_by_id_number(NUMBERS[key]) == person
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "people.person.rehash_ids" and event.after == {"total": 4, "changed": 4,
                                                                          "reencrypted": False}
    assert verify_chain() == (True, None)
    # the page lookup works again, still inside the scope only
    html = reg.client(Role.OFFICE).post("/people/", {"id_number": NUMBERS["B"]}).content.decode()
    assert "乙技师" in html
    assert "乙技师" not in reg.client(Role.DISTRICT).post("/people/", {"id_number": NUMBERS["B"]}).content.decode()
    # a second run finds nothing to do
    call_command("rehash_ids", stdout=(out := io.StringIO()))
    assert "已更新 0 人" in out.getvalue()


def test_reencrypt_lets_the_old_key_be_retired(reg: Reg, settings: Any) -> None:
    settings.JIANGXIN_FIELD_KEY = f"{NEW},{OLD}"
    call_command("rehash_ids", "--reencrypt", stdout=io.StringIO())
    settings.JIANGXIN_FIELD_KEY = NEW
    a = Person.objects.get(pk=reg.persons["A"].pk)
    assert a.reveal_id_number() == NUMBERS["A"] and find_person_by_id_number(NUMBERS["A"]) == a


def test_dry_run_changes_nothing(reg: Reg, settings: Any) -> None:
    settings.JIANGXIN_FIELD_KEY = f"{NEW},{OLD}"
    before, events = hashes(), AuditEvent.objects.count()
    call_command("rehash_ids", "--dry-run", stdout=(out := io.StringIO()))
    assert "需更新 4 人" in out.getvalue()
    assert hashes() == before and AuditEvent.objects.count() == events


def test_a_key_that_cannot_decrypt_rolls_everything_back(reg: Reg, settings: Any) -> None:
    settings.JIANGXIN_FIELD_KEY = NEW  # the old key dropped too early
    before, events = hashes(), AuditEvent.objects.count()
    with pytest.raises(CommandError, match="无法用当前密钥解密"):
        call_command("rehash_ids", stdout=io.StringIO())
    assert hashes() == before and AuditEvent.objects.count() == events
