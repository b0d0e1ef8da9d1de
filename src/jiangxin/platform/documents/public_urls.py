from django.urls import path

from jiangxin.platform.documents import verify

app_name = "verify"
urlpatterns = [
    path("", verify.form, name="form"),
    path("<str:number>/", verify.detail, name="detail"),
]
