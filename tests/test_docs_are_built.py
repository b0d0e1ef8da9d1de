import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_interpretations_and_glossary_are_built_from_their_fragments():
    """docs/interpretations.md and docs/glossary.md are generated: run python tools/build_docs.py."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_interpretation_id_used_in_parameters_is_documented():
    documented = (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8")
    used = set()
    for path in (ROOT / "src" / "jiangxin" / "programs").glob("*/parameters*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "interpretation:" in line:
                used.add(line.split("interpretation:", 1)[1].strip().strip("'\""))
    missing = sorted(i for i in used if i and i not in documented)
    assert not missing, f"interpretation ids used in parameters but not documented: {missing}"
