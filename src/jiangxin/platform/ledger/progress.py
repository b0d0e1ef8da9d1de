"""Live progress of a background job, kept outside the database.

The yearly run commits in one transaction; on SQLite that transaction holds the write lock, so a progress
row could not be updated (nor read as changed) until the end. The worker writes a small JSON file per job
under ``VAR_DIR/jobs`` instead (atomic replace), the polling page reads it, and the final state goes to the
job's row when the work ends.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings


def _path(kind: str, job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{kind}-{int(job_id)}.json"


def write(kind: str, job_id: int, *, phase: str, done: int, total: int) -> None:
    """Publish the job's progress now (visible to every process at once, whatever transaction is open)."""
    path = _path(kind, job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"phase": phase, "done": int(done), "total": int(total)}, fh)
    os.replace(tmp, path)


def read(kind: str, job_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(kind, job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clear(kind: str, job_id: int) -> None:
    _path(kind, job_id).unlink(missing_ok=True)
    _beat_path(kind, job_id).unlink(missing_ok=True)


# --- heartbeat (a file, so it beats while the run's transaction holds the database's write lock) -------------


def _beat_path(kind: str, job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"{kind}-{int(job_id)}.beat"


def beat(kind: str, job_id: int) -> None:
    path = _beat_path(kind, job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def last_beat(kind: str, job_id: int) -> float | None:
    """Seconds since the epoch of the last beat (or progress), None if the job never beat."""
    times = []
    for path in (_beat_path(kind, job_id), _path(kind, job_id)):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue
    return max(times) if times else None


def percent(data: dict[str, Any] | None, *, commit: bool = True) -> int:
    """0–99 while running: a committed run's compute phase fills the first fifth, its commit phase the rest."""
    if not data or not data.get("total"):
        return 0
    share = min(1.0, int(data.get("done", 0)) / int(data["total"]))
    if not commit:
        return min(99, int(100 * share))
    if data.get("phase") == "compute":
        return int(20 * share)
    return min(99, 20 + int(80 * share))
