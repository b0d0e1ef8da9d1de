from django.urls import path

from jiangxin.platform.designations import views

app_name = "designations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.change_status, name="set_status"),
    path("<int:pk>/leader/", views.leader, name="change_leader"),
]
