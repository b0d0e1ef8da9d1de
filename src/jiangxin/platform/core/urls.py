from django.urls import path

from jiangxin.platform.core import picks, views

app_name = "core"
urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("profile/", views.profile, name="profile"),
    path("interpretations/<str:code>/", views.interpretation, name="interpretation"),
    path("picks/<str:key>/", picks.pick_view, name="picks"),
    path("profile/reveal-id/", views.reveal_own_id, name="reveal_own_id"),
]
