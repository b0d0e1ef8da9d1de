from django.urls import path

from jiangxin.platform.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/rows/<int:row>/", views.row, name="row"),
    path("runs/<int:pk>/export.xlsx", views.export, name="export"),
    path("template/<str:program>/<str:computation>.csv", views.template_file, name="template"),
]
