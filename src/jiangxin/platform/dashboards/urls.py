from django.urls import path

from jiangxin.platform.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>.xlsx", views.export, name="export"),
]
