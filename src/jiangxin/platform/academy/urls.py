from django.urls import path

from jiangxin.platform.academy import views

app_name = "academy"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<int:pk>/", views.academy, name="academy"),
    path("teachers/", views.teachers, name="teachers"),
    path("teachers/new/", views.teacher_new, name="teacher_new"),
    path("teachers/<int:pk>/", views.teacher, name="teacher"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/review/", views.teacher_review, name="teacher_review"),
    path("teachers/<int:pk>/confirm/", views.teacher_confirm, name="teacher_confirm"),
    path("teachers/<int:pk>/merge/", views.teacher_merge, name="teacher_merge"),
    path("trainees/", views.trainees, name="trainees"),
    path("trainees/template.<str:fmt>", views.trainee_template, name="trainee_template"),
    path("trainees/import/", views.trainee_import, name="trainee_import"),
    path("trainees/imports/<int:pk>/", views.import_job, name="import_job"),
    path("trainees/imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("trainees/imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("trainees/statistics.xlsx", views.trainee_export, name="trainee_export"),
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("offerings/", views.offerings, name="offerings"),
]
