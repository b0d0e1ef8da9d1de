from django.urls import path

from jiangxin.platform.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="list"),
    path("new/", views.panel_create, name="create"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/experts/", views.panel_add_experts, name="add_experts"),
    path("<int:pk>/assign/", views.panel_assign, name="assign"),
    path("mine/", views.my_assignments, name="mine"),
    path("sheets/<int:pk>/", views.sheet_view, name="sheet"),
    path("sheets/<int:pk>/declare/", views.sheet_declare, name="declare"),
    path("sheets/<int:pk>/preview/", views.sheet_preview, name="preview"),
    path("sheets/<int:pk>/sign/", views.sheet_sign, name="sign"),
    path("sheets/<int:pk>/others/", views.sheet_others, name="others"),
    path("sheets/<int:pk>/replace/", views.sheet_replace, name="replace"),
    path("sheets/<int:pk>/reopen/", views.sheet_reopen, name="reopen"),
    path("sheets/<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
