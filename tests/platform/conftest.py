"""Shared fixtures for platform tests.

- ``org_tree``: a small tree (Nanchang authority → two district unions → one member unit each; Ganzhou
  authority) as a dict of name → Organisation.
- ``make_user(role, org=None, username=None, password=PASSWORD, **fields)``: a user who need not change
  the password.
- ``users``: one user per role (dict keyed by Role value), staff acting for the 东湖区 district union,
  office staff for the authority, units for their member unit.
- ``client_for(user)``: a Django test client signed in as ``user`` (with a confirmed authenticator and a
  second-factor-verified session when the user's role requires one — the three administrators).
- ``resident_id(first17)``: completes a resident ID number with its check digit; ``register(...)`` registers
  a person through the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from stdnum.cn import ric

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

PASSWORD = "Correct-Horse-42"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.force_login`` (used by every helper that signs a test client in) also completes the second
    factor for users who need one — the three administrators — with a confirmed test device. Tests of the
    second factor itself sign in through the login page instead."""
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: Any, tmp_path_factory: Any) -> None:
    """Each test's audit checkpoints in a folder of its own (a stored checkpoint names rows of one database)."""
    settings.JIANGXIN_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


def resident_id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.fixture
def resident_id() -> Callable[[str], str]:
    return resident_id_number


@pytest.fixture
def org_tree(db: None) -> dict[str, Organisation]:
    def org(name: str, level: str, category: str, parent: Organisation | None = None,
            jurisdiction: str = Jurisdiction.NANCHANG) -> Organisation:
        o = Organisation(name=name, level=level, category=category, jurisdiction=jurisdiction, parent=parent)
        o.save()
        return o

    nc = org("南昌市总工会", Level.AUTHORITY, Category.UNION)
    donghu = org("东湖区总工会", Level.DISTRICT, Category.UNION, nc)
    xihu = org("西湖区总工会", Level.DISTRICT, Category.UNION, nc)
    unit_a = org("东湖精工有限公司", Level.MEMBER, Category.ENTERPRISE, donghu)
    unit_b = org("西湖机电有限公司", Level.MEMBER, Category.ENTERPRISE, xihu)
    gz = org("赣州市人力资源和社会保障局", Level.AUTHORITY, Category.HR_BUREAU, jurisdiction=Jurisdiction.GANZHOU)
    return {"nanchang": nc, "donghu": donghu, "xihu": xihu, "unit_a": unit_a, "unit_b": unit_b, "ganzhou": gz}


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: str, org: Organisation | None = None, username: str | None = None,
             password: str = PASSWORD, **fields: Any) -> User:
        counter["n"] += 1
        user = User(username=username or f"{role}{counter['n']}", role=role, organisation=org,
                    must_change_password=fields.pop("must_change_password", False), **fields)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def users(org_tree: dict[str, Organisation], make_user: Callable[..., User]) -> dict[str, User]:
    t = org_tree
    where = {Role.OFFICE: t["nanchang"], Role.DISTRICT: t["donghu"], Role.EXPERT: None, Role.UNIT: t["unit_a"],
             Role.INDIVIDUAL: None, Role.TRAINING_UNIT: t["unit_a"], Role.TRAINEE: None,
             Role.PARK_OFFICE: t["ganzhou"], Role.FINANCE: t["nanchang"], Role.SYSTEM_ADMIN: None,
             Role.SECURITY_ADMIN: None, Role.AUDIT_ADMIN: None}
    return {str(role): make_user(role, where[role], username=str(role)) for role in Role}


def verify_second_factor(client: Client, user: User) -> None:
    """Give ``user`` a confirmed TOTP device (if needed) and mark the client's session as verified with it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jiangxin.platform.accounts import otp

    if not otp.needs_verification(user):
        return
    device = otp.confirmed_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)  # also completes the second factor (see _force_login_with_second_factor)
        return client

    return make


@pytest.fixture
def register(db: None) -> Callable[..., Any]:
    from jiangxin.platform.people.services import register_person

    def make(name: str = "王芳", first17: str = "36010219800101002", **kwargs: Any) -> Any:
        return register_person(name=name, id_number=resident_id_number(first17), **kwargs)

    return make


