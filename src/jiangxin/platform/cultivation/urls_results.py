"""Routes for the cultivation year's results part: grading with caps, sanctions and bans, provincial acceptance (附件4), funding via the ledger, certificates, expenses, surveys (附件2/附件3), deferral."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
