"""Settings for the test suite (`pytest` picks them with --ds in pyproject.toml): the production settings with
DEBUG turned on explicitly, as `make demo` does — DEBUG is off unless someone asks for it."""

import os

os.environ.setdefault("DEBUG", "1")

from jiangxin.platform.settings import *  # noqa: F403

JIANGXIN_STATS_CACHE_SECONDS = 0  # every test sees statistics computed afresh (the snapshot test turns it on)
JIANGXIN_NAV_CACHE_SECONDS = 0  # every test sees counts computed afresh (the query-budget test turns the cache on)
