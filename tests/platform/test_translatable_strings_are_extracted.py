"""Every string wrapped for translation reaches the catalogue: ``makemessages`` (xgettext) only extracts calls named
``_``, ``gettext``, ``gettext_lazy``, ``ngettext``… — a string wrapped in an alias such as ``_l(...)`` never gets a
msgid, so its English never shows (the calendar form's help texts and the dashboard's 县区 filter did that)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "jiangxin"
#: names xgettext extracts (its Python defaults plus the keywords Django's makemessages adds)
EXTRACTED = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
             "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_translation_functions_are_imported_under_names_makemessages_extracts() -> None:
    renamed = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [f"{path.relative_to(SRC)}: {a.name} as {a.asname}" for a in node.names
                            if a.name in EXTRACTED and a.asname and a.asname not in EXTRACTED]
    assert not renamed, "strings wrapped under these names are never extracted:\n" + "\n".join(renamed)
