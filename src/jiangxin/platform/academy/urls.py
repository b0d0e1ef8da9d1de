from django.urls import path

from jiangxin.platform.academy import views, views_courses, views_teachers, views_trainees

app_name = "academy"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<int:pk>/", views.academy, name="academy"),
    path("teachers/", views_teachers.teachers, name="teachers"),
    path("teachers/new/", views_teachers.teacher_new, name="teacher_new"),
    path("teachers/<int:pk>/", views_teachers.teacher, name="teacher"),
    path("teachers/<int:pk>/edit/", views_teachers.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/review/", views_teachers.teacher_review, name="teacher_review"),
    path("teachers/<int:pk>/confirm/", views_teachers.teacher_confirm, name="teacher_confirm"),
    path("teachers/<int:pk>/merge/", views_teachers.teacher_merge, name="teacher_merge"),
    path("trainees/", views_trainees.trainees, name="trainees"),
    path("trainees/template.<str:fmt>", views_trainees.trainee_template, name="trainee_template"),
    path("trainees/import/", views_trainees.trainee_import, name="trainee_import"),
    path("trainees/imports/<int:pk>/", views_trainees.import_job, name="import_job"),
    path("trainees/imports/<int:pk>/retry/", views_trainees.import_retry, name="import_retry"),
    path("trainees/imports/<int:pk>/errors.csv", views_trainees.import_errors, name="import_errors"),
    path("trainees/statistics.xlsx", views_trainees.trainee_export, name="trainee_export"),
    path("courses/", views_courses.courses, name="courses"),
    path("courses/<int:pk>/", views_courses.course, name="course"),
    path("materials/<int:pk>/", views_courses.material, name="material"),
    path("offerings/", views_courses.offerings, name="offerings"),
]
