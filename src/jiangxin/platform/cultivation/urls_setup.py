"""Routes for the cultivation year's setup part: training units, majors and the trainees' choice (附件1), city leads, training plans, mentors."""

from __future__ import annotations

from django.urls import URLPattern, path

from jiangxin.platform.cultivation import views_setup as v

urlpatterns: list[URLPattern] = [
    path("", v.home, name="home"),
    path("year/open/", v.year_open, name="year_open"),
    path("year/<int:pk>/", v.year_manage, name="year"),
    path("majors/", v.majors, name="majors"),
    path("majors/<int:pk>/", v.major_edit, name="major_edit"),
    path("choose/", v.choose, name="choose"),
    path("trainees/", v.trainees, name="unit_trainees"),
    path("choices.xlsx", v.choices_export, name="choices_export"),
    path("mentors/", v.mentors, name="mentors"),
    path("plans/", v.plans, name="plans"),
    path("plans/<int:pk>/", v.plan_detail, name="plan"),
]
