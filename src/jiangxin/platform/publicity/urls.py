from django.urls import path

from jiangxin.platform.publicity import views

app_name = "publicity"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("rounds/<int:round_id>/new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("objections/<int:pk>/verify/", views.objection_verify, name="verify"),
]
