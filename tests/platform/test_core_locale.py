"""Chinese first: the browser's Accept-Language never switches the UI; only the user's explicit choice does."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_an_english_browser_still_gets_the_chinese_interface(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert page["Content-Language"] == "zh-hans"
    assert "登录" in page.content.decode()


@pytest.mark.django_db
def test_choosing_english_with_the_switch_shows_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "zh-hans"
