"""Academy services: every change to teachers, trainee imports, courses and offerings goes through here,
inside a transaction that writes the audit record. Queries go through ``orgs.scope.scope``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import (
    Course,
    CourseMaterial,
    CourseStatus,
    ImportJob,
    ImportStatus,
    Teacher,
    TeacherSource,
    TeacherStatus,
    TrainingOffering,
    split_list,
)
from jiangxin.platform.academy.transitions import action
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.orgs.models import Jurisdiction, Organisation
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.registry import get_computation

# --- who is who ------------------------------------------------------------------------------------------


def is_academy(user: Any) -> bool:
    """A unit user of a Nanchang member organisation acts for that academy (工匠学院)."""
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.UNIT
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def is_office(user: Any) -> bool:
    """Office staff (role office) of the Nanchang union (工匠学院建设工作领导小组办公室) or its subtree."""
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.OFFICE
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def is_staff_viewer(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.DISTRICT
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def can_use(user: Any) -> bool:
    return is_academy(user) or is_office(user) or is_staff_viewer(user)


def require_academy(user: Any) -> Organisation:
    if not is_academy(user):
        raise PermissionDenied("只有工匠学院（申报单位）账号可以办理")
    org: Organisation = user.organisation
    return org


def require_office(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied("只有工匠学院建设工作领导小组办公室可以办理")


def who_office(user: Any, *_args: Any, **_kwargs: Any) -> None:
    require_office(user)


def who_academy(user: Any, *_args: Any, **_kwargs: Any) -> None:
    require_academy(user)


def who_either(user: Any, *_args: Any, **_kwargs: Any) -> None:
    if not (is_office(user) or is_academy(user)):
        raise PermissionDenied("无权办理")


def visible_teachers(user: Any) -> QuerySet[Teacher]:
    if not can_use(user):
        return Teacher.objects.none()
    return scope(Teacher.objects.select_related("organisation"), user, org_field="organisation")


def visible_jobs(user: Any) -> QuerySet[ImportJob]:
    if not can_use(user):
        return ImportJob.objects.none()
    return scope(ImportJob.objects.select_related("academy"), user, org_field="academy")


def visible_courses(user: Any) -> QuerySet[Course]:
    if not can_use(user):
        return Course.objects.none()
    return scope(Course.objects.select_related("academy"), user, org_field="academy")


def visible_offerings(user: Any) -> QuerySet[TrainingOffering]:
    if not can_use(user):
        return TrainingOffering.objects.none()
    return scope(TrainingOffering.objects.select_related("academy"), user, org_field="academy")


def visible_trainees(user: Any) -> QuerySet[Any]:
    from jiangxin.platform.academy.models import Trainee

    if not can_use(user):
        return Trainee.objects.none()
    return scope(Trainee.objects.select_related("academy"), user, org_field="academy")


# --- teachers (第九条) ---------------------------------------------------------------------------------------

TEACHING = ("nanchang_academy", "teaching_subsidy")


def teaching_tier(honours: list[str], title: str, on: dt.date | None = None) -> tuple[Decimal, str]:
    """The teacher's rate per lesson-hour and its basis, from the 第二十一条（三） computation itself
    (one lesson-hour through ``nanchang_academy/teaching_subsidy``; the tier table lives only there)."""
    lesson: dict[str, Any] = {"teacher": "tier", "honours": honours, "hours": 1}
    if title:
        lesson["title"] = title
    outcome = get_computation(*TEACHING).run({"as_of": (on or timezone.localdate()).isoformat(),
                                             "lessons": [lesson]})
    line = outcome.value.lines[0]
    return Decimal(line.rate), str(line.label)


def honour_choices() -> list[tuple[str, str]]:
    from jiangxin.programs.nanchang_academy.funding import Honour

    return [(h.value, _enum(h.value)) for h in Honour]


def title_choices() -> list[tuple[str, str]]:
    from jiangxin.programs.nanchang_academy.funding import Title

    return [("", gettext("无/其他"))] + [(t.value, _enum(t.value)) for t in Title]


def _enum(value: str) -> str:
    """An honour or title (stored in Chinese, the term of the rules) in the reader's language."""
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    return enum_label(None, "", value, get_language() or "zh-hans")


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


def refresh_days() -> int:
    return int(getattr(settings, "JIANGXIN_TEACHER_REFRESH_DAYS", 365))


def stale_teachers(user: Any) -> QuerySet[Teacher]:
    """Pool records not confirmed within the refresh period (定期补充完善, 第九条)."""
    limit = timezone.localdate() - dt.timedelta(days=refresh_days())
    return visible_teachers(user).filter(status=TeacherStatus.APPROVED, confirmed_on__lt=limit)


# --- trainee imports ---------------------------------------------------------------------------------------


@action("academy.start_import")
def start_import(user: Any, uploaded: Any, *, update_existing: bool = False) -> ImportJob:
    """Save the file, create the job and enqueue the background task (django.tasks).

    ``update_existing`` ("更新已有记录"): rows already in the database under the same key (ID number,
    session code, end date) take the file's corrected values instead of being skipped."""
    org = require_academy(user)
    name = str(getattr(uploaded, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("csv", "xlsx"):
        raise AcademyError("只接受模板格式的 CSV 或 XLSX 文件")
    head = uploaded.read(8)
    uploaded.seek(0)
    if ext == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise AcademyError("文件内容不是 XLSX（可能被改名），请用模板另存")
    if ext == "xlsx":
        from jiangxin.platform.core.filecheck import FileRejected, check_zip_declared

        try:  # zip bombs and macros: sizes from the directory (zipfile enforces them while the job reads)
            check_zip_declared(uploaded.file, max_total=int(getattr(
                settings, "JIANGXIN_TRAINEE_IMPORT_MAX_UNPACKED_BYTES", 8 * 1024 * 1024 * 1024)))
        except FileRejected as exc:
            raise AcademyError(str(exc)) from None
    if ext == "csv" and head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise AcademyError("文件内容不是 CSV 文本，请用模板另存为 CSV（UTF-8）")
    limit = int(getattr(settings, "JIANGXIN_TRAINEE_IMPORT_MAX_BYTES", 512 * 1024 * 1024))
    if uploaded.size > limit:
        raise AcademyError(f"文件过大（上限 {limit // 1048576} MB），请分批导入")
    from jiangxin.platform.academy import importer

    importer.recover_stale_jobs(org.pk)
    with transaction.atomic():
        # one import per academy at a time: a rollback then never touches rows another job relies on
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        if ImportJob.objects.filter(academy=org, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).exists():
            raise AcademyError("本学院已有导入正在进行，请等待其完成后再导入")
        job = ImportJob(academy=org, created_by=user, source_name=name[:200], file_format=ext,
                        update_existing=update_existing)
        _store_encrypted(job, name, uploaded)
        job.save()
        record("academy.import.start", job, actor=user,
               summary=f"上传学员文件：{name}" + ("（更新已有记录）" if update_existing else ""),
               after={"update_existing": update_existing})
    enqueue_import(job)
    job.refresh_from_db()
    return job


def _store_encrypted(job: ImportJob, name: str, uploaded: Any) -> None:
    """The raw file holds ID numbers: it is written encrypted (people.filecrypt), never in plain text."""
    from pathlib import Path

    from jiangxin.platform.people import filecrypt

    field = job.source
    stored = field.storage.get_available_name(field.field.generate_filename(job, f"{name}.enc"),
                                              max_length=field.field.max_length)
    filecrypt.encrypt_stream(uploaded, Path(field.storage.path(stored)))
    field.name = stored


def retry_import(user: Any, job: ImportJob, *, expect: str | None = None) -> ImportJob:
    """Queue a failed import again (重新导入) with its stored file; a stale job elsewhere never blocks it."""
    from jiangxin.platform.academy import importer
    from jiangxin.platform.academy import transitions as T

    require_academy(user)
    importer.recover_stale_jobs(job.academy_id)
    T.retry_job(job, actor=user, expect=expect)
    enqueue_import(job)
    job.refresh_from_db()
    return job


def enqueue_import(job: ImportJob) -> None:
    from jiangxin.platform.academy.jobs import import_trainees

    import_trainees.enqueue(job.pk)


# --- courses (第十条) ----------------------------------------------------------------------------------------


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


def material_visible(user: Any, material: CourseMaterial) -> bool:
    """Published courses are public; drafts and withdrawn courses only for the academy and the office."""
    if material.course.status == CourseStatus.PUBLISHED:
        return True
    return visible_courses(user).filter(pk=material.course_id).exists()


# --- offerings ---------------------------------------------------------------------------------------------


@action("academy.create_offering")
def create_offering(user: Any, **values: Any) -> TrainingOffering:
    org = require_academy(user)
    if values["ends"] < values["starts"]:
        raise AcademyError("结束日期不能早于开始日期")
    with transaction.atomic():
        offering = TrainingOffering.objects.create(academy=org, **values)
        record("academy.offering.create", offering, actor=user, summary=f"发布培训项目：{offering.title}",
               after=snapshot(offering))
    return offering
