"""Fixtures for the people registry page tests (test_people_pages*.py).

``reg``: the shared org tree and users plus four persons —
  A   employed by 东湖精工 (member unit of the 东湖区 district),
  B   employed by 西湖机电 (member unit of the 西湖区 district),
  GZ  employed by the Ganzhou authority (another jurisdiction),
  SELF employed by 西湖机电 and linked to the ``individual`` user.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.test import Client
from stdnum.cn import ric

from jiangxin.platform.accounts.models import User
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.people.levels import SkillLevel
from jiangxin.platform.people.models import Person
from jiangxin.platform.people.services import register_person


def resident_id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


NUMBERS = {
    "A": resident_id_number("36010219800101003"),     # male, 1980-01-01
    "B": resident_id_number("36010319850615004"),     # female, 1985-06-15
    "GZ": resident_id_number("36070219751120005"),    # male, 1975-11-20
    "SELF": resident_id_number("36010419900202006"),  # female, 1990-02-02
}
#: a valid number nobody is registered under
UNKNOWN = resident_id_number("36010519880808007")


@dataclasses.dataclass
class Reg:
    orgs: dict[str, Organisation]
    users: dict[str, User]
    persons: dict[str, Person]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def get(self, role: str, url: str, **kwargs: Any) -> Any:
        return self.client(role).get(url, **kwargs)


def pdf_bytes() -> bytes:
    return demo_pdf("test")


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reg(users: dict[str, User], org_tree: dict[str, Organisation], media: Any) -> Reg:
    return build_reg(users, org_tree)


def build_reg(users: dict[str, User], org_tree: dict[str, Organisation]) -> Reg:
    t = org_tree
    persons = {
        "A": register_person(name="甲工匠", id_number=NUMBERS["A"], employer=t["unit_a"],
                             skill_level=SkillLevel.TECHNICIAN),
        "B": register_person(name="乙技师", id_number=NUMBERS["B"], employer=t["unit_b"],
                             skill_level=SkillLevel.SENIOR_TECHNICIAN),
        "GZ": register_person(name="丙大师", id_number=NUMBERS["GZ"], employer=t["ganzhou"],
                              skill_level=SkillLevel.SENIOR),
        "SELF": register_person(name="丁本人", id_number=NUMBERS["SELF"], employer=t["unit_b"]),
    }
    users["individual"].person = persons["SELF"]
    users["individual"].save()
    return Reg(orgs=t, users=users, persons=persons)

