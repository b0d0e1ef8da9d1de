"""Shared test set-up. Policy tests need no database; platform tests use pytest-django."""

import os

os.environ.setdefault("JIANGXIN_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
# a fixed audit-chain key for tests, whatever DEBUG is (production must set its own: settings refuse to start)
os.environ.setdefault("JIANGXIN_AUDIT_KEY", "jiangxin-test-audit-key-not-for-production")
