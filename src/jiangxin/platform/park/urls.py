from django.urls import path

from jiangxin.platform.park import views

app_name = "park"

urlpatterns = [
    path("", views.home, name="home"),
    path("admit/", views.admit, name="admit"),
    path("fees/", views.fees, name="fees"),
    path("presence/import/", views.presence_import, name="presence_import"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/", views.residency_detail, name="detail"),
    path("<int:pk>/report/", views.report_new, name="report_new"),
    path("<int:pk>/offering/", views.offering_new, name="offering_new"),
]
