"""``notify`` / ``notify_roles``: tell people that something needs them.

Every notification lands in the recipient's in-app inbox. When ``settings.JIANGXIN_EMAIL_ENABLED`` is on and
the recipient has an e-mail address, a copy goes out through Django's mail API — after the surrounding
transaction commits, so a rolled-back change sends nothing, and a mail failure is logged, never raised.

Who ``notify_roles(org, roles)`` reaches (the same rule as the data scope in ``orgs.scope``):
- staff roles (office, district, park office, finance): active users holding the role at ``org`` itself or
  at any ANCESTOR of ``org`` — the bodies whose scope covers ``org``'s records;
- every other role (unit, individual, training unit, trainee, expert): active users holding the role at
  ``org`` itself only;
- the three administrators are never notified about business matters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jiangxin.platform.core import bulk
from jiangxin.platform.core.roles import ADMIN_ROLES, STAFF_ROLES
from jiangxin.platform.notifications.models import Kind, Notification

log = logging.getLogger(__name__)

_KINDS = frozenset(Kind.values)


def _safe_url(url: str) -> str:
    """Only site-relative links ("/review/3/"); anything else is dropped."""
    url = (url or "").strip()
    return url if url.startswith("/") and not url.startswith("//") else ""


def notify(users: Iterable[Any], *, title: str, body: str = "", url: str = "", kind: str = "info") -> list[Notification]:
    """Put a notification in each user's inbox (duplicates and inactive users skipped); e-mail if enabled."""
    if kind not in _KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; expected one of {sorted(_KINDS)}")
    if not title.strip():
        raise ValueError("a notification needs a title")
    seen: set[int] = set()
    recipients = []
    for user in users:
        if user is None or not getattr(user, "pk", None) or not getattr(user, "is_active", False):
            continue
        if user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    link = _safe_url(url)
    rows = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:200], body=body, url=link, kind=kind) for u in recipients])
    from jiangxin.platform.core.ui import forget_all

    transaction.on_commit(forget_all)  # the unread count in the recipients' navigation
    if getattr(settings, "JIANGXIN_EMAIL_ENABLED", False):
        addresses = [u.email for u in recipients if getattr(u, "email", "")]
        if addresses:
            transaction.on_commit(lambda: _send_mail(addresses, title, body, link))
    return rows


def notify_many(messages: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``notify`` for many messages at once (the yearly run): each message is a dict with ``users``,
    ``title`` and optionally ``body``, ``url``, ``kind``; the rows are those ``notify`` would write, in one
    bulk insert of plain rows (returned as dicts by attname, without ids)."""
    rows: list[dict[str, Any]] = []
    now = timezone.now()
    mails: list[tuple[list[str], str, str, str]] = []
    for message in messages:
        kind = message.get("kind", "info")
        title = str(message["title"])
        body = str(message.get("body", ""))
        if kind not in _KINDS:
            raise ValueError(f"unknown notification kind {kind!r}; expected one of {sorted(_KINDS)}")
        if not title.strip():
            raise ValueError("a notification needs a title")
        seen: set[int] = set()
        recipients = []
        for user in message["users"]:
            if user is None or not getattr(user, "pk", None) or not getattr(user, "is_active", False):
                continue
            if user.pk in seen:
                continue
            seen.add(user.pk)
            recipients.append(user)
        link = _safe_url(str(message.get("url", "")))
        rows.extend({"recipient_id": u.pk, "title": title[:200], "body": body, "url": link, "kind": kind,
                     "created": now, "read_at": None} for u in recipients)
        addresses = [u.email for u in recipients if getattr(u, "email", "")]
        if addresses:
            mails.append((addresses, title, body, link))
    bulk.insert(Notification, rows)
    if getattr(settings, "JIANGXIN_EMAIL_ENABLED", False) and mails:
        def send_all() -> None:
            for mail in mails:
                _send_mail(*mail)

        transaction.on_commit(send_all)
    return rows


def _send_mail(addresses: Sequence[str], title: str, body: str, url: str) -> None:
    text = body
    if url:
        text = f"{body}\n\n{url}" if body else url
    for address in addresses:  # one message each: recipients must not see each other's addresses
        try:
            send_mail(f"[匠心] {title}", text or title, None, [address], fail_silently=False)
        except Exception:  # mail is a courtesy copy; the inbox already holds the notification
            log.exception("notification e-mail to %s failed", address)


def role_holders(org: Any, roles: Iterable[str]) -> QuerySet[Any]:
    """Active users reached by ``notify_roles(org, roles)`` (rule in the module docstring)."""
    User = get_user_model()
    wanted = {str(r) for r in roles} - {str(r) for r in ADMIN_ROLES}
    if org is None or not wanted:
        return User.objects.none()
    staff = wanted & {str(r) for r in STAFF_ROLES}
    other = wanted - staff
    ancestor_ids = [int(p) for p in (org.path or "").strip("/").split("/") if p] or [org.pk]
    condition = Q()
    if staff:
        condition |= Q(role__in=staff, organisation_id__in=ancestor_ids)
    if other:
        condition |= Q(role__in=other, organisation_id=org.pk)
    return User.objects.filter(condition, is_active=True).order_by("pk")


def notify_roles(org: Any, roles: Iterable[str], *, title: str, body: str = "", url: str = "",
                 kind: str = "info") -> list[Notification]:
    return notify(role_holders(org, roles), title=title, body=body, url=url, kind=kind)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread when ``ids`` is None); returns how many."""
    from django.utils import timezone

    from jiangxin.platform.core.ui import forget_all

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    marked = qs.update(read_at=timezone.now())
    if marked:
        forget_all()  # the unread count in the navigation
    return marked
