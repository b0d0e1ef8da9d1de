"""English pages of the Jiangsu cultivation year: with the English language cookie the home page a training unit
and the province office see is in English, and no Chinese heading text is left untranslated (names of people and
organisations are data and stay as entered)."""

from __future__ import annotations

import re

import pytest
from cultivation_helpers import Year, make_year
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def _english_page(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("cultivation:home"))
    assert response.status_code == 200 and response["Content-Language"] == "en"
    return response.content.decode()


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)]


def _untranslated(headings: list[str], y: Year) -> list[str]:
    data = sorted({y.unit.name, y.other_unit.name, y.city.name, y.other_city.name, y.province.name}, key=len,
                  reverse=True)
    left = []
    for heading in headings:
        text = heading
        for name in data:
            text = text.replace(name, "")
        if HAN.search(text):
            left.append(heading)
    return left


def test_training_unit_sees_the_cultivation_home_in_english() -> None:
    y = make_year(n_a=2, n_b=1)
    html = _english_page(y.unit_user)
    headings = _headings(html)
    assert headings[0].startswith("Jiangsu excellent technician program · Year 2026")
    assert y.unit.name in headings and _untranslated(headings, y) == []
    assert "Excellent technician cultivation" in html
    assert "Trainee" in html and "Mentor" in html and "Majors offered" in html


def test_province_office_sees_the_cultivation_home_in_english() -> None:
    y = make_year(n_a=2, n_b=1)
    html = _english_page(y.office)
    headings = _headings(html)
    assert "Province overview" in headings and "Trainees by city" in headings and "Training units" in headings
    assert _untranslated(headings, y) == []
    assert "Export Annex 1 summary" in html and "Year management" in html and "Major chosen" in html
    assert "各市培育对象" not in html and "全省概况" not in html


def test_the_chinese_home_page_stays_chinese_by_default() -> None:
    y = make_year(n_a=1, n_b=0)
    client = Client()
    client.force_login(y.office)
    html = client.get(reverse("cultivation:home")).content.decode()
    assert "2026学年" in html and "全省概况" in html and "Province overview" not in html
