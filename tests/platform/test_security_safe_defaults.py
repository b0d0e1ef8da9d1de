"""Safe defaults: DEBUG off unless asked for, `check --deploy` clean with production-like settings, Chinese
404/500 pages without URL listings or tracebacks (API errors as JSON), CSP with no inline script or style,
HSTS, secure cookies, Permissions-Policy, Referrer-Policy, and the operator's security contact."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.api import services as token_services

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "jiangxin" / "platform"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_COOKIES", "JIANGXIN_SSL_REDIRECT",
                                                           "JIANGXIN_HSTS_SECONDS", "EMAIL_BACKEND",
                                                           "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "jiangxin.platform.settings",
                "SECRET_KEY": "production-like-" + "k3y-" * 12 + "x9Q!zP#",
                "ALLOWED_HOSTS": "jiangxin.example.gov.cn", "JIANGXIN_VAR_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    env.update(extra)
    return env


def test_debug_is_off_and_transport_security_on_unless_asked_for(tmp_path: Path) -> None:
    code = ("from django.conf import settings as s; import django; django.setup(); "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_SSL_REDIRECT)")
    out = subprocess.run([sys.executable, "-c", code], env=production_env(tmp_path), capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "True", "True", str(365 * 24 * 3600), "True"]


def test_without_a_secret_key_production_refuses_to_start(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    run = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                         text=True)
    assert run.returncode != 0 and "SECRET_KEY must be set" in run.stderr


def test_check_deploy_is_clean_with_production_like_settings(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=production_env(tmp_path), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "no issues" in run.stdout


@pytest.mark.django_db
def test_unknown_page_is_a_chinese_404_without_the_url_list() -> None:
    response = Client().get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in text
    assert "urlpatterns" not in text and "URLconf" not in text and "accounts/" not in text


@pytest.mark.django_db
def test_server_error_page_is_chinese_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("/srv/secret/path.py exploded")

    monkeypatch.setattr("jiangxin.platform.core.security.render", boom)
    response = Client(raise_request_exception=False).get(reverse("security_contact"))
    text = response.content.decode()
    assert response.status_code == 500 and "系统错误" in text
    assert "Traceback" not in text and "/srv/secret" not in text
    assert "<style" not in text  # the error page's style comes from a file too (CSP)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_api_error_is_json_without_a_traceback_even_in_debug(debug: bool, make_user: Any, org_tree: Any,
                                                             settings: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DEBUG = debug
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="apiuser")
    _row, plain = token_services.create_token(user, "对接")

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("/srv/secret/path.py exploded")

    monkeypatch.setattr("jiangxin.platform.api.api.visible_applications", boom)
    response = Client(raise_request_exception=False).get("/api/v1/applications",
                                                         HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert "Traceback" not in response.content.decode() and "/srv/secret" not in response.content.decode()
    assert "服务器内部错误" in response.json()["error"]


@pytest.mark.django_db
def test_every_page_carries_csp_permissions_and_referrer_policies() -> None:
    response = Client().get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_https_responses_carry_hsts_when_configured(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _templates() -> list[Path]:
    return sorted(TEMPLATES.glob("**/templates/**/*.html"))


def test_templates_have_no_inline_script_event_handler_or_style() -> None:
    """The CSP forbids them; a template that still had one would silently stop working."""
    bad = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    style = re.compile(r"<style|\sstyle\s*=\s*[\"']", re.IGNORECASE)
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, style):
            bad += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert len(_templates()) > 50 and bad == []


@pytest.mark.django_db
def test_security_contact_from_the_operator_settings(settings: Any) -> None:
    settings.JIANGXIN_SECURITY_CONTACT = "security@example.gov.cn"
    settings.JIANGXIN_SECURITY_POLICY_URL = "https://example.gov.cn/security-policy"
    txt = Client().get("/.well-known/security.txt")
    body = txt.content.decode()
    assert txt.status_code == 200 and txt["Content-Type"].startswith("text/plain")
    assert "Contact: mailto:security@example.gov.cn" in body and re.search(r"^Expires: \d{4}-", body, re.M)
    assert "Policy: https://example.gov.cn/security-policy" in body
    page = Client().get(reverse("security_contact")).content.decode()
    assert "安全问题报告" in page and "security@example.gov.cn" in page


@pytest.mark.django_db
def test_security_contact_page_says_so_when_none_is_configured(settings: Any) -> None:
    settings.JIANGXIN_SECURITY_CONTACT = ""
    settings.JIANGXIN_SECURITY_CONTACT_URL = ""
    assert "尚未配置安全联系人" in Client().get(reverse("security_contact")).content.decode()
    assert "Contact:" not in Client().get("/.well-known/security.txt").content.decode()


def test_views_embeddable_by_our_own_pages_get_frame_ancestors_self_and_others_none() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from jiangxin.platform.core.security import SecurityHeadersMiddleware

    embeddable = SecurityHeadersMiddleware(xframe_options_sameorigin(lambda request: HttpResponse("pdf")))
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("page"))
    request = RequestFactory().get("/")
    assert embeddable(request)._csp_replace == {"frame-ancestors": ["'self'"]}  # type: ignore[attr-defined]
    assert not hasattr(plain(request), "_csp_replace")
