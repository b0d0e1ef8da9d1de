"""Short human titles for the rule ids that trace steps carry (``leader_honour`` → 领衔人荣誉).

A trace step names its rule with a stable machine id; people reading a failed condition need a short
title instead. Titles live beside the rules they describe:

* ``src/jiangxin/programs/<program>/labels.yaml`` — the rules a program's computations emit;
* ``src/jiangxin/policy/labels.yaml`` — the rules emitted by the generic machinery (funding, selection,
  rubric totals, publicity, workflow…) and shared by several programs.

Each file maps ``rule id → {zh: 短标题, en: short title}``. Titles are short paraphrases, never sentences
of a policy text. :func:`rule_label` looks a rule up (program first, then generic) and falls back to the
rule id itself, so an unlabelled rule still shows something and never breaks a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

from jiangxin.policy.errors import PolicyError

LANGUAGES: tuple[str, ...] = ("zh", "en")
GENERIC_FILE = Path(__file__).with_name("labels.yaml")
PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "programs"
_PROGRAM_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

Labels = Mapping[str, Mapping[str, str]]


def _read(path: Path) -> dict[str, dict[str, str]]:
    """Read one labels file; a malformed entry is an error naming the file and rule."""
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: expected a mapping of rule id → {{zh, en}}")
    out: dict[str, dict[str, str]] = {}
    for rule, entry in raw.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(lang), str) and entry[lang]
                                                  for lang in LANGUAGES):
            raise PolicyError(f"{path}: rule {rule!r} needs non-empty zh and en titles")
        out[str(rule)] = {lang: str(entry[lang]) for lang in LANGUAGES}
    return out


@cache
def generic_labels() -> Labels:
    """Titles of the rules emitted by the generic policy machinery."""
    return _read(GENERIC_FILE)


@cache
def program_labels(program: str) -> Labels:
    """Titles of one program's rules (empty for an unknown program)."""
    if not _PROGRAM_KEY.match(program):
        return {}
    from jiangxin.policy.registry import program_folder

    return _read(program_folder(program) / "labels.yaml")


def _language(language: str) -> str:
    """``zh-hans``/``zh`` → ``zh``; ``en``/``en-us`` → ``en``; anything else → ``zh`` (Chinese first)."""
    return "en" if language.lower().startswith("en") else "zh"


@cache
def rule_label(program: str | None, rule: str, language: str = "zh") -> str:
    """Short title of ``rule`` in ``language``: the program's labels first, then the generic ones.

    An unknown rule returns the rule id itself.
    """
    lang = _language(language)
    if program:
        entry = program_labels(program).get(rule)
        if entry is not None:
            return entry[lang]
    entry = generic_labels().get(rule)
    if entry is not None:
        return entry[lang]
    return rule


def has_label(program: str | None, rule: str) -> bool:
    """Whether ``rule`` has a title (program or generic)."""
    return (bool(program) and rule in program_labels(program or "")) or rule in generic_labels()


_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def enum_label(program: str | None, field: str, value: str, language: str = "zh") -> str:
    """Display label of an enum value of a facts field (``county`` → 县级) for forms and pages.

    Entries are ``enum.<field>.<value>`` (when the field matters) and ``enum.<value>`` in the same files
    as the rule titles, looked up in that order, the program's file before the generic one. A value that
    is already Chinese is shown as it is in Chinese; an unknown value falls back to itself.
    """
    value = str(value)
    lang = _language(language)
    if lang == "zh" and _HAN.search(value):
        return value
    tables = [program_labels(program)] if program else []
    tables.append(generic_labels())
    for key in (f"enum.{field}.{value}", f"enum.{value}"):
        for table in tables:
            entry = table.get(key)
            if entry is not None:
                return entry[lang]
    return value
