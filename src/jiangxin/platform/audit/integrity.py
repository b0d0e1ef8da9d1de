"""Audit chain integrity (安全审计 / 数据完整性): the full check and the signed checkpoints outside the table.

:func:`verify` walks the chain from the first row: each row must link to the previous row's hash (a deleted or
inserted row breaks the link) and its keyed HMAC must match its content (a rewritten row, even with every later
hash recomputed, fails without the key). The last row must equal the stored head (``AuditHead.last_hash``: rows
cut off the end are found), and every signed checkpoint (:func:`write_checkpoint`, daily, kept as files outside
the database) must still match the row it names (a truncation that also rewound the head is found).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.audit.models import AuditEvent, AuditHead, audit_key

GENESIS = "0" * 64
CHECKPOINT_VERSION = 1
#: an uploaded checkpoint file is a few hundred bytes; anything larger is refused unread
CHECKPOINT_MAX_BYTES = 16 * 1024

# problem codes → what the audit administrator reads
LINK, CONTENT, TRUNCATED, CHECKPOINT, SIGNATURE = "link", "content", "truncated", "checkpoint", "signature"


def problem_text(code: str) -> str:
    return {
        LINK: _("与前一条记录的哈希不衔接：其前有记录被删除或插入"),
        CONTENT: _("内容与密钥哈希不符：该记录被改写或伪造"),
        TRUNCATED: _("最后一条记录与存储的链头不符：其后的记录被删除（截断）"),
        CHECKPOINT: _("与已签名的检查点不符：检查点所记录的事件被删除、改写或链被截断后重建"),
        SIGNATURE: _("检查点文件签名无效：文件被修改或不是本系统生成"),
    }.get(code, code)


@dataclasses.dataclass
class Verification:
    intact: bool
    count: int
    first_bad: int | None = None  # id of the first bad row (or the last row present when cut off after it)
    problem: str = ""  # one of the codes above
    checkpoints: int = 0  # checkpoints compared

    @property
    def message(self) -> str:
        return problem_text(self.problem) if self.problem else ""


def _walk() -> Verification:
    prev, count, last_id = GENESIS, 0, None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != prev:
            return Verification(False, count, event.pk, LINK)
        if not hmac.compare_digest(event.compute_hash(), event.hash):
            return Verification(False, count, event.pk, CONTENT)
        prev, last_id = event.hash, event.pk
    head = AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first() or GENESIS
    if head != prev:
        return Verification(False, count, last_id, TRUNCATED)
    return Verification(True, count)


def verify(extra_checkpoints: list[dict[str, Any]] | None = None) -> Verification:
    """The whole chain against its head and against every stored (and any given) checkpoint."""
    result = _walk()
    if not result.intact:
        return result
    for data in [*stored_checkpoints(), *(extra_checkpoints or [])]:
        problem = check_checkpoint(data)
        result.checkpoints += 1
        if problem:
            return Verification(False, result.count, _first_row_from(data), problem, result.checkpoints)
    return result


def _first_row_from(data: dict[str, Any]) -> int | None:
    try:
        last_id = int(data.get("last_id") or 0)
    except (TypeError, ValueError):
        return None
    row = AuditEvent.objects.filter(pk__lte=last_id).order_by("-pk").values_list("pk", flat=True).first()
    return row or last_id or None


# --- checkpoints -----------------------------------------------------------------------------------------


def _checkpoint_key() -> bytes:
    return hmac.new(audit_key(), b"jiangxin-audit-checkpoint", hashlib.sha256).digest()


def _signature(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "signature"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hmac.new(_checkpoint_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(getattr(settings, "JIANGXIN_AUDIT_CHECKPOINT_DIR", Path(settings.VAR_DIR) / "audit-checkpoints"))


def make_checkpoint(on: dt.date | None = None) -> dict[str, Any]:
    """A signed statement of the chain now: number of events, last id, last hash."""
    last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    data: dict[str, Any] = {
        "version": CHECKPOINT_VERSION, "date": (on or timezone.localdate()).isoformat(),
        "created_at": timezone.now().isoformat(), "events": AuditEvent.objects.count(),
        "last_id": last["id"] if last else 0, "last_hash": last["hash"] if last else GENESIS}
    data["signature"] = _signature(data)
    return data


def write_checkpoint(on: dt.date | None = None) -> tuple[Path, dict[str, Any]]:
    """Write today's checkpoint file (one per day, replaced by a later one of the same day)."""
    data = make_checkpoint(on)
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-checkpoint-{data['date']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path, data


def stored_checkpoints() -> list[dict[str, Any]]:
    folder = checkpoint_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("audit-checkpoint-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"file": path.name}
        out.append(data if isinstance(data, dict) else {"file": path.name})
    return out


def parse_checkpoint(raw: bytes) -> dict[str, Any]:
    """An uploaded checkpoint file; ValueError with a Chinese message when it is not one."""
    if len(raw) > CHECKPOINT_MAX_BYTES:
        raise ValueError(_("文件过大，不是审计检查点文件。"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError(_("文件不是审计检查点文件（应为本系统导出的 JSON 文件）。")) from None
    if not isinstance(data, dict) or "signature" not in data or "last_hash" not in data:
        raise ValueError(_("文件不是审计检查点文件（应为本系统导出的 JSON 文件）。"))
    return data


def check_checkpoint(data: dict[str, Any]) -> str:
    """'' when the chain still holds what the checkpoint signed, else a problem code."""
    signature = str(data.get("signature", ""))
    if not signature or not hmac.compare_digest(signature, _signature(data)):
        return SIGNATURE
    try:
        last_id, events = int(data["last_id"]), int(data["events"])
    except (KeyError, TypeError, ValueError):
        return SIGNATURE
    if last_id == 0:
        return ""
    row = AuditEvent.objects.filter(pk=last_id).values_list("hash", flat=True).first()
    if row != data.get("last_hash") or AuditEvent.objects.filter(pk__lte=last_id).count() != events:
        return CHECKPOINT
    return ""
