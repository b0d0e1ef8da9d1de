from django.urls import path

from jiangxin.platform.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("new/", views.year_create, name="year_create"),
    path("<int:year>/", views.year_edit, name="year_edit"),
]
