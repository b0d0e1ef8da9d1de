"""Signals other apps connect to when a designation's status changes (e.g. the park ending a residency when its
designation exits on a 五（四） ground decided on the designation page).

``status_changed(sender=Designation, designation, from_status, to_status, actor, citation)`` is sent after the
change is written, inside its transaction; a receiver that raises rolls the whole change back. Receivers must be
idempotent: the park's own exit also changes the designation's status."""

from __future__ import annotations

from django.dispatch import Signal

status_changed = Signal()
