"""Routes for the cultivation year's setup part: training units, majors and the trainees' choice (附件1), city leads, training plans, mentors."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
