"""A smoke check of a database through the pages: every demo login signs in and opens its task page and every
page of its navigation. Used after a move or a restore (``jiangxin-admin check_pages``) and by their tests."""

from __future__ import annotations

from collections.abc import Iterable

from django.test import Client

from jiangxin.platform.accounts.models import User
from jiangxin.platform.core.ui import collect_nav


def check_pages(usernames: Iterable[str], password: str) -> tuple[int, list[str]]:
    """Returns (pages opened, problems) — a problem names the user, the page and the status."""
    opened = 0
    problems: list[str] = []
    for username in usernames:
        client = Client()
        if not client.login(username=username, password=password):
            problems.append(f"{username}: 无法登录")
            continue
        user = User.objects.get(username=username)
        pages = ["/", *[item.href for item in collect_nav(user) if item.href]]
        for page in dict.fromkeys(pages):
            status = client.get(page, follow=True).status_code
            opened += 1
            if status != 200:
                problems.append(f"{username} {page}: {status}")
    return opened, problems
