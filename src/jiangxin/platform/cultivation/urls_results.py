"""Routes for the cultivation year's results part: grading with caps, sanctions and bans, provincial acceptance
(附件4), funding via the ledger, certificates, expenses, surveys (附件2/附件3), deferral."""

from __future__ import annotations

from django.urls import URLPattern, path

from jiangxin.platform.cultivation import views_results as v

urlpatterns: list[URLPattern] = [
    path("results/", v.home, name="results_home"),
    path("results/grading/<int:unit>/", v.grading, name="results_grading"),
    path("results/incidents/", v.incidents, name="results_incidents"),
    path("results/incidents/<int:pk>/", v.incident_detail, name="results_incident"),
    path("results/deferrals/", v.deferrals, name="results_deferrals"),
    path("results/deferral/<int:pk>/", v.deferral_request, name="results_deferral_request"),
    path("results/acceptance/<int:unit>/", v.acceptance, name="results_acceptance"),
    path("results/certificate/<int:pk>/", v.certificate, name="results_certificate"),
    path("results/expenses/", v.expenses, name="results_expenses"),
    path("results/expenses.xlsx", v.expenses_xlsx, name="results_expenses_xlsx"),
    path("results/surveys/", v.survey_summaries, name="results_surveys"),
    path("results/surveys/satisfaction/<int:pk>/", v.survey_satisfaction, name="results_survey_satisfaction"),
    path("results/surveys/employer/", v.survey_employer, name="results_survey_employer"),
    path("results/mine/", v.mine, name="results_mine"),
]
