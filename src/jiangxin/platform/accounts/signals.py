"""What the accounts app announces to the apps above it (they listen; accounts never imports them)."""

from __future__ import annotations

from django.dispatch import Signal

#: a user's credentials changed or the account was deactivated: every credential derived from the old ones must
#: stop working now (the API app revokes the user's tokens). Sent inside the caller's transaction with
#: ``user`` and ``why`` (a short Chinese reason recorded with the revocation).
credentials_revoked = Signal()
