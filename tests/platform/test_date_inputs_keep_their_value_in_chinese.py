"""A browser's date picker (<input type="date">) only accepts an ISO date as its value; the Chinese locale's
first input format (2026/11/01) left every date field of an edit form empty on the Chinese pages, so saving
the form again asked for dates the record already had."""

from __future__ import annotations

import re

import fixtures_apps
import pytest
from fixtures_apps import World

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_values(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<input type="date" name="(\w+)" value="([^"]*)"', html)}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_round_edit_form_shows_its_dates_in_the_date_pickers(world: World, language: str) -> None:
    rnd = world.rounds["studio"]
    c = world.client("office_nc")
    c.cookies["django_language"] = language
    values = _date_values(c.get(f"/rounds/{rnd.pk}/edit/").content.decode())
    assert values.get("opens") == rnd.opens.isoformat() and values.get("closes") == rnd.closes.isoformat()
    assert all(ISO.match(v) for v in values.values()), values


def test_chinese_pages_still_accept_dates_typed_with_slashes() -> None:
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"):
        field = forms.DateField()
        assert field.clean("2027/09/01").isoformat() == "2027-09-01"
        assert field.clean("2027-09-01").isoformat() == "2027-09-01"
