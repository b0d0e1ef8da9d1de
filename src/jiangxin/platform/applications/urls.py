from django.urls import path

from jiangxin.platform.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:round_id>/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/check/", views.application_check, name="check"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
]
