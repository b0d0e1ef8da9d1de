"""Routes for the cultivation year's training part: attendance, hours and credits (XLSX import), leave requests, research reports, the training file."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
