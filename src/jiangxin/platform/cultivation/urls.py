from __future__ import annotations

from jiangxin.platform.cultivation import urls_results, urls_setup, urls_training

app_name = "cultivation"

urlpatterns = [*urls_setup.urlpatterns, *urls_training.urlpatterns, *urls_results.urlpatterns]
