from django.urls import path

from jiangxin.platform.review import views, views_case, views_case_actions, views_rounds

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:pk>/", views_case.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", views_case_actions.case_action, name="case_action"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:pk>/ranking/", views_rounds.ranking, name="ranking"),
    path("rounds/<int:pk>/do/<slug:action>/", views_rounds.round_action, name="round_action"),
]
