from django.urls import path

from jiangxin.platform.ops import health, metrics

app_name = "ops"
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
]
