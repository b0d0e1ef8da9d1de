from django.urls import path

from jiangxin.platform.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("verify/", views.verify, name="verify"),
    path("verify/checkpoint/", views.export_checkpoint, name="checkpoint"),
    path("export.<str:fmt>", views.export_events, name="export"),
]
