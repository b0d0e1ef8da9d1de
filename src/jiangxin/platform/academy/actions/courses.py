"""Academy actions on the course library (第十条): creating a course, adding and removing its materials,
publishing and withdrawing it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import Course, CourseMaterial, CourseStatus
from jiangxin.platform.academy.selectors import is_academy, is_office, require_academy
from jiangxin.platform.academy.transitions import action
from jiangxin.platform.audit.service import record, snapshot


@action("academy.create_course")
def create_course(user: Any, *, major: str, title: str, description: str = "") -> Course:
    org = require_academy(user)
    with transaction.atomic():
        course = Course.objects.create(academy=org, major=major.strip(), title=title.strip(),
                                       description=description.strip(), created_by=user)
        record("academy.course.create", course, actor=user, summary=f"新建课程：{course.title}",
               after=snapshot(course))
    return course


def _own_course(user: Any, course: Course) -> None:
    if not is_academy(user) or course.academy_id != user.organisation_id:
        raise PermissionDenied("只有本学院可以修改本课程")


@action("academy.add_material")
def add_material(user: Any, course: Course, kind: str, uploaded: Any) -> CourseMaterial:
    from jiangxin.platform.academy.uploads import check_course_file

    _own_course(user, course)
    file_type, digest = check_course_file(uploaded, kind)
    with transaction.atomic():
        material = CourseMaterial(course=course, kind=kind, file_type=file_type,
                                  original_name=str(uploaded.name)[:200], size=uploaded.size, sha256=digest)
        material.file.save(str(uploaded.name), uploaded, save=False)
        material.save()
        record("academy.course.material", course, actor=user,
               summary=f"上传{material.get_kind_display()}：{material.original_name}",
               after={"kind": kind, "file_type": file_type, "size": material.size, "sha256": digest})
    return material


@action("academy.remove_material")
def remove_material(user: Any, material: CourseMaterial) -> None:
    course = material.course
    _own_course(user, course)
    if course.status == CourseStatus.PUBLISHED:
        raise AcademyError("已发布的课程不能删除资料，请先下架")
    with transaction.atomic():
        record("academy.course.material_remove", course, actor=user,
               summary=f"删除{material.get_kind_display()}：{material.original_name}",
               before={"kind": material.kind, "sha256": material.sha256})
        material.file.delete(save=False)
        material.delete()


@action("academy.publish_course")
def publish_course(user: Any, course: Course, *, declared: bool) -> Course:
    """Publish: requires the declaration of own intellectual property (自主知识产权) and a material."""
    _own_course(user, course)
    if not declared:
        raise AcademyError("发布前须声明本课程资料拥有自主知识产权")
    if not course.materials.exists():
        raise AcademyError("请至少上传一份教学视频、课件或教案后再发布")
    with transaction.atomic():
        before = snapshot(course)
        course.ip_declared = True
        course.ip_declared_at = timezone.now()
        course.status = CourseStatus.PUBLISHED
        if course.first_published_on is None:
            course.first_published_on = timezone.localdate()
        course.save()
        record("academy.course.publish", course, actor=user, summary=f"发布课程：{course.title}（已声明自主知识产权）",
               before=before, after=snapshot(course))
    return course


@action("academy.withdraw_course")
def withdraw_course(user: Any, course: Course) -> Course:
    if not is_office(user):
        _own_course(user, course)
    with transaction.atomic():
        before = snapshot(course)
        course.status = CourseStatus.WITHDRAWN
        course.save(update_fields=["status"])
        record("academy.course.withdraw", course, actor=user, summary=f"下架课程：{course.title}", before=before,
               after=snapshot(course))
    return course
