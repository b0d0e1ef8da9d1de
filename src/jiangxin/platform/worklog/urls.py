from django.urls import path

from jiangxin.platform.worklog import views

app_name = "worklog"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.ledger, name="ledger"),
    path("<int:pk>/records/new/", views.record_new, name="record_new"),
    path("records/<int:rid>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:rid>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:rid>/evidence/", views.record_evidence, name="record_evidence"),
    path("<int:pk>/funds/new/", views.fund_new, name="fund_new"),
    path("funds/<int:fid>/delete/", views.fund_delete, name="fund_delete"),
    path("funds/<int:fid>/evidence/", views.fund_evidence, name="fund_evidence"),
    path("evidence/<int:eid>/", views.evidence_file, name="evidence_file"),
]
