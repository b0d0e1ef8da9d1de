"""Writing the public read model. Callers pass personal data already masked or use :func:`mask_name`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.portal.masking import mask_name
from jiangxin.platform.portal.models import ListingKind, PublicListing


def publish_listing(*, kind: str, source_key: str, name: str, status: str, organisation: Any = None,
                    since: dt.date | None = None, until: dt.date | None = None, person_name: str = "",
                    summary: str = "", program: str = "", published: bool = True, actor: Any = None
                    ) -> PublicListing:
    """Create or update the public entry for ``source_key`` (idempotent). ``person_name`` is masked here."""
    if kind not in ListingKind.values:
        raise ValueError(f"unknown listing kind {kind!r}")
    with transaction.atomic():
        listing = PublicListing.objects.filter(source_key=source_key).first()
        before = snapshot(listing) if listing else None
        listing = listing or PublicListing(source_key=source_key)
        listing.kind, listing.name, listing.status, listing.organisation = kind, name, status, organisation
        listing.since, listing.until, listing.summary, listing.program = since, until, summary, program
        listing.masked_person = mask_name(person_name) if person_name else ""
        listing.published = published
        listing.save()
        record("portal.listing.publish", listing, actor=actor, summary=f"公开信息：{listing}",
               before=before, after=snapshot(listing))
    return listing


def withdraw_listing(source_key: str, *, actor: Any = None) -> None:
    with transaction.atomic():
        listing = PublicListing.objects.filter(source_key=source_key).first()
        if listing is None:
            return
        listing.published = False
        listing.save(update_fields=["published", "updated_at"])
        record("portal.listing.withdraw", listing, actor=actor, summary=f"撤下公开信息：{listing}")
