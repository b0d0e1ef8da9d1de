from django.urls import path

from jiangxin.platform.dashboards import views

app_name = "public_statistics"
urlpatterns = [
    path("", views.public_statistics, name="page"),
    path("export/<slug:key>.xlsx", views.public_export, name="export"),
]
