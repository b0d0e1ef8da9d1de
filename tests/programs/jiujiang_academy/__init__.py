"""九江市工匠学院: a test program that lives only under ``tests/`` (issue 16, "a sixth program is one folder").

Its document, 《九江工匠学院办法》, is fictional: the articles, amounts and rubrics here are invented for the test and
paraphrase nothing. It is loaded only when ``JIANGXIN_EXTRA_PROGRAMS`` names this package (see
``tests/sixth_program``); the platform never names it.
"""

from __future__ import annotations

from pathlib import Path

from jiangxin.policy.registry import register_program

PROGRAM = register_program("jiujiang_academy", "九江市工匠学院", "jiujiang_academy", Path(__file__).parent,
                           package=__name__, document_title="九江工匠学院办法")

# Importing the modules registers their computations.
from . import funding, naming, scoring  # noqa: E402,F401
