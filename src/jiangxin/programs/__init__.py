"""One package per policy document. Importing a package registers its program and computations."""

from __future__ import annotations

import importlib

PROGRAM_PACKAGES = (
    "nanchang_academy",
    "nanchang_studio",
    "zhenjiang_park",
    "ganzhou_craftsman",
    "jiangsu_technician",
)

_loaded = False


def load_all() -> None:
    global _loaded
    if _loaded:
        return
    for name in PROGRAM_PACKAGES:
        importlib.import_module(f"jiangxin.programs.{name}")
    _loaded = True
