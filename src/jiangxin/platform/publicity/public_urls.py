from django.urls import path

from jiangxin.platform.publicity import views

app_name = "public_notices"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
