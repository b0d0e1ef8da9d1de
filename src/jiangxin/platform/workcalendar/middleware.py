"""A computation that needs a calendar year nobody has entered yet answers a plain page, never an error page.

Views that compute deadlines catch the error themselves where they can show the rest of the page; this is the
net under all of them: it names the year, says that no date was guessed, and links to the calendar page (where
the system administrator enters the year)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiangxin.policy.errors import CalendarYearUnknownError


class CalendarYearMissingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CalendarYearUnknownError):
            return None
        return render(request, "workcalendar/year_missing.html", {"year": exception.year}, status=200)
