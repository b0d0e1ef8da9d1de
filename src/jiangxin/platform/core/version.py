"""The running version, shown in the footer, the API and /healthz."""

from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def version() -> str:
    try:
        return metadata.version("jiangxin")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
