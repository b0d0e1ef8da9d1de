"""The audit chain checked on any connection (after a move or a restore)."""

from __future__ import annotations

from jiangxin.platform.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def chain_intact(alias: str) -> tuple[bool, int | None]:
    """Recompute every event's hash on ``alias`` and compare the last one with the stored head."""
    prev = GENESIS
    for event in AuditEvent.objects.using(alias).order_by("id").iterator():
        if event.prev_hash != prev or event.compute_hash() != event.hash:
            return False, event.pk
        prev = event.hash
    head = AuditHead.objects.using(alias).filter(pk=1).values_list("last_hash", flat=True).first()
    if head is not None and head != prev:
        return False, None
    return True, None
