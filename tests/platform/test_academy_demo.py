"""The academy demo loads on top of the platform demo, is idempotent and leaves the story visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_load_academy_demo(settings: Any, tmp_path: Path) -> None:
    from jiangxin.platform.academy import facts
    from jiangxin.platform.academy.models import Course, Teacher, Trainee
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.demo.data import Demo
    from jiangxin.platform.demo.loaders.academy import load_academy_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    assert load_academy_demo() is False  # no platform demo yet
    Demo().run()
    assert load_academy_demo() is True
    unit = User.objects.get(username="demo_unit_nc").organisation
    assert Teacher.objects.filter(status="approved").count() == 4
    assert Trainee.objects.filter(academy=unit).count() == 240
    assert Course.objects.filter(academy=unit, status="published").count() == 3
    from django.utils import timezone

    assert facts.new_course_count(unit.pk, timezone.localdate().year) == 3
    assert facts.promotion_counts(unit.pk, 2026)
    assert load_academy_demo() is False
