"""Shared test set-up. Policy tests need no database; platform tests use pytest-django."""

import os

os.environ.setdefault("JIANGXIN_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
