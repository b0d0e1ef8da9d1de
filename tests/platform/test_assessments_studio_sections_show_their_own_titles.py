"""创新工作室 template rubric (nanchang_studio rubrics/assessment-template.yaml): the sections 示范作用 and 创建基础
share their key with one of their items (demonstration, foundation). On the office's assessment page each shows
its own title — the section heading and the breakdown's 分组 column the section's, the item the item's — on the
Chinese and the English pages, never the item's title standing in for its section."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from test_assessments_flow import W, example, filed, w  # noqa: F401  (w: the fixture)

pytestmark = pytest.mark.django_db


def _scored_studio_page(w: W, client_for: Any, language: str) -> str:  # noqa: F811
    from jiangxin.platform.assessments import services

    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 20),
                              office_parameters={"scoring_assessment_pass_mark": 80})
    a = filed(w, rnd.assessments.get(), w.unit_a)
    services.score(w.office, a, example("nanchang_studio", "assessment_score"))
    client = client_for(w.office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/assessments/{a.pk}/").content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _headings(html: str) -> list[str]:
    form = html[html.index('id="item-form"'):]
    return [_text(h) for h in re.findall(r"<h3>(.*?)</h3>", form, re.S)]


def _row(html: str, item: str) -> tuple[str, str]:
    """(item cell, 分组 cell) of the breakdown row of ``item``."""
    row = re.search(rf'<tr data-item="{item}">(.*?)</tr>', html, re.S)
    assert row, item
    cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    return cells[0], cells[1]


def _legend(html: str, item: str) -> str:
    found = re.search(rf'<fieldset class="score-item" data-item="{item}">\s*<legend><strong>(.*?)</strong>', html,
                      re.S)
    assert found, item
    return _text(found.group(1))


@pytest.mark.parametrize(("language", "sections", "items"), [
    ("zh-hans", {"demonstration": "示范作用", "foundation": "创建基础"},
     {"demonstration": "示范引领与带动", "foundation": "已获县区级以上命名"}),
    ("en", {"demonstration": "Demonstration role", "foundation": "Creation basis"},
     {"demonstration": "Demonstration", "foundation": "Earlier naming at county level or above"}),
])
def test_studio_sections_sharing_an_item_key_show_their_own_titles(
        w: W, client_for: Any, language: str, sections: dict[str, str], items: dict[str, str]) -> None:  # noqa: F811
    html = _scored_studio_page(w, client_for, language)
    headings = _headings(html)
    for key, section in sections.items():
        assert section in headings, (section, headings)
        assert items[key] not in headings, (items[key], headings)
        assert _row(html, key) == (items[key], section)
        assert _legend(html, key) == items[key]
