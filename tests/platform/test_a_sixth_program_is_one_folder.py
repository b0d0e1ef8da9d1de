"""Issue 16: a new city's policy is one folder. The fictional 九江市工匠学院 (``tests/programs/jiujiang_academy``)
is added by setting ``JIANGXIN_EXTRA_PROGRAMS`` only, with no platform edit naming it, and walks the whole way
through the pages: round, application, district check, panel scoring with its own rubric, publicity, naming, the
first tranche of its own money and an annual assessment with its own annual rubric
(``tests/sixth_program/test_sixth_program_end_to_end.py``). It runs in a subprocess so this process never loads it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def test_the_jiujiang_academy_folder_runs_end_to_end_through_the_pages(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["JIANGXIN_EXTRA_PROGRAMS"] = "jiujiang_academy"
    # a database of its own (SQLite), whatever this run uses: never the test database of this process
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sixth.sqlite3'}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS / "programs"), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/sixth_program", "-p", "no:cacheprovider", "-n", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = done.stdout + done.stderr
    passed = re.search(r"(\d+) passed", output)
    assert done.returncode == 0, output[-4000:]
    assert passed is not None and int(passed.group(1)) > 0, output[-4000:]
    assert "skipped" not in output, output[-4000:]


def test_this_process_does_not_load_the_test_program() -> None:
    from jiangxin.policy.registry import PROGRAMS
    from jiangxin.programs import load_all

    load_all()
    assert "jiujiang_academy" not in PROGRAMS
