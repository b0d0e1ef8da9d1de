"""Writing the public read model. Callers pass personal data already masked or use :func:`mask_name`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import changed_fields, record, record_many, snapshot, snapshot_values
from jiangxin.platform.core.bulk import insert
from jiangxin.platform.core.masking import mask_name
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
        before, after = changed_fields(before, snapshot(listing))
        record("portal.listing.publish", listing, actor=actor, summary=f"公开信息：{listing}",
               before=before, after=after)
    return listing


def publish_listings(items: list[dict[str, Any]], *, actor: Any = None) -> list[dict[str, Any]]:
    """``publish_listing`` for many entries at once (the yearly run), in order: the same rows and the same
    audit records, written with a few bulk statements and without model instances (each row is a dict by
    field attname; new rows go in with one bulk insert, their ids read back by source key). Each item holds
    ``publish_listing``'s keyword arguments (``actor`` excepted); returns the rows, one per source key."""
    if not items:
        return []
    known = frozenset(ListingKind.values)  # a property that builds its list on every access
    for item in items:
        if item["kind"] not in known:
            raise ValueError(f"unknown listing kind {item['kind']!r}")
    keys = list(dict.fromkeys(item["source_key"] for item in items))
    names = [f.attname for f in PublicListing._meta.concrete_fields]
    with transaction.atomic():
        current: dict[str, dict[str, Any]] = {}
        for i in range(0, len(keys), 5000):
            current.update((row["source_key"], row) for row in PublicListing.objects.filter(
                source_key__any_of=keys[i:i + 5000]).values(*names))
        original = {row["id"]: {n: row[n] for n in _LISTING_ATTNAMES} for row in current.values()}
        firsts: dict[str, dict[str, Any]] = {}
        for item in items:
            firsts.setdefault(item["source_key"], item)
        now = timezone.now()
        fresh = []
        for key in keys:
            if key not in current:
                row = {"source_key": key, "updated_at": now}
                _fill_row(row, firsts[key])
                fresh.append(row)
        if fresh:
            insert(PublicListing, fresh)
            created = {k: pk for k, pk in PublicListing.objects.filter(
                source_key__any_of=[row["source_key"] for row in fresh]).values_list("source_key", "id")}
            for row in fresh:
                row["id"] = created[row["source_key"]]
                current[row["source_key"]] = {n: row.get(n) for n in names}
                original[row["id"]] = {n: row[n] for n in _LISTING_ATTNAMES}
        new_keys = {row["source_key"] for row in fresh}
        audits = []
        kinds = {value: str(name) for value, name in ListingKind.choices}
        for item in items:
            row = current[item["source_key"]]
            if item["source_key"] in new_keys:  # the first publication created the row
                new_keys.discard(item["source_key"])
                before, after = None, snapshot_values(row, names)
            else:  # an update: only what publishing writes can change; the audit keeps what did (decision 0031)
                was = {n: row[n] for n in _LISTING_ATTNAMES}
                _fill_row(row, item)
                row["updated_at"] = now
                differing = [n for n in _LISTING_ATTNAMES if was[n] != row[n]]  # then only those converted
                before, after = snapshot_values(was, differing), snapshot_values(row, differing)
            label = f"{kinds[row['kind']]}：{row['name']}（{row['status']}）"  # str(listing)
            audits.append({"action": "portal.listing.publish", "object_type": PublicListing._meta.label,
                           "object_id": str(row["id"]), "summary": f"公开信息：{label}", "before": before,
                           "after": after})
        _update_rows(current.values(), original)
        record_many(audits, actor=actor)
    return [current[k] for k in keys]


#: the attnames ``publish_listing`` writes (foreign keys by id)
_LISTING_ATTNAMES = ("kind", "name", "status", "organisation_id", "since", "until", "summary", "program",
                     "masked_person", "published", "updated_at")


def _fill_row(row: dict[str, Any], item: dict[str, Any]) -> None:
    """``_fill`` on a row dict."""
    person_name = item.get("person_name", "")
    organisation = item.get("organisation")
    row["kind"], row["name"], row["status"] = item["kind"], item["name"], item["status"]
    row["organisation_id"] = organisation.pk if organisation is not None else None
    row["since"], row["until"] = item.get("since"), item.get("until")
    row["summary"], row["program"] = item.get("summary", ""), item.get("program", "")
    row["masked_person"] = mask_name(person_name) if person_name else ""
    row["published"] = item.get("published", True)


def _update_rows(rows: Any, original: dict[int, dict[str, Any]]) -> None:
    """``update_changed`` for row dicts: one UPDATE per set of changed values."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for row in rows:
        before = original[row["id"]]
        changed = tuple((n, row[n]) for n in _LISTING_ATTNAMES if before[n] != row[n])
        if changed:
            groups.setdefault(changed, []).append(row["id"])
    for changed, pks in groups.items():
        PublicListing.objects.filter(pk__any_of=pks).update(**dict(changed))


def withdraw_listing(source_key: str, *, actor: Any = None) -> None:
    with transaction.atomic():
        listing = PublicListing.objects.filter(source_key=source_key).first()
        if listing is None:
            return
        listing.published = False
        listing.save(update_fields=["published", "updated_at"])
        record("portal.listing.withdraw", listing, actor=actor, summary=f"撤下公开信息：{listing}")
