"""The end-to-end tests of the test program ``jiujiang_academy`` (tests/programs) run only when
``JIANGXIN_EXTRA_PROGRAMS`` names it: the normal suite never loads it (other tests iterate over every program).
``tests/platform/test_a_sixth_program_is_one_folder.py`` runs this folder in a subprocess with the setting."""

from __future__ import annotations

import os
from typing import Any

import pytest

PACKAGE = "jiujiang_academy"

if PACKAGE not in [p.strip() for p in os.environ.get("JIANGXIN_EXTRA_PROGRAMS", "").split(",")]:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_files(settings: Any, tmp_path: Any) -> None:
    """Uploads and audit checkpoints of this run in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JIANGXIN_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
