"""demo_logins lines its table up in a terminal: widths by Unicode East Asian Width, so a Chinese role name takes
two columns per character and every username starts in the same column."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from jiangxin.platform.demo.management.commands.demo_logins import _pad, display_width


@pytest.mark.parametrize(("text", "width"), [
    ("abc", 3), ("主管部门", 8), ("（南昌）", 8), ("demo_工", 7), ("Ａ", 2), ("e\u0301", 1), ("", 0),
])
def test_display_width_counts_wide_characters_twice(text: str, width: int) -> None:
    assert display_width(text) == width


def test_padding_reaches_the_same_column_for_chinese_and_latin_text() -> None:
    assert display_width(_pad("主管部门（南昌）", 20)) == display_width(_pad("role", 20)) == 20


@pytest.mark.django_db
def test_every_username_starts_in_the_same_display_column() -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.demo.data import LOGINS

    for username, role, _who, _hint in LOGINS[:4]:
        User.objects.create(username=username, role=role if role else Role.OFFICE)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "demo_" in line]
    assert len(lines) == 4
    columns = {display_width(line[:line.index("demo_")]) for line in lines}
    assert len(columns) == 1
