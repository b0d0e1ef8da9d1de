#!/usr/bin/env python3
"""Build docs/interpretations.md and docs/glossary.md from the per-area fragments in docs/parts/.

Each area keeps its own fragment (interpretations-<AREA>.md, glossary-<AREA>.md) so the people who change
an area's rules change its readings and terms in the same commit. Run after editing a fragment:

    python tools/build_docs.py          # rewrite the two documents
    python tools/build_docs.py --check  # exit 1 if they are out of date (used by the tests)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
PARTS = DOCS / "parts"

#: area prefix → title, in reading order (policy core first, then the platform)
AREAS = {
    "TIME": "Calendars, deadlines, retirement age, identity; 赣州工匠",
    "SEL": "Selection, quotas and naming chains (南昌创新工作室, 南昌工匠学院)",
    "FUND": "Funding machines and the Nanchang subsidies",
    "RUB": "Rubrics (points tables of the attachments)",
    "JS": "江苏省卓越技师培育计划",
    "ZJ": "镇江技能大师产业创新园",
    "WF": "Review workflows",
    "PANEL": "Expert panels",
    "PUB": "Publicity, documents and notifications",
    "ACAD": "网上工匠学院 (teacher pool, trainee database, course library, portal)",
    "DESIG": "Designations and work ledger",
    "ASSESS": "Annual assessments",
    "LEDGER": "Funding ledger, sanctions and the yearly run",
    "PARK": "Park operations",
    "P1": "Platform: accounts, organisations, people, audit",
    "P2": "Platform: rounds, applications, API, demo",
    "P3": "Platform: people registry pages",
    "CLEAN": "Core refactoring notes",
}

INTRO_INTERPRETATIONS = """# Interpretations (解释口径)

Where a policy text is ambiguous, Jiangxin takes the reading closest to Chinese legal convention
(以上/以下/以内/不少于/不超过 include the number itself; a period counted in days starts on the day after the
event unless the text says otherwise, 民法典第二百零一条) and makes it a **named parameter** that an office can
change. Each reading below has an id (I-<AREA>-nn); parameter values that encode a reading carry that id in
their YAML (`interpretation: I-…`) and in every trace that uses them.

Generated from `docs/parts/interpretations-*.md` by `tools/build_docs.py`.
"""

INTRO_GLOSSARY = """# Glossary (术语表)

Chinese term ↔ English ↔ the article it comes from ↔ where it lives in the code.
Generated from `docs/parts/glossary-*.md` by `tools/build_docs.py`.
"""


def _area(path: Path) -> str:
    return path.stem.split("-", 1)[1]


def _order(paths: list[Path]) -> list[Path]:
    known = list(AREAS)
    return sorted(paths, key=lambda p: (known.index(_area(p)) if _area(p) in known else len(known), p.name))


def _demote(text: str) -> str:
    """Shift headings one level down so each fragment sits under its area heading."""
    return re.sub(r"^(#{1,5}) ", lambda m: "#" + m.group(1) + " ", text, flags=re.M)


def _strip_title(text: str) -> str:
    lines = text.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def build(kind: str) -> str:
    intro = INTRO_INTERPRETATIONS if kind == "interpretations" else INTRO_GLOSSARY
    out = [intro.rstrip(), ""]
    for path in _order(list(PARTS.glob(f"{kind}-*.md"))):
        area = _area(path)
        body = _strip_title(path.read_text(encoding="utf-8"))
        if not body:
            continue
        out += [f"## {AREAS.get(area, area)}", "", _demote(body), ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for kind in ("interpretations", "glossary"):
        target = DOCS / f"{kind}.md"
        text = build(kind)
        if "--check" in argv:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)} — run python tools/build_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
