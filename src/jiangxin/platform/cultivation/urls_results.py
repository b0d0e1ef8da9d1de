"""Routes for the cultivation year's results part: grading with caps, sanctions and bans, provincial acceptance
(附件4), funding via the ledger, certificates, expenses, surveys (附件2/附件3), deferral."""

from __future__ import annotations

from django.urls import URLPattern, path

from jiangxin.platform.cultivation import views_results as v
from jiangxin.platform.cultivation import views_results_acceptance as acceptance
from jiangxin.platform.cultivation import views_results_grading as grading
from jiangxin.platform.cultivation import views_results_surveys as surveys

urlpatterns: list[URLPattern] = [
    path("results/", v.home, name="results_home"),
    path("results/grading/<int:unit>/", grading.grading, name="results_grading"),
    path("results/incidents/", grading.incidents, name="results_incidents"),
    path("results/incidents/<int:pk>/", grading.incident_detail, name="results_incident"),
    path("results/deferrals/", grading.deferrals, name="results_deferrals"),
    path("results/deferral/<int:pk>/", grading.deferral_request, name="results_deferral_request"),
    path("results/acceptance/<int:unit>/", acceptance.acceptance, name="results_acceptance"),
    path("results/certificate/<int:pk>/", acceptance.certificate, name="results_certificate"),
    path("results/expenses/", acceptance.expenses, name="results_expenses"),
    path("results/expenses.xlsx", acceptance.expenses_xlsx, name="results_expenses_xlsx"),
    path("results/surveys/", surveys.survey_summaries, name="results_surveys"),
    path("results/surveys/satisfaction/<int:pk>/", surveys.survey_satisfaction, name="results_survey_satisfaction"),
    path("results/surveys/employer/", surveys.survey_employer, name="results_survey_employer"),
    path("results/mine/", v.mine, name="results_mine"),
]
