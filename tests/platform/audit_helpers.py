"""Test helper: simulate an attacker with write access to the database (past the PostgreSQL trigger)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

TRIGGER = "audit_auditevent_append_only"


@contextmanager
def tampering() -> Iterator[None]:
    """Within the block, raw UPDATE/DELETE on audit rows go through (PostgreSQL: the trigger is disabled)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")
