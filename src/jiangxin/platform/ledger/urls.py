from django.urls import path

from jiangxin.platform.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.office, name="office"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("what-if/", views.what_if, name="what_if"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/<int:pk>/<slug:computation>/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/evidence/", views.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<int:pk>/xlsx/", views.batch_export, name="batch_export"),
    path("mine/", views.unit, name="unit"),
]
