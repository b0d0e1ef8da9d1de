"""Policy tests run without a database: the platform's provider of office-entered calendar years is removed."""

from collections.abc import Iterator

import pytest

from jiangxin.policy import workdays


@pytest.fixture(autouse=True)
def _no_entered_calendar_years() -> Iterator[None]:
    saved = workdays._PROVIDER[0]
    workdays.register_year_provider(None)
    yield
    workdays.register_year_provider(saved)
