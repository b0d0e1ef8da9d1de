from django.urls import path

from jiangxin.platform.core import views

app_name = "core"
urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("profile/", views.profile, name="profile"),
    path("interpretations/<str:code>/", views.interpretation, name="interpretation"),
    path("profile/reveal-id/", views.reveal_own_id, name="reveal_own_id"),
]
