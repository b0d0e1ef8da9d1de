"""Page crawler for the "pages speak their reader's language" test (issue 13).

:func:`crawl` follows a signed-in role's navigation links and the links on those pages to a bounded depth
(one URL per view, so a list of a hundred cases costs one case page) and runs :func:`problems` on every HTML page.

What counts as a problem in the visible text of a page (scripts, styles and *data* skipped):

* a snake_case identifier (``central_review``, ``skipped_already_applied``);
* a Python repr (``{'`` or ``[{'``);
* a dotted code (``academy.import.finish``, ``academy.ImportJob``);
* an interpretation code ``I-XXX-NN`` not inside an ``<a class="interp">`` link that also shows its title;
* on a Chinese page: English prose (three or more English words in a row);
* on an English page: Chinese characters.

*Data* is what people and offices typed or what the registry holds (names of people, organisations, rounds,
titles of courses, free-text reasons): templates mark it with ``class="data"`` (or any element with a
``lang`` attribute, e.g. ``lang="zh"``), and the crawler skips that element and everything inside it.
The page ``<title>`` is not checked (it repeats the heading). Form controls' typed values (``<textarea>``, ``<input value>``) are data by nature and are not text nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

SNAKE = re.compile(r"(?<![\w./:@#?=&%-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@.-]*\w)")
REPR = re.compile(r"\[\{'|\{'")
INTERP = re.compile(r"\bI-[A-Z]+-\d+\b")
#: dotted codes such as ``academy.import.finish`` or ``academy.ImportJob`` (file names and hosts excepted)
DOTTED = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z]+)*(?:\.[a-z]+(?:_[a-z]+)*)*\.[A-Za-z_]+(?![\w./@-])")
FILE_ENDINGS = {"pdf", "doc", "docx", "xls", "xlsx", "csv", "png", "jpg", "jpeg", "zip", "txt", "md", "yaml", "html",
                "com", "cn", "org", "net", "gov", "ofd", "wps", "rar", "mp4"}
ENGLISH_PROSE = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]*){2,}\b")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SKIP_TAGS = {"script", "style", "textarea", "template", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class _Node:
    tag: str
    skip: bool
    interp: bool
    text: list[str] = field(default_factory=list)


class _TextParser(HTMLParser):
    """Collects visible text outside data, the interpretation links and the page's same-site links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Node] = []
        self.texts: list[str] = []
        self.interp_links: list[str] = []
        self.links: list[str] = []
        self.html_lang = ""

    def _skipping(self) -> bool:
        return any(n.skip for n in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
            return
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value") and not self._skipping():
            self.texts.append(a["value"])
        if tag in VOID:
            return
        classes = a.get("class", "").split()
        skip = tag in SKIP_TAGS or "data" in classes or "lang" in a
        self.stack.append(_Node(tag, skip, tag == "a" and "interp" in classes and not self._skipping()))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag == "html":
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                closed = self.stack[i:]
                del self.stack[i:]
                for node in closed:
                    if node.interp:
                        self.interp_links.append(" ".join(node.text))
                return

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text or self._skipping():
            return
        for node in self.stack:
            if node.interp:
                node.text.append(text)
                return
        self.texts.append(text)


def parse(html: str) -> _TextParser:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser


def problems(html: str, language: str) -> list[str]:
    """What on this page is not in its reader's language (``language``: ``zh`` or ``en``)."""
    page = parse(html)
    found: list[str] = []
    for text in page.texts:
        if REPR.search(text):
            found.append(f"Python repr: {text[:120]!r}")
        for m in SNAKE.finditer(text):
            found.append(f"snake_case identifier {m.group(0)!r} in {text[:120]!r}")
        for m in DOTTED.finditer(text):
            if m.group(0).rsplit(".", 1)[1].lower() not in FILE_ENDINGS:
                found.append(f"dotted code {m.group(0)!r} in {text[:120]!r}")
        for m in INTERP.finditer(text):
            found.append(f"interpretation code {m.group(0)!r} without its title in {text[:120]!r}")
        if language == "zh":
            m = ENGLISH_PROSE.search(text)
            if m:
                found.append(f"English prose on a Chinese page: {m.group(0)!r} in {text[:120]!r}")
        elif HAN.search(text):
            found.append(f"Chinese outside data on an English page: {text[:120]!r}")
    for link in page.interp_links:
        if not INTERP.sub("", link).strip(" ()（）·:："):
            found.append(f"interpretation link without its title: {link!r}")
    return found


#: links never followed: they change state, download files or leave the signed-in pages
SKIP_PATH = re.compile(r"^/(?:accounts/logout|i18n/|static/|media/|admin/)|/(?:download|export|file|files|print)"
                       r"(?:/|\.|$)|\.(?:xlsx|pdf|csv|docx|zip|png|jpg)$")


@dataclass
class Finding:
    url: str
    role: str
    language: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.role} · {self.language}] {self.url}: {self.problem}"


def chinese_outside_data(html: str) -> list[str]:
    """The English page's text in Chinese that is not marked as data (the platform's own words left untranslated)."""
    return [p for p in problems(html, "en") if p.startswith("Chinese outside data")]


def in_language(client: Any, language: str) -> Any:
    """``client`` with the language cookie set, as the language switcher sets it."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def same_site_links(html: str) -> list[str]:
    out = []
    for href in parse(html).links:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if SKIP_PATH.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _view_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name + ("?" if "?" in path else "")


def crawl(get: Callable[[str], tuple[int, str, str]], starts: Iterable[str], *, depth: int = 2,
          max_pages: int = 40, seen_views: set[str] | None = None) -> dict[str, tuple[int, str]]:
    """Visit ``starts`` and links on them to ``depth``: one URL per view, at most ``max_pages`` pages.

    ``get(url)`` returns ``(status, content type, body)``. Returns ``url → (status, html)`` of HTML pages.
    ``seen_views`` (shared between calls) skips views another role already had checked, so the budget goes to
    pages not yet seen; a role's own navigation pages are always read for their links.
    """
    seen_views = set() if seen_views is None else seen_views
    mine: set[str] = set()
    pages: dict[str, tuple[int, str]] = {}
    frontier = list(dict.fromkeys(starts))
    for level in range(depth + 1):
        nxt: list[str] = []
        for url in frontier:
            view = _view_of(url)
            if view is None or view in mine or len(pages) >= max_pages:
                continue
            mine.add(view)
            checked_before = view in seen_views
            if checked_before and level > 0:
                continue  # another role had this view checked; its navigation pages are still read for links
            seen_views.add(view)
            status, ctype, body = get(url)
            if "html" not in ctype:
                continue
            if not checked_before:
                pages[url] = (status, body)
            if level < depth and status == 200:
                nxt.extend(same_site_links(body))
        frontier = list(dict.fromkeys(nxt))
    return pages
