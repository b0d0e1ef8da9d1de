"""No URL changes state outside a registered transition (issue 11, "Tests", first bullet).

On the demo data, the test walks Django's URL resolver (every pattern of every app), signs in as each demo role,
reads every page it can reach and collects the forms on them, then POSTs to every state-changing URL: each form
as rendered (plausible data: hidden state fields, defaults, today's date for empty dates) and once with empty
data; patterns no page links to are posted with the first demo ids. With ``JIANGXIN_TRANSITIONS_CHECK =
"record"`` every change of a tracked state field made outside a registered transition lands in
``core.transitions.VIOLATIONS``; the test fails listing them per URL.

``NOT_YET_CONVERTED`` is the one allow-list: apps whose pages other branches of issue 11 convert. The integrator
empties it after merging them; nothing else is exempt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import fixtures_apps
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from jiangxin.platform.accounts.models import User
from jiangxin.platform.core import transitions

#: URL namespaces (apps) not yet converted to the registry: none — every app's state changes are registered
NOT_YET_CONVERTED: set[str] = set()
#: apps whose pages must also never answer a server error in this walk
CONVERTED = {"review", "publicity", "public_notices", "applications", "rounds", "panels", "ledger", "designations",
             "cultivation", "park", "park_public", "worklog", "assessments", "academy", "screening", "documents"}

#: one demo login per role and jurisdiction (demo.data.LOGINS)
USERS = ("demo_office_nc", "demo_park_zj", "demo_office_gz", "demo_office_js", "demo_district_nc",
         "demo_district_gz", "demo_lead_js", "demo_expert", "demo_unit_nc", "demo_unit_zj", "demo_individual_gz",
         "demo_trainee_js", "demo_training_js", "demo_finance_js", "demo_sysadmin", "demo_secadmin",
         "demo_auditadmin")
#: values tried for the word parameters of a pattern (``<slug:action>`` …) that no page links to
WORDS = ("open", "close", "advance", "return", "reject", "eligibility", "site-visit", "panel", "vote", "name",
         "exclude", "ranking", "party-decision", "work-group", "city-approval", "candidate-list", "province",
         "publicity-open", "publicity-close", "rerank", "csv", "xlsx", "nanchang_studio")
#: never posted: it ends the session the walk runs in
SKIP = {"accounts:logout"}
PER_PATTERN = 2  # concrete URLs read per pattern and user
MAX_PAGES = 60  # pages read per user
FORMS_PER_PATTERN = 2  # distinct forms (by field names) posted per pattern and user

media = fixtures_apps.media
pytestmark = pytest.mark.django_db


# ---- the resolver --------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Pattern:
    route: str  # e.g. "review/cases/<int:pk>/<slug:action>/"
    name: str  # "namespace:name"

    @property
    def app(self) -> str:
        return self.name.split(":", 1)[0]


def all_patterns() -> list[Pattern]:
    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[Pattern]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, [ns, p.namespace])) if p.namespace else ns
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                yield Pattern(prefix + str(p.pattern), f"{ns}:{p.name}" if ns else str(p.name))

    return list(walk(get_resolver().url_patterns, "", ""))


def fallback_urls(pattern: Pattern) -> list[str]:
    """Concrete URLs for a pattern no page links to: the first demo ids and the known action words."""
    if pattern.route.startswith("^") or "(?P" in pattern.route:
        return []
    params = re.findall(r"<(?:(\w+):)?(\w+)>", pattern.route)
    if not params:
        return ["/" + pattern.route]
    urls = []
    for word in WORDS if any(kind in ("slug", "str") for kind, _ in params) else ("",):
        for pk in ("1",):
            url = re.sub(r"<(?:(\w+):)?(\w+)>",
                         lambda m, pk=pk, word=word: pk if m.group(1) in ("int", None) else word, pattern.route)
            urls.append("/" + url)
    return sorted(set(urls))


def pattern_of(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return match.view_name


# ---- the pages: links and forms ------------------------------------------------------------------------

@dataclasses.dataclass
class Form:
    action: str
    fields: list[tuple[str, str]]


class PageParser(HTMLParser):
    """Links and POST forms of a page, each form with the values a user submitting it unchanged would send."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], str | None] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#", 1)[0])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(a.get("action") or self.url, [])
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select":
            self._select = (a.get("name", ""), [], None)
        elif tag == "option" and self._select is not None:
            name, options, chosen = self._select
            options.append(a.get("value", ""))
            self._select = (name, options, a["value"] if "selected" in a else chosen)
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self._form.fields.append((self._textarea, ""))

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind, value = a.get("name", ""), a.get("type", "text").lower(), a.get("value", "")
        if not name or kind in ("file", "submit", "button", "reset", "image"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a or kind == "checkbox" or not any(n == name for n, _ in self._form.fields):
                self._form.fields.append((name, value or "on"))
            return
        if not value:
            value = {"date": dt.date.today().isoformat(), "number": "1", "email": "demo@example.com"}.get(
                kind, "测试" if "required" in a else "")
        self._form.fields.append((name, value))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea and data.strip():
            self._form.fields[-1] = (self._textarea, data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            picked = chosen if chosen is not None else next((o for o in options if o), "")
            if name:
                self._form.fields.append((name, picked))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


# ---- the walk ------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Walk:
    violations: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    errors: dict[str, int] = dataclasses.field(default_factory=dict)
    posted: set[str] = dataclasses.field(default_factory=set)

    def post(self, client: Client, user: User, url: str, data: dict[str, list[str]]) -> None:
        name = pattern_of(url)
        if not name or name in SKIP:
            return
        client.force_login(user)
        transitions.VIOLATIONS.clear()
        response = client.post(url, data)
        self.posted.add(name)
        where = f"{name} POST {url} as {user.username}"
        if transitions.VIOLATIONS:
            self.violations.setdefault(where, []).extend(dict.fromkeys(transitions.VIOLATIONS))
        if response.status_code >= 500:
            self.errors[where] = response.status_code


def crawl(client: Client, user: User, patterns: list[Pattern]) -> tuple[list[str], list[Form]]:
    """Every page the user reaches from the pattern list and the links on those pages (a few per pattern)."""
    seen: dict[str, list[str]] = {}
    queue = [f for p in patterns for f in fallback_urls(p)[:1]]
    pages: list[str] = []
    forms: list[Form] = []
    client.force_login(user)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        name = pattern_of(url)
        if not name or url in seen.get(name, []) or len(seen.get(name, [])) >= PER_PATTERN:
            continue
        seen.setdefault(name, []).append(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        parser = PageParser(url)
        parser.feed(response.content.decode("utf-8", "replace"))
        forms.extend(parser.forms)
        queue.extend(link for link in parser.links if link not in queue)
    return pages, forms


def test_no_url_changes_a_tracked_state_outside_a_registered_transition(media: Any, settings: Any) -> None:
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    settings.JIANGXIN_TRANSITIONS_CHECK = "record"
    patterns = all_patterns()
    client = Client(raise_request_exception=False)
    walk = Walk()
    users = [User.objects.get(username=u) for u in USERS]
    found: dict[str, tuple[list[str], list[Form]]] = {u.username: crawl(client, u, patterns) for u in users}
    for user in users:
        pages, forms = found[user.username]
        kinds: dict[str, set[tuple[str, ...]]] = {}
        for form in forms:  # each form as the page renders it: plausible data, the state it was rendered in
            shape = tuple(sorted({n for n, _ in form.fields}))
            shapes = kinds.setdefault(pattern_of(form.action), set())
            if shape in shapes or len(shapes) >= FORMS_PER_PATTERN:
                continue
            shapes.add(shape)
            walk.post(client, user, form.action, as_post(form.fields))
        empty: set[str] = set()
        for url in pages + sorted({f.action for f in forms}):  # and each URL once with empty data
            if pattern_of(url) not in empty:
                empty.add(pattern_of(url))
                walk.post(client, user, url, {})
    offices = [u for u in users if u.role in ("office", "park_office")]
    for pattern in patterns:  # patterns no page led to: the first demo ids, as the offices and the applicants
        if pattern.name in walk.posted or pattern.name in SKIP:
            continue
        for url in fallback_urls(pattern):
            for user in [offices[0], users[USERS.index("demo_unit_nc")]]:
                walk.post(client, user, url, {})

    bypass = {where: found for where, found in walk.violations.items()
              if where.split(":", 1)[0] not in NOT_YET_CONVERTED}
    assert not bypass, "state changed outside a registered transition:\n" + "\n".join(
        f"  {where}: {'; '.join(v)}" for where, v in sorted(bypass.items()))
    crashed = {where: code for where, code in walk.errors.items() if where.split(":", 1)[0] in CONVERTED}
    assert not crashed, "server errors on converted pages:\n" + "\n".join(f"  {w}: {c}" for w, c in crashed.items())
    apps = {p.app for p in patterns}
    reached = {name.split(":", 1)[0] for name in walk.posted}
    assert apps <= reached, f"apps never posted to: {sorted(apps - reached)}"


world = fixtures_apps.world


def test_the_walk_reports_a_page_that_writes_a_status_directly(world: Any, settings: Any, monkeypatch: Any) -> None:
    """The walk's own check: a withdraw page that saved the status itself would be listed with its URL."""
    from jiangxin.platform.applications import services

    def bypass(app: Any, *, actor: Any, expect: Any = None) -> Any:
        app.status = "withdrawn"  # what a page must never do: write the state field outside the registry
        app.save(update_fields=["status"])
        return app

    app = world.studio_application(submit=True)
    settings.JIANGXIN_TRANSITIONS_CHECK = "record"
    monkeypatch.setattr(services, "withdraw_application", bypass)
    walk = Walk()
    walk.post(Client(raise_request_exception=False), world.users["unit_a"], f"/applications/{app.pk}/withdraw/", {})
    assert list(walk.violations) == [f"applications:withdraw POST /applications/{app.pk}/withdraw/ as unit_a"]
    assert walk.violations[f"applications:withdraw POST /applications/{app.pk}/withdraw/ as unit_a"] == [
        "applications.Application.status changed outside a registered transition"]
