"""Landing page, profile, error pages, base layout, navigation per role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from jiangxin.platform.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_every_role_lands_on_my_tasks_showing_user_role_and_org(role, users, client_for):
    user = users[role]
    response = client_for(user).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的待办" in html
    assert user.username in html
    assert str(user.get_role_display()) in html
    if user.organisation:
        assert user.organisation.name in html
    assert "无操作 30 分钟后将自动退出登录" in html


def test_security_admin_sees_locked_account_task(users, client_for, make_user):
    from django.utils import timezone
    make_user(Role.UNIT, users["unit"].organisation, locked_until=timezone.now() + timezone.timedelta(minutes=5))
    html = client_for(users["secadmin"]).get("/").content.decode()
    assert "当前锁定的账号" in html
    assert reverse("accounts:locked_accounts") in html


def test_navigation_is_per_role(users, client_for):
    audit_url = reverse("audit:list")
    users_url = reverse("accounts:user_list")
    assert audit_url in client_for(users["auditadmin"]).get("/").content.decode()
    for role in ("sysadmin", "secadmin", "office", "district", "unit"):
        assert audit_url not in client_for(users[role]).get("/").content.decode()
    assert users_url in client_for(users["sysadmin"]).get("/").content.decode()
    assert users_url not in client_for(users["office"]).get("/").content.decode()


def test_profile_shows_masked_id_and_only_the_person_can_reveal_it(users, client_for, register):
    person = register()
    number = person.reveal_id_number()
    individual = users["individual"]
    individual.person = person
    individual.save()
    client = client_for(individual)
    html = client.get(reverse("core:profile")).content.decode()
    assert person.id_masked in html
    assert number not in html
    response = client.post(reverse("core:reveal_own_id"))
    assert response.status_code == 302
    assert number in client.get(reverse("core:profile")).content.decode()
    # shown once only
    assert number not in client.get(reverse("core:profile")).content.decode()
    from jiangxin.platform.audit.models import AuditEvent
    assert AuditEvent.objects.filter(action="people.person.reveal_own_id", object_id=str(person.pk)).exists()


def test_profile_without_person_says_so(users, client_for):
    html = client_for(users["office"]).get(reverse("core:profile")).content.decode()
    assert "未关联人员档案" in html


def test_404_and_403_pages_are_chinese(users, client_for, settings):
    settings.DEBUG = False
    client = client_for(users["office"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_language_switch_to_english(users, client_for):
    client = client_for(users["office"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "My tasks" in html


def test_no_external_urls_in_my_templates_and_static():
    root = Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "platform"
    pattern = re.compile(r"https?://")
    for app in ("core", "accounts", "orgs", "audit", "people"):
        for path in (root / app).rglob("*"):
            if path.suffix in {".html", ".css", ".js", ".py"}:
                assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_idle_session_setting_is_thirty_minutes_renewed_with_activity(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # renewed by core.sessions.IdleSessionMiddleware at most once a minute instead of a write on every request
    assert "jiangxin.platform.core.sessions.IdleSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_SAVE_EVERY_REQUEST is False and 0 < settings.JIANGXIN_SESSION_RENEW_SECONDS <= 60


def test_session_cookie_expires_after_idle_window(users, client):
    client.post(reverse("accounts:login"), {"username": "office", "password": "Correct-Horse-42"})
    cookie = client.cookies["sessionid"]
    # expire-at-browser-close sessions carry no max-age; the server side enforces the 30-minute idle limit
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    session = Session.objects.get(session_key=cookie.value)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60
