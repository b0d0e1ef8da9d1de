"""Routes for the cultivation year's training part: attendance, hours and credits (XLSX import), leave requests, research reports, the training file."""

from __future__ import annotations

from django.urls import URLPattern, path

from jiangxin.platform.cultivation import views_training as views

urlpatterns: list[URLPattern] = [
    path("training/attendance/", views.attendance, name="training_attendance"),
    path("training/attendance/<int:pk>/", views.attendance_session, name="training_attendance_session"),
    path("training/attendance/template.xlsx", views.attendance_template, name="training_attendance_template"),
    path("training/attendance/import/", views.attendance_import, name="training_attendance_import"),
    path("training/attendance/import/errors.xlsx", views.attendance_import_errors,
         name="training_attendance_import_errors"),
    path("training/leave/", views.leave, name="training_leave"),
    path("training/leave/<int:pk>/decide/", views.leave_decide, name="training_leave_decide"),
    path("training/report/", views.my_report, name="training_my_report"),
    path("training/reports/", views.reports, name="training_reports"),
    path("training/reports/<int:pk>/", views.report_detail, name="training_report"),
    path("training/reports/<int:pk>/file/", views.report_file, name="training_report_file"),
    path("training/files/", views.files, name="training_files"),
    path("training/files/<int:pk>/", views.file_detail, name="training_file"),
    path("training/files/<int:pk>/file.xlsx", views.file_xlsx, name="training_file_xlsx"),
]
