"""The production profile (JIANGXIN_PROFILE=production, what `make serve` and the systemd units run): `check
--deploy` clean, hashed static files, keys required; `jiangxin-serve` generates its keys once and keeps them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from jiangxin.serve import load_keys, production_env


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_COOKIES", "JIANGXIN_SSL_REDIRECT",
                                                           "JIANGXIN_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE",
                                                           "JIANGXIN_FIELD_KEY", "JIANGXIN_AUDIT_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "jiangxin.platform.settings", "JIANGXIN_PROFILE": "production",
                "SECRET_KEY": "production-profile-" + "k3y-" * 12 + "x9Q!zP#",
                "JIANGXIN_FIELD_KEY": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=",
                "JIANGXIN_AUDIT_KEY": "production-profile-audit-key", "ALLOWED_HOSTS": "jiangxin.example.gov.cn",
                "JIANGXIN_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    env.update(extra)
    return env


def _django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "django", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_is_clean_in_the_production_profile(tmp_path: Path) -> None:
    run = _django(_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode == 0, run.stderr + run.stdout


def test_the_production_profile_refuses_to_start_without_its_keys(tmp_path: Path) -> None:
    run = _django(_env(tmp_path, JIANGXIN_FIELD_KEY=""), "check")
    assert run.returncode != 0 and "JIANGXIN_FIELD_KEY" in run.stderr
    run = _django(_env(tmp_path, DEBUG="1"), "check")
    assert run.returncode != 0 and "DEBUG=0" in run.stderr


def test_static_files_are_collected_with_hashed_names(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _django(env, "collectstatic", "--noinput", "-v", "0").returncode == 0
    manifest = tmp_path / "static" / "staticfiles.json"
    assert manifest.exists() and '"jiangxin/site.css": "jiangxin/site.' in manifest.read_text(encoding="utf-8")


def test_serve_generates_its_keys_once_and_keeps_them_private(tmp_path: Path, monkeypatch: Any) -> None:
    for name in ("SECRET_KEY", "JIANGXIN_FIELD_KEY", "JIANGXIN_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)  # keys from the file only
    first = load_keys(tmp_path)
    assert load_keys(tmp_path) == first and all(first.values())
    path = tmp_path / "production.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    env = production_env(tmp_path)
    assert env["JIANGXIN_PROFILE"] == "production" and env["DEBUG"] == "0"
