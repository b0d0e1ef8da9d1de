"""Demo commands: load_programs, load_demo (deterministic, idempotent, valid identities), demo_logins."""

from __future__ import annotations

import io
import random
from typing import Any

import fixtures_apps
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application, Evidence
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.core.demo_fixtures import credit_code, resident_id
from jiangxin.platform.demo.data import DEMO_PASSWORD, LOGINS
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.people.models import Person
from jiangxin.platform.rounds.models import Program, Round
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.identity import parse_resident_id, validate_credit_code

pytestmark = pytest.mark.django_db
media = fixtures_apps.media


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_programs_is_idempotent() -> None:
    assert "新建 5 个" in _run("load_programs")
    assert "新建 0 个，更新 0 个" in _run("load_programs")
    assert Program.objects.count() == 5


def test_load_demo_twice_adds_nothing_and_covers_every_role_and_stage(media: Any) -> None:
    _run("load_programs")
    _run("load_demo")
    counts = [m.objects.count() for m in (User, Organisation, Person, Round, Application, Evidence, AuditEvent)]
    assert "已存在" in _run("load_demo")
    assert [m.objects.count() for m in (User, Organisation, Person, Round, Application, Evidence, AuditEvent)] == counts
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert {"draft", "submitted", "returned", "withdrawn", "recommended"} <= set(
        Application.objects.values_list("status", flat=True))
    assert set(Round.objects.values_list("program__key", flat=True)) == set(Program.objects.values_list("key", flat=True))
    assert all(u.check_password(DEMO_PASSWORD) and not u.must_change_password
               for u in User.objects.filter(username__startswith="demo_"))
    assert verify_chain() == (True, None)
    for org in Organisation.objects.exclude(credit_code=None):
        assert validate_credit_code(org.credit_code) == org.credit_code
    regions = {p.reveal_id_number()[:4] for p in Person.objects.all()}
    assert regions & {"3601", "3607", "3211"} == {"3601", "3607", "3211"}


def test_demo_identities_are_valid_and_a_corrupted_one_is_refused() -> None:
    rng = random.Random(20261123)
    code = credit_code(rng, "360100")
    number = resident_id(rng, "360102", __import__("datetime").date(1980, 1, 2), "male")
    assert parse_resident_id(number).sex == "male"
    with pytest.raises(PolicyError):
        validate_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    with pytest.raises(PolicyError):
        parse_resident_id(number[:-1] + ("0" if number[-1] != "0" else "1"))
    org = Organisation(name="坏代码公司", level="member", category="enterprise", jurisdiction="nanchang",
                       credit_code=code[:-1] + ("0" if code[-1] != "0" else "1"))
    with pytest.raises(ValidationError) as exc:
        org.clean()
    assert "credit_code" in exc.value.message_dict


def test_demo_logins_prints_a_row_per_role(media: Any) -> None:
    assert "load_demo" in _run("demo_logins")
    _run("load_programs")
    _run("load_demo")
    text = _run("demo_logins")
    assert "demo_office_nc" in text and "demo_auditadmin" in text and DEMO_PASSWORD in text
    assert text.count(DEMO_PASSWORD) == len(LOGINS)  # every listed demo account exists after load_demo


def test_demo_administrators_sign_in_with_the_printed_one_time_code(media: Any, settings: Any) -> None:
    """Branch sec-auth: the three demo administrators have an authenticator; `demo_otp` prints its current code
    (demo only), and that code completes the second factor on the real sign-in pages."""
    from django.test import Client
    from django.urls import reverse

    _run("load_programs")
    _run("load_demo")
    text = _run("demo_logins")
    assert "demo_otp" in text and text.count("（30 秒内有效）") == 3
    settings.DEBUG = True  # `make demo` runs with DEBUG on; the command refuses otherwise
    code = _run("demo_otp", "demo_secadmin").strip()
    assert code.isdigit() and len(code) == 6
    client = Client()
    client.post(reverse("accounts:login"), {"username": "demo_secadmin", "password": DEMO_PASSWORD})
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("accounts:login_log")).status_code == 200
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _run("demo_otp", "someone_else")
    settings.DEBUG = False
    with pytest.raises(CommandError):
        _run("demo_otp", "demo_secadmin")
