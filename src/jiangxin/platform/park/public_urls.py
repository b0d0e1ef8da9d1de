from django.urls import path

from jiangxin.platform.park import views

app_name = "park_public"

urlpatterns = [
    path("", views.public_catalogue, name="catalogue"),
    path("request/", views.public_request, name="request"),
]
