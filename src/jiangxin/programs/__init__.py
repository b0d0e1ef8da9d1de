"""One package per policy document. Importing a package registers its program and computations.

Every folder here with an ``__init__.py`` is a program: a new city's policy is one more folder. Programs kept
elsewhere (another deployment's own, or a test program) are added by their dotted package name with
:func:`add_packages` before the first use (the platform passes ``settings.JIANGXIN_EXTRA_PROGRAMS``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

#: the five documents shipped with the platform, in the order pages list them
SHIPPED_ORDER = (
    "nanchang_academy",
    "nanchang_studio",
    "zhenjiang_park",
    "ganzhou_craftsman",
    "jiangsu_technician",
)

_extra: list[str] = []
_loaded: set[str] = set()
_complete = False


@cache
def shipped_packages() -> tuple[str, ...]:
    """The program folders beside this file (the shipped five first, then any other folder by name)."""
    here = Path(__file__).parent
    found = sorted(p.name for p in here.iterdir() if (p / "__init__.py").exists())
    ordered = [name for name in SHIPPED_ORDER if name in found]
    return tuple(f"jiangxin.programs.{name}" for name in ordered + [n for n in found if n not in SHIPPED_ORDER])


def add_packages(packages: Iterable[str]) -> None:
    """Programs outside this folder, by dotted package name (loaded now if the others already are)."""
    global _complete
    for package in packages:
        if package not in _extra:
            _extra.append(package)
            _complete = False
    if _loaded:
        load_all()


def load_all() -> None:
    global _complete
    if _complete:
        return
    for package in [*shipped_packages(), *_extra]:
        if package not in _loaded:
            importlib.import_module(package)
            _loaded.add(package)
    _complete = True
