"""Writing the public read model. Callers pass personal data already masked or use :func:`mask_name`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record, record_many, snapshot
from jiangxin.platform.core.bulk import update_changed, values
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


_LISTING_FIELDS = ("kind", "name", "status", "organisation", "since", "until", "summary", "program",
                   "masked_person", "published", "updated_at")


def publish_listings(items: list[dict[str, Any]], *, actor: Any = None) -> list[PublicListing]:
    """``publish_listing`` for many entries at once (the yearly run), in order: the same rows and the same
    audit records, written with a few bulk statements. Each item holds ``publish_listing``'s keyword arguments
    (``actor`` excepted)."""
    if not items:
        return []
    for item in items:
        if item["kind"] not in ListingKind.values:
            raise ValueError(f"unknown listing kind {item['kind']!r}")
    keys = list(dict.fromkeys(item["source_key"] for item in items))
    with transaction.atomic():
        current: dict[str, PublicListing] = {}
        for i in range(0, len(keys), 5000):
            current.update((pl.source_key, pl) for pl in PublicListing.objects.filter(source_key__any_of=keys[i:i + 5000]))
        original = {pl.pk: values(pl, _LISTING_FIELDS) for pl in current.values()}
        fresh = [PublicListing(source_key=k) for k in keys if k not in current]
        firsts = {}
        for item in items:
            firsts.setdefault(item["source_key"], item)
        for listing in fresh:
            _fill(listing, firsts[listing.source_key])
        PublicListing.objects.bulk_create(fresh, batch_size=2000)
        original.update((pl.pk, values(pl, _LISTING_FIELDS)) for pl in fresh)
        new_keys = {listing.source_key for listing in fresh}
        current.update((listing.source_key, listing) for listing in fresh)
        audits = []
        now = timezone.now()
        kinds = {value: str(name) for value, name in ListingKind.choices}
        for item in items:
            listing = current[item["source_key"]]
            if item["source_key"] in new_keys:  # the first publication created the row
                new_keys.discard(item["source_key"])
                before = None
            else:
                before = snapshot(listing)
                _fill(listing, item)
                listing.updated_at = now
            label = f"{kinds[listing.kind]}：{listing.name}（{listing.status}）"  # str(listing), labels looked up once
            audits.append({"action": "portal.listing.publish", "obj": listing, "summary": f"公开信息：{label}",
                           "before": before, "after": snapshot(listing)})
        update_changed(PublicListing, current.values(), _LISTING_FIELDS, original)
        record_many(audits, actor=actor)
    return [current[k] for k in keys]


def _fill(listing: PublicListing, item: dict[str, Any]) -> None:
    person_name = item.get("person_name", "")
    listing.kind, listing.name, listing.status = item["kind"], item["name"], item["status"]
    listing.organisation = item.get("organisation")
    listing.since, listing.until = item.get("since"), item.get("until")
    listing.summary, listing.program = item.get("summary", ""), item.get("program", "")
    listing.masked_person = mask_name(person_name) if person_name else ""
    listing.published = item.get("published", True)


def withdraw_listing(source_key: str, *, actor: Any = None) -> None:
    with transaction.atomic():
        listing = PublicListing.objects.filter(source_key=source_key).first()
        if listing is None:
            return
        listing.published = False
        listing.save(update_fields=["published", "updated_at"])
        record("portal.listing.withdraw", listing, actor=actor, summary=f"撤下公开信息：{listing}")
