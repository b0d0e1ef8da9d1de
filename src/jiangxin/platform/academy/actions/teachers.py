"""Academy actions on the teacher pool (师资库, 第九条): submitting, editing, confirming, reviewing, inviting
and merging teachers, each inside a transaction that writes the audit record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import Teacher, TeacherSource, TeacherStatus, split_list
from jiangxin.platform.academy.selectors import (
    is_academy,
    is_office,
    require_academy,
    require_office,
    teaching_tier,
)
from jiangxin.platform.academy.transitions import action
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.policy.errors import PolicyError

TEACHER_FIELDS = ("name", "employer", "majors", "honours", "other_honours", "title", "person")


def _apply_teacher(teacher: Teacher, data: dict[str, Any]) -> None:
    honours = [h for h in data.get("honours", []) if h]
    teacher.name = data["name"].strip()
    teacher.employer = data["employer"].strip()
    teacher.majors = "、".join(split_list(data["majors"]))
    teacher.honours = ("|" + "|".join(honours) + "|") if honours else ""
    teacher.other_honours = data.get("other_honours", "").strip()
    teacher.title = data.get("title", "") or ""
    id_number = (data.get("id_number") or "").strip()
    if id_number:
        from jiangxin.platform.people.crypto import id_hash
        from jiangxin.platform.people.models import Person
        from jiangxin.policy.identity import mask_resident_id, parse_resident_id

        try:
            parsed = parse_resident_id(id_number)
        except PolicyError as exc:
            raise AcademyError(str(exc).split(" / ")[0]) from None
        teacher.id_hash = id_hash(parsed.number)
        teacher.id_mask = mask_resident_id(parsed.number)
        teacher.person = Person.objects.filter(id_hash=teacher.id_hash).first()
    try:
        teacher.tier_rate, teacher.tier_basis = teaching_tier(honours, teacher.title)
    except PolicyError as exc:
        raise AcademyError(f"授课补助档次无法确定：{exc}") from None


def _teacher_snapshot(t: Teacher) -> dict[str, Any]:
    return snapshot(t, exclude=("id_hash",))


@action("academy.submit_teacher")
def submit_teacher(user: Any, data: dict[str, Any]) -> Teacher:
    """An academy submits a teacher for review (待审核)."""
    org = require_academy(user)
    with transaction.atomic():
        teacher = Teacher(organisation=org, source=TeacherSource.SUBMITTED, status=TeacherStatus.PENDING,
                          submitted_by=user, confirmed_on=timezone.localdate())
        _apply_teacher(teacher, data)
        teacher.save()
        record("academy.teacher.submit", teacher, actor=user, summary=f"上报师资：{teacher.name}",
               after=_teacher_snapshot(teacher))
    return teacher


@action("academy.update_teacher")
def update_teacher(user: Any, teacher: Teacher, data: dict[str, Any]) -> Teacher:
    """The academy corrects its record (a returned or approved record goes back to review)."""
    if is_academy(user):
        if teacher.organisation_id != user.organisation_id or teacher.status == TeacherStatus.MERGED:
            raise PermissionDenied("不能修改该师资记录")
    else:
        require_office(user)
    with transaction.atomic():
        before = _teacher_snapshot(teacher)
        _apply_teacher(teacher, data)
        teacher.confirmed_on = timezone.localdate()
        if is_academy(user) and teacher.source == TeacherSource.SUBMITTED:
            teacher.status = TeacherStatus.PENDING
            teacher.reject_reason = ""
        teacher.save()
        record("academy.teacher.update", teacher, actor=user, summary=f"更新师资：{teacher.name}", before=before,
               after=_teacher_snapshot(teacher))
    return teacher


@action("academy.confirm_teacher")
def confirm_teacher(user: Any, teacher: Teacher) -> Teacher:
    """Confirm the record is still current (定期补充完善): resets the update reminder."""
    if not (is_office(user) or (is_academy(user) and teacher.organisation_id == user.organisation_id)):
        raise PermissionDenied("不能确认该师资记录")
    with transaction.atomic():
        before = teacher.confirmed_on
        teacher.confirmed_on = timezone.localdate()
        teacher.save(update_fields=["confirmed_on", "updated_at"])
        record("academy.teacher.confirm", teacher, actor=user, summary=f"确认师资信息仍有效：{teacher.name}",
               before={"confirmed_on": before}, after={"confirmed_on": teacher.confirmed_on})
    return teacher


@action("academy.review_teacher")
def review_teacher(user: Any, teacher: Teacher, approve: bool, reason: str = "") -> Teacher:
    require_office(user)
    if teacher.status != TeacherStatus.PENDING:
        raise AcademyError("只能审核“待审核”的记录")
    if not approve and not reason.strip():
        raise AcademyError("退回须填写原因")
    with transaction.atomic():
        before = _teacher_snapshot(teacher)
        teacher.status = TeacherStatus.APPROVED if approve else TeacherStatus.REJECTED
        teacher.reject_reason = "" if approve else reason.strip()[:300]
        teacher.reviewed_by = user
        teacher.reviewed_at = timezone.now()
        teacher.save()
        record("academy.teacher.approve" if approve else "academy.teacher.reject", teacher, actor=user,
               summary=(f"师资审核通过：{teacher.name}" if approve else f"师资退回：{teacher.name}（{reason}）"),
               before=before, after=_teacher_snapshot(teacher))
    return teacher


@action("academy.invite_teacher")
def invite_teacher(user: Any, data: dict[str, Any]) -> Teacher:
    """The office adds an invited teacher (national experts, professors, …) straight into the pool."""
    require_office(user)
    with transaction.atomic():
        teacher = Teacher(organisation=user.organisation, source=TeacherSource.INVITED,
                          status=TeacherStatus.APPROVED, submitted_by=user, reviewed_by=user,
                          reviewed_at=timezone.now(), confirmed_on=timezone.localdate())
        _apply_teacher(teacher, data)
        teacher.save()
        record("academy.teacher.invite", teacher, actor=user, summary=f"邀请入库：{teacher.name}",
               after=_teacher_snapshot(teacher))
    return teacher


@action("academy.merge_teachers")
def merge_teachers(user: Any, duplicate: Teacher, into: Teacher) -> Teacher:
    """Fold a duplicate record (the same person reported twice, or reported and invited) into another:
    majors and honours are united, the tier recomputed, the duplicate kept as 已合并 for the record."""
    require_office(user)
    if duplicate.pk == into.pk:
        raise AcademyError("不能与自身合并")
    if TeacherStatus.MERGED in (duplicate.status, into.status):
        raise AcademyError("已合并的记录不能再次合并")
    with transaction.atomic():
        before = _teacher_snapshot(into)
        majors = split_list(into.majors)
        majors += [m for m in split_list(duplicate.majors) if m not in majors]
        honours = into.honour_list + [h for h in duplicate.honour_list if h not in into.honour_list]
        _apply_teacher(into, {"name": into.name, "employer": into.employer, "majors": "、".join(majors),
                              "honours": honours, "other_honours": "；".join(
                                  x for x in (into.other_honours, duplicate.other_honours) if x),
                              "title": into.title or duplicate.title})
        if not into.person_id and duplicate.person_id:
            into.person_id = duplicate.person_id
        if not into.id_hash and duplicate.id_hash:
            into.id_hash, into.id_mask = duplicate.id_hash, duplicate.id_mask
        if duplicate.status == TeacherStatus.APPROVED and into.status == TeacherStatus.PENDING:
            into.status = TeacherStatus.APPROVED
        into.confirmed_on = max(into.confirmed_on, duplicate.confirmed_on)
        into.save()
        duplicate.status = TeacherStatus.MERGED
        duplicate.merged_into = into
        duplicate.save(update_fields=["status", "merged_into", "updated_at"])
        record("academy.teacher.merge", into, actor=user,
               summary=f"合并师资记录：#{duplicate.pk} → #{into.pk}（{into.name}）", before=before,
               after=_teacher_snapshot(into))
    return into
