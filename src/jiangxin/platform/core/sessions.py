"""Sliding idle timeout without a session write on every page.

Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row on every request (an UPDATE on each GET). This
middleware keeps the same sliding window — a session ends ``SESSION_COOKIE_AGE`` (30 minutes) after the last
activity — but renews it at most once every ``JIANGXIN_SESSION_RENEW_SECONDS`` (default 60): a request that
changed nothing in the session writes it only when the last renewal is older than that. The idle logout thus
happens between 29 and 30 minutes after the last activity: never later than the 30 minutes required.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

#: session key holding the time (epoch seconds) of the last renewal
RENEWED = "_jx_renewed"


def renew_seconds() -> int:
    return int(getattr(settings, "JIANGXIN_SESSION_RENEW_SECONDS", 60))


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if (session is not None and session.accessed and not session.modified and not session.is_empty()
                and session.session_key and not settings.SESSION_SAVE_EVERY_REQUEST):
            now = int(time.time())
            renewed = session.get(RENEWED)
            if not isinstance(renewed, int) or now - renewed >= renew_seconds():
                session[RENEWED] = now  # marks the session modified: saved with a new expiry below
        return super().process_response(request, response)
