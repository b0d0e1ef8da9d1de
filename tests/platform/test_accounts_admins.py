"""Three separated administrators: system admin manages users, security admin the login log and locks,
audit admin the audit log — and none of them can do the others' work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SYSADMIN_URLS = ["accounts:user_list", "accounts:user_create"]
SECADMIN_URLS = ["accounts:login_log", "accounts:locked_accounts", "accounts:security_policy"]


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_user_administration_is_for_the_system_admin_only(role, users, client_for):
    client = client_for(users[role])
    for name in SYSADMIN_URLS:
        status = client.get(reverse(name)).status_code
        assert status == (200 if role == Role.SYSTEM_ADMIN else 403), (role, name)


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_security_pages_are_for_the_security_admin_only(role, users, client_for):
    client = client_for(users[role])
    for name in SECADMIN_URLS:
        status = client.get(reverse(name)).status_code
        assert status == (200 if role == Role.SECURITY_ADMIN else 403), (role, name)


def test_system_admin_creates_a_user_with_a_temporary_password(users, client_for, org_tree, client):
    admin = client_for(users["sysadmin"])
    response = admin.post(reverse("accounts:user_create"), {
        "username": "reviewer9", "display_name": "刘审核", "role": Role.DISTRICT,
        "organisation": org_tree["xihu"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    created = User.objects.get(username="reviewer9")
    assert created.must_change_password and not created.is_superuser and not created.is_staff
    assert created.organisation == org_tree["xihu"] and created.role == Role.DISTRICT
    import re
    temporary = re.search(r'id="temporary-password">([^<]+)<', html).group(1)
    import html as htmllib
    temporary = htmllib.unescape(temporary)
    assert created.check_password(temporary)
    assert AuditEvent.objects.filter(action="accounts.user.create", object_id=str(created.pk)).exists()
    # first sign-in must change the password
    r = client.post(reverse("accounts:login"), {"username": "reviewer9", "password": temporary})
    assert r["Location"] == reverse("accounts:password_change")


def test_create_user_form_errors_in_chinese_and_nothing_saved(users, client_for):
    admin = client_for(users["sysadmin"])
    before = User.objects.count()
    html = admin.post(reverse("accounts:user_create"), {"username": "office", "role": Role.UNIT}).content.decode()
    assert "该用户名已被使用" in html
    assert "该角色须指定所属组织" in html
    assert User.objects.count() == before


def test_system_admin_cannot_create_or_touch_administrators(users, client_for):
    admin = client_for(users["sysadmin"])
    html = admin.post(reverse("accounts:user_create"), {"username": "evil", "role": Role.AUDIT_ADMIN}).content.decode()
    assert not User.objects.filter(username="evil").exists()
    assert "选择一个有效的选项" in html or "有效" in html
    for role in ADMIN_ROLES:
        target = users[str(role)]
        assert admin.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 404
        assert admin.post(reverse("accounts:user_reset_password", args=[target.pk])).status_code == 404
    listing = admin.get(reverse("accounts:user_list")).content.decode()
    assert ">auditadmin</a>" not in listing and ">secadmin</a>" not in listing and ">unit</a>" in listing


def test_system_admin_deactivates_and_resets_password(users, client_for, client):
    admin = client_for(users["sysadmin"])
    target = users["unit"]
    admin.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    admin.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    target.email = "unit@example.org"
    target.save(update_fields=["email"])
    html = admin.post(reverse("accounts:user_reset_password", args=[target.pk])).content.decode()
    target.refresh_from_db()
    assert target.must_change_password
    assert not target.has_usable_password()
    actions = set(AuditEvent.objects.filter(object_id=str(target.pk)).values_list("action", flat=True))
    assert {"accounts.user.deactivate", "accounts.user.activate", "accounts.user.password_reset"} <= actions
    assert "重置码" in html and "u***@example.org" in html


def test_system_admin_edits_role_and_org(users, client_for, org_tree):
    admin = client_for(users["sysadmin"])
    target = users["district"]
    admin.post(reverse("accounts:user_detail", args=[target.pk]),
               {"display_name": "改名", "email": "", "role": Role.DISTRICT, "organisation": org_tree["xihu"].pk})
    target.refresh_from_db()
    assert target.organisation == org_tree["xihu"] and target.display_name == "改名"
    event = AuditEvent.objects.filter(action="accounts.user.update").get()
    assert event.before["organisation_id"] == org_tree["donghu"].pk
    assert event.after["organisation_id"] == org_tree["xihu"].pk


def test_user_list_live_filter_returns_rows_only(users, client_for):
    admin = client_for(users["sysadmin"])
    response = admin.get(reverse("accounts:user_list"), {"q": "district"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "district" in html and ">unit<" not in html


def test_security_admin_sees_login_log_and_unlocks(users, client_for, client, make_user):
    locked = make_user(Role.UNIT, username="lockme", failed_logins=5,
                       locked_until=timezone.now() + timezone.timedelta(minutes=20))
    client.post(reverse("accounts:login"), {"username": "lockme", "password": "x"})
    sec = client_for(users["secadmin"])
    log = sec.get(reverse("accounts:login_log"), {"username": "lockme"}).content.decode()
    assert "lockme" in log and "账号锁定期间尝试登录" in log
    assert "lockme" in sec.get(reverse("accounts:locked_accounts")).content.decode()
    sec.post(reverse("accounts:unlock_account", args=[locked.pk]))
    locked.refresh_from_db()
    assert not locked.is_locked and locked.failed_logins == 0
    assert AuditEvent.objects.filter(action="accounts.user.unlock", object_id=str(locked.pk)).exists()
    assert LoginEvent.objects.filter(username="lockme").count() == 1


def test_security_policy_page_shows_lockout_and_password_rules(users, client_for):
    html = client_for(users["secadmin"]).get(reverse("accounts:security_policy")).content.decode()
    assert "5 次" in html and "30 分钟" in html and "PasswordHasher" in html


def test_create_admins_command_makes_three_non_superusers_idempotently():
    out = io.StringIO()
    call_command("create_admins", stdout=out)
    call_command("create_admins", stdout=out)
    admins = User.objects.filter(role__in=ADMIN_ROLES)
    assert sorted(admins.values_list("role", flat=True)) == sorted(str(r) for r in ADMIN_ROLES)
    assert not admins.filter(is_superuser=True).exists()
    assert all(a.must_change_password for a in admins)
    assert "already exists" in out.getvalue()
    assert not User.objects.filter(is_superuser=True).exists()
