"""Which documents each program issues (签发文书目录), read from ``programs/<program>/documents.yaml``.

Each entry::

    - key: certificate            # the document type within the program
      source: designation         # what it is about (a key of documents.sources.SOURCES)
      title: 赣州工匠证书           # the document's title
      prefix: GZGJ                # number prefix: <prefix>-<year>-<serial>
      certificate: true           # carries its number and the QR code to the public verify page
      body: "……{name}……"          # optional paragraph; {name} {title} {year} are filled in

The platform looks documents up by program and source; it never branches on a program's name.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from jiangxin.policy.registry import program_folder, program_folders

SOURCE_KEYS = ("designation", "enrolment", "residency", "notice", "round_naming", "payment_batch")


class CatalogueError(ValueError):
    pass


@cache
def catalogue(program: str) -> tuple[dict[str, Any], ...]:
    if not program:
        return ()
    path = program_folder(program) / "documents.yaml"
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = tuple(dict(e) for e in data.get("documents", []))
    seen: set[str] = set()
    for e in entries:
        missing = {"key", "source", "title", "prefix"} - set(e)
        if missing:
            raise CatalogueError(f"{path}: entry {e} lacks {sorted(missing)}")
        if e["source"] not in SOURCE_KEYS:
            raise CatalogueError(f"{path}: unknown source {e['source']!r}")
        if e["key"] in seen:
            raise CatalogueError(f"{path}: document {e['key']!r} declared twice")
        seen.add(e["key"])
    return entries


def specs_for(program: str, source: str) -> list[dict[str, Any]]:
    return [e for e in catalogue(program) if e["source"] == source]


def spec(program: str, key: str) -> dict[str, Any] | None:
    return next((e for e in catalogue(program) if e["key"] == key), None)


def programs() -> list[str]:
    return [key for key, folder in program_folders().items() if (folder / "documents.yaml").is_file()]


def program_for_source(source: str) -> str:
    """The one program that declares documents about ``source`` records, for records that do not name their
    program themselves (an enrolment without a designation); "" when none or several do."""
    found = [p for p in programs() if specs_for(p, source)]
    return found[0] if len(found) == 1 else ""
