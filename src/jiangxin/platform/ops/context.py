"""Template context: the running version for the footer."""

from __future__ import annotations

from django.http import HttpRequest

from jiangxin.platform.core.version import version


def app_version(request: HttpRequest) -> dict[str, str]:
    return {"jiangxin_version": version()}
