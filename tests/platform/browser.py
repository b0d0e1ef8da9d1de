"""Real-browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

``MARKS`` skips a module when /usr/bin/chromium is absent; ``chromium()`` opens the browser with the flags this
closed network needs (no background connections) and closes it afterwards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
MARKS = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
         pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    # Playwright's sync API runs an event loop; the live server's ORM calls are safe in these tests
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
