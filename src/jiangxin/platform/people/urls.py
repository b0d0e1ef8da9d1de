from django.urls import path

from jiangxin.platform.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/honours/new/", views.honour_add, name="honour_add"),
    path("<int:pk>/honours/<int:honour_id>/verify/", views.honour_verify, name="honour_verify"),
    path("<int:pk>/honours/<int:honour_id>/evidence/", views.honour_evidence, name="honour_evidence"),
    path("bans/", views.ban_list, name="bans"),
    path("bans/new/", views.ban_create, name="ban_create"),
]
