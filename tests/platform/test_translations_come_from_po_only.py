"""English translations have one source: the gettext catalogue (locale/en/LC_MESSAGES/django.po).

The catalogue is edited directly (or with standard gettext tools); ``make messages`` re-extracts the strings and
compiles it. These tests fail on any untranslated or fuzzy entry, on a stale compiled catalogue, and on a string the
code uses that the catalogue does not yet hold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "jiangxin" / "platform" / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"


def test_every_catalogue_entry_has_an_english_translation():
    catalogue = polib.pofile(str(PO_PATH))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated entries, first: {untranslated[:5]}"


def test_no_catalogue_entry_is_fuzzy():
    catalogue = polib.pofile(str(PO_PATH))
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert fuzzy == [], f"fuzzy entries (a guess from msgmerge, not a translation): {fuzzy[:5]}"


def test_compiled_catalogue_matches_the_source():
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO_PATH)) if not entry.msgid_plural}
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(MO_PATH)) if entry.msgid and not entry.msgid_plural}
    assert compiled == {k: v for k, v in source.items() if k}, "django.mo is stale: run `make messages`"


def test_no_python_table_of_translations_remains():
    assert not (LOCALE_DIR / "translate_en.py").exists()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed on this machine")
def test_catalogue_holds_every_string_the_code_marks(tmp_path):
    """Re-extract into a copy of the source tree: nothing new may appear that the catalogue lacks."""
    platform_src = LOCALE_DIR.parent
    copy = tmp_path / "platform"
    shutil.copytree(platform_src, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # No settings: makemessages then writes only to the copy's own locale folder, never to the real one.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert len(fresh) > 1000, "the re-extraction found almost nothing: it did not run over the platform's sources"
    missing = [entry.msgid for entry in fresh.untranslated_entries()]
    assert missing == [], f"strings in the code with no English in django.po (run `make messages`): {missing[:5]}"
