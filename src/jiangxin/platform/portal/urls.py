from django.urls import path

from jiangxin.platform.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    # /public/notices/ belongs to the publicity app (its formal 公示); these are the read-model bulletins
    path("bulletins/", views.notices, name="notices"),
    path("teachers/", views.teachers, name="teachers"),
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("training/", views.training, name="training"),
]
