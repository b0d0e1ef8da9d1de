"""Rate limit of the public verify page, per client address, counted in the database (so every web process and
worker shares the same count). The address is stored only as a keyed hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from jiangxin.platform.documents.issued import VerifyHit


def limit() -> int:
    """Look-ups allowed per address and minute (``JIANGXIN_VERIFY_PER_MINUTE``, default 30)."""
    return int(getattr(settings, "JIANGXIN_VERIFY_PER_MINUTE", 30))


def _address(request: HttpRequest) -> str:
    raw = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def allow(request: HttpRequest) -> bool:
    """Count this look-up; ``False`` once the address has used up its minute."""
    address = _address(request)
    minute = timezone.now().replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            VerifyHit.objects.create(address=address, minute=minute, hits=1)
        VerifyHit.objects.filter(minute__lt=minute - dt.timedelta(hours=1)).delete()
        return True
    except IntegrityError:
        pass
    VerifyHit.objects.filter(address=address, minute=minute).update(hits=F("hits") + 1)
    hits = VerifyHit.objects.filter(address=address, minute=minute).values_list("hits", flat=True).first() or 0
    return hits <= limit()
