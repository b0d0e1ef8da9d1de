"""A training unit's majors for the year (江苏卓越技师办法 第七条): saving and publishing them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_setup import _open, _require_unit
from jiangxin.platform.cultivation.models import CultivationYear, Major
from jiangxin.platform.cultivation.transitions import action


@action("cultivation.save_major")
def save_major(actor: Any, year: CultivationYear, *, major: Major | None = None, category: str, name: str,
               code: str = "", capacity: int | None = None, description: str = "") -> Major:
    """A training unit creates or edits one of its majors (第七条: by catalogue category)."""
    unit = _require_unit(actor, major.training_unit if major else None)
    _open(year)
    name = (name or "").strip()
    if not name:
        raise CultivationError(gettext("请填写专业名称。"))
    if major is not None and capacity is not None and capacity < major.enrolments.count():
        raise CultivationError(f"已有 {major.enrolments.count()} 人选择该专业，可承接人数不能少于此数。")
    if Major.objects.filter(year=year, training_unit=unit, name=name).exclude(pk=getattr(major, "pk", None)).exists():
        raise CultivationError(gettext("本单位本学年已有同名专业。"))
    with transaction.atomic():
        before = snapshot(major) if major else None
        if major is None:
            major = Major(year=year, training_unit=unit)
        major.category, major.name, major.code = category, name, code
        major.capacity, major.description = capacity, description
        major.save()
        record("cultivation.major_save", major, actor=actor, summary=f"承训专业：{major}", before=before,
               after=snapshot(major))
    return major


@action("cultivation.publish_major")
def publish_major(actor: Any, major: Major, *, published: bool = True) -> Major:
    _require_unit(actor, major.training_unit)
    _open(major.year)
    if not published and major.enrolments.exists():
        raise CultivationError(gettext("已有培育对象选择该专业，不能撤回发布。"))
    with transaction.atomic():
        major.published = published
        major.save(update_fields=["published"])
        record("cultivation.major_publish" if published else "cultivation.major_unpublish", major, actor=actor,
               summary=f"{'发布' if published else '撤回'}承训专业：{major}")
    return major
