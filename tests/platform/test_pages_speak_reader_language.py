"""Every page reachable from each demo role's navigation speaks its reader's language (issue 13, "Tests").

The demo data (``load_programs`` + ``load_demo``) is loaded once for this module; each demo role (and an anonymous
visitor of the public pages) follows its navigation and the links on those pages to depth 2 (one URL per view,
bounded), in zh-Hans and in English. A page fails on a snake_case identifier, a Python repr, an ``I-XXX-NN`` code
without its title, English prose on a Chinese page or Chinese outside data on an English page (see ``crawl.py``
for the rules and how templates mark data), and on a server error.

``crawl_known_gaps.txt`` lists what was still open when the test was written (one ``view · language · problem``
per line); a finding not listed there fails with the URL, role, language and offending text. Fix the page rather
than adding a line; remove lines once their page is clean (``JIANGXIN_CRAWL_REPORT=1`` prints stale lines).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import crawl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import resolve, reverse

from jiangxin.platform.accounts.models import User
from jiangxin.platform.core.ui import collect_nav
from jiangxin.platform.demo.data import LOGINS

KNOWN_GAPS = Path(__file__).with_name("crawl_known_gaps.txt")
PUBLIC_STARTS = ["/public/", "/public/park/", "/publicity/public/"]
LANGUAGES = (("zh-hans", "zh"), ("en", "en"))
MAX_PAGES = 30
#: views already checked in each language (shared by the roles, in order)
SEEN: dict[str, set[str]] = {}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_data(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_programs", verbosity=0, stdout=io.StringIO())
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


def gap_key(url: str, language: str, problem: str) -> str:
    """``view · language · problem`` with Chinese text on English pages collapsed (one line per view)."""
    view = resolve(url.split("?", 1)[0]).view_name
    if problem.startswith("Chinese outside data"):
        problem = "Chinese outside data"
    return f"{view} · {language} · {re.sub(r'[0-9]+', '#', problem)}"


def known_gaps() -> set[str]:
    lines = KNOWN_GAPS.read_text(encoding="utf-8").splitlines() if KNOWN_GAPS.exists() else []
    return {line for line in lines if line.strip() and not line.startswith("#")}


def _crawl_role(client: Client, role: str, starts: list[str]) -> list[crawl.Finding]:
    findings: list[crawl.Finding] = []
    for cookie, language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

        def get(url: str) -> tuple[int, str, str]:
            response = client.get(url)
            if getattr(response, "streaming", False):
                return response.status_code, "file", ""
            return response.status_code, response.get("Content-Type", ""), response.content.decode(errors="replace")

        seen = SEEN.setdefault(language, set())
        for url, (status, body) in crawl.crawl(get, starts, max_pages=MAX_PAGES, seen_views=seen).items():
            if status >= 500:
                findings.append(crawl.Finding(url, role, language, f"server error {status}"))
            findings.extend(crawl.Finding(url, role, language, p) for p in crawl.problems(body, language))
    return findings


def _report(findings: list[crawl.Finding]) -> None:
    gaps = known_gaps()
    new = [f for f in findings if gap_key(f.url, f.language, f.problem) not in gaps]
    if os.environ.get("JIANGXIN_CRAWL_REPORT"):
        print("\n".join(sorted({gap_key(f.url, f.language, f.problem) for f in findings})))
    assert not new, "pages not in their reader's language:\n" + "\n".join(str(f) for f in new[:60])


def test_every_page_of_every_demo_role_speaks_its_readers_language(demo_data: None) -> None:
    """All roles in one test, in the order of ``LOGINS``, so the shared "already checked" set (and with it the pages
    each role is charged with) is the same however the suite is split across workers."""
    SEEN.clear()
    findings: list[crawl.Finding] = []
    for username in [login[0] for login in LOGINS]:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        starts = [reverse("core:my_tasks"), reverse("core:profile")] + [i.href for i in collect_nav(user) if i.href]
        findings += _crawl_role(client, username, starts)
    findings += _crawl_role(Client(), "(anonymous)", PUBLIC_STARTS)
    _report(findings)


def test_the_checker_catches_each_kind_of_problem() -> None:
    assert crawl.problems("<p>阶段：central_review</p>", "zh")
    assert crawl.problems("<p>{'a': 1}</p>", "zh")
    assert crawl.problems("<td>academy.import.finish</td>", "zh") and crawl.problems("<td>academy.ImportJob</td>", "zh")
    assert not crawl.problems("<td>申报书.pdf</td>", "zh")
    assert crawl.problems("<p>见 I-PANEL-01</p>", "zh")
    assert crawl.problems("<p>此项必填（required field is missing）</p>", "zh")
    assert crawl.problems("<p>Stage 推荐申报</p>", "en")
    assert not crawl.problems('<p>Applicant <span class="data">南昌市总工会</span></p>', "en")
    assert not crawl.problems('<p><a class="interp" href="#I-PANEL-01">专家组组成</a></p>', "zh")
    assert crawl.problems('<p><a class="interp" href="#I-PANEL-01">I-PANEL-01</a></p>', "zh")
