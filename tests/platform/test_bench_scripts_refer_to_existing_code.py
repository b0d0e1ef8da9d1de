"""The benchmarks under bench/ are scripts, not tests, so nothing runs them in the suite: when a module they use
moves, they break silently until the next measurement. This checks every ``from jiangxin… import name`` in them
resolves to an existing module or attribute.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for script in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jiangxin"):
                found.extend((script.name, node.module, alias.name) for alias in node.names)
    return found


def test_the_benchmarks_import_something_of_the_product():
    assert len(_imports()) > 20


@pytest.mark.parametrize(("script", "module", "name"), _imports())
def test_every_name_a_benchmark_imports_exists(script, module, name):
    loaded = importlib.import_module(module)
    if not hasattr(loaded, name):
        importlib.import_module(f"{module}.{name}")  # a submodule; raises if it is not there either
