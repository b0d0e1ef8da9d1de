"""Academy services, the public surface: every change to teachers, trainee imports, courses and offerings goes
through the actions re-exported here, inside a transaction that writes the audit record; queries go through
``orgs.scope.scope``.

The reads live in :mod:`.selectors`, the changes in :mod:`.actions` (one module per record); this module only
re-exports them so that callers keep importing ``academy.services``."""

from __future__ import annotations

from jiangxin.platform.academy.actions.courses import (
    add_material,
    create_course,
    publish_course,
    remove_material,
    withdraw_course,
)
from jiangxin.platform.academy.actions.imports import enqueue_import, retry_import, start_import
from jiangxin.platform.academy.actions.offerings import create_offering
from jiangxin.platform.academy.actions.teachers import (
    TEACHER_FIELDS,
    confirm_teacher,
    invite_teacher,
    merge_teachers,
    review_teacher,
    submit_teacher,
    update_teacher,
)
from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.selectors import (
    TEACHING,
    can_use,
    honour_choices,
    is_academy,
    is_office,
    is_staff_viewer,
    material_visible,
    refresh_days,
    require_academy,
    require_office,
    stale_teachers,
    teaching_tier,
    title_choices,
    visible_courses,
    visible_jobs,
    visible_offerings,
    visible_teachers,
    visible_trainees,
    who_academy,
    who_either,
    who_office,
)

__all__ = [
    "TEACHER_FIELDS", "TEACHING", "AcademyError", "add_material", "can_use", "confirm_teacher",
    "create_course", "create_offering", "enqueue_import", "honour_choices", "invite_teacher", "is_academy",
    "is_office", "is_staff_viewer", "material_visible", "merge_teachers", "publish_course", "refresh_days",
    "remove_material", "require_academy", "require_office", "retry_import", "review_teacher",
    "stale_teachers", "start_import", "submit_teacher", "teaching_tier", "title_choices", "update_teacher",
    "visible_courses", "visible_jobs", "visible_offerings", "visible_teachers", "visible_trainees",
    "who_academy", "who_either", "who_office", "withdraw_course",
]
