"""English pages: with the English language cookie each app's main page shows an English heading
(the Chinese original stays the default; see test_core_locale.py)."""

from __future__ import annotations

from typing import Any

import fixtures_apps
import fixtures_panels
import pytest
from django.conf import settings
from fixtures_panels import PanelWorld

from jiangxin.platform.accounts.roles import Role

pytestmark = pytest.mark.django_db
pw = fixtures_panels.pw
world = fixtures_apps.world
media = fixtures_apps.media


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_panels_list_in_english(pw: PanelWorld) -> None:
    page = _english(pw.client("office")).get("/panels/")
    assert page.status_code == 200 and page["Content-Language"] == "en"
    html = page.content.decode()
    assert "<h1>Review panels</h1>" in html and "Form a panel" in html


def test_documents_index_in_english(world: Any) -> None:
    html = _english(world.client("office_nc")).get("/documents/").content.decode()
    assert "<h1>Documents and templates</h1>" in html and "Download default template" in html


def test_notifications_inbox_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.UNIT])).get("/notifications/").content.decode()
    assert "<h1>Messages</h1>" in html and "No messages." in html


def test_designations_directory_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/designations/").content.decode()
    assert "<h1>Designations</h1>" in html and "Certificate no." in html


def test_worklog_index_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/worklog/").content.decode()
    assert "<h1>Work and funds ledgers</h1>" in html and "Certificate no." in html


def test_assessments_index_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/assessments/").content.decode()
    assert "<h1>Annual assessment</h1>" in html


def test_park_public_catalogue_in_english(client: Any) -> None:
    html = _english(client).get("/public/park/").content.decode()
    assert "<h1>Zhenjiang skill-master innovation park · Service catalogue</h1>" in html
    assert "Submit a service request" in html


def test_ledger_office_page_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/ledger/").content.decode()
    assert "<h1>Funds ledger · annual run</h1>" in html


def test_academy_teacher_pool_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/academy/teachers/").content.decode()
    assert "<h1>Teacher pool</h1>" in html


def test_portal_home_in_english(client: Any) -> None:
    html = _english(client).get("/public/").content.decode()
    assert "<h1>Nanchang online craftsman academy</h1>" in html and "Latest courses" in html


def test_publicity_list_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/publicity/").content.decode()
    assert "<h1>Publicity and objections</h1>" in html


def test_review_queue_in_english(users: dict[str, Any], client_for: Any) -> None:
    html = _english(client_for(users[Role.OFFICE])).get("/review/").content.decode()
    assert "<h1>Review handling</h1>" in html
