"""Routes for the cultivation year's setup part: training units, majors and the trainees' choice (附件1), city leads, training plans, mentors."""

from __future__ import annotations

from django.urls import URLPattern, path

from jiangxin.platform.cultivation import views_setup as v
from jiangxin.platform.cultivation import views_setup_majors as majors
from jiangxin.platform.cultivation import views_setup_plans as plans
from jiangxin.platform.cultivation import views_setup_year as year

urlpatterns: list[URLPattern] = [
    path("", v.home, name="home"),
    path("year/open/", year.year_open, name="year_open"),
    path("year/<int:pk>/", year.year_manage, name="year"),
    path("majors/", majors.majors, name="majors"),
    path("majors/<int:pk>/", majors.major_edit, name="major_edit"),
    path("choose/", majors.choose, name="choose"),
    path("trainees/", majors.trainees, name="unit_trainees"),
    path("choices.xlsx", majors.choices_export, name="choices_export"),
    path("mentors/", plans.mentors, name="mentors"),
    path("plans/", plans.plans, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
]
