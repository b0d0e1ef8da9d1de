from django.urls import path

from jiangxin.platform.api import views
from jiangxin.platform.api.api import api

app_name = "api"
urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
