"""网上工匠学院 (第十条): teacher pool (师资库, 第九条), trainee database (学员库), course library (课程资源库),
training offerings, and the import jobs that fill the trainee database.

An "academy" is the member organisation whose users hold the ``unit`` role; every record carries that
organisation so :func:`jiangxin.platform.orgs.scope.scope` restricts it like all other business data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet
from jiangxin.platform.people.levels import SKILL_RANK, SkillLevel

# --- 师资库 (第九条) ---------------------------------------------------------------------------------------


class TeacherStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已入库")
    REJECTED = "rejected", _("已退回")
    MERGED = "merged", _("已合并")


class TeacherSource(models.TextChoices):
    SUBMITTED = "submitted", _("学院上报")
    INVITED = "invited", _("办公室邀请")


class Teacher(models.Model):
    """One teacher in the pool. ``honours`` is stored as ``|全国技术能手|洪城工匠|`` so a plain
    ``icontains`` finds an honour on SQLite and PostgreSQL alike."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("所属工匠学院/邀请单位"),
                                     on_delete=models.PROTECT, related_name="academy_teachers")
    source = models.CharField(_("来源"), max_length=20, choices=TeacherSource.choices,
                              default=TeacherSource.SUBMITTED)
    status = models.CharField(_("状态"), max_length=20, choices=TeacherStatus.choices,
                              default=TeacherStatus.PENDING, db_index=True)
    person = models.ForeignKey("people.Person", verbose_name=_("人员档案"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="academy_teacher_records")
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=200)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_mask = models.CharField(_("公民身份号码"), max_length=20, blank=True, editable=False)
    majors = models.CharField(_("授课专业"), max_length=300, help_text=_("多个专业用顿号或逗号分隔"))
    honours = models.CharField(_("荣誉称号"), max_length=300, blank=True)
    other_honours = models.CharField(_("其他荣誉"), max_length=300, blank=True)
    title = models.CharField(_("专业技术职称"), max_length=20, blank=True)
    tier_rate = models.DecimalField(_("授课补助标准（元/课时）"), max_digits=8, decimal_places=2, default=0)
    tier_basis = models.CharField(_("补助档次依据"), max_length=100, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_records")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    confirmed_on = models.DateField(_("信息确认日期"), default=timezone.localdate)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("师资")
        verbose_name_plural = _("师资库")

    def __str__(self) -> str:
        return f"{self.name}（{self.employer}）"

    @property
    def honour_list(self) -> list[str]:
        return [h for h in self.honours.split("|") if h]

    @property
    def major_list(self) -> list[str]:
        return split_list(self.majors)


def split_list(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", "/"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


# --- 学员库 (第十条) ---------------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败（已回滚）")


def import_path(instance: ImportJob, filename: str) -> str:
    return f"academy/imports/{instance.academy_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class ImportJob(models.Model):
    """One upload of a trainee file. Rows it inserted carry its id, so a failed job is removed exactly."""

    academy = models.ForeignKey("orgs.Organisation", verbose_name=_("工匠学院"), on_delete=models.PROTECT,
                                related_name="trainee_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    source = models.FileField(_("导入文件"), upload_to=import_path, max_length=300)
    source_name = models.CharField(_("文件名"), max_length=200)
    file_format = models.CharField(_("格式"), max_length=10)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(_("预计行数"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    inserted = models.PositiveIntegerField(_("新增"), default=0)
    duplicates = models.PositiveIntegerField(_("重复（未新增）"), default=0)
    #: "更新已有记录": rows whose natural key already exists overwrite the changed fields (else they are skipped)
    update_existing = models.BooleanField(_("更新已有记录"), default=False)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.PositiveIntegerField(_("错误行"), default=0)
    error_report = models.CharField(_("错误报告"), max_length=300, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: times a worker has started this job (a job whose worker died is taken up again automatically, once)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("学员导入")
        verbose_name_plural = _("学员导入")

    def __str__(self) -> str:
        return f"{self.source_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.processed * 100 / self.total))


class StagedTrainee(models.Model):
    """A checked row of a running import, not yet visible (暂存): the job moves all its staged rows into the
    trainee table in one transaction at the end; a failed or abandoned job's staged rows are simply dropped."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="staged")
    seq = models.PositiveIntegerField()  # order in the file (the first occurrence of a key wins)
    row = models.JSONField()  # the checked values, in ``rows.ROW_COLUMNS`` order (hash and mask, never the number)

    class Meta:
        ordering = ("job", "seq")
        indexes = (models.Index(fields=["job", "seq"], name="academy_staged_job_seq"),)


class Trainee(models.Model):
    """One trainee in one training session (参训记录). The ID number itself is not stored: a keyed hash
    (same key as the people registry, so records can be matched to a person) and the masked form are."""

    academy = models.ForeignKey("orgs.Organisation", verbose_name=_("工匠学院"), on_delete=models.PROTECT,
                                related_name="trainees")
    import_job = models.ForeignKey(ImportJob, verbose_name=_("导入批次"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rows")
    name = models.CharField(_("姓名"), max_length=50)
    id_hash = models.CharField(max_length=64)
    id_mask = models.CharField(_("公民身份号码"), max_length=20)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=6)
    major = models.CharField(_("培训专业"), max_length=100)
    session_code = models.CharField(_("培训期次编号"), max_length=50)
    start_date = models.DateField(_("培训开始日期"))
    end_date = models.DateField(_("培训结束日期"))
    level_before = models.CharField(_("培训前技能等级"), max_length=20, choices=SkillLevel.choices, blank=True)
    level_after = models.CharField(_("培训后技能等级"), max_length=20, choices=SkillLevel.choices, blank=True)
    upgraded = models.BooleanField(_("等级晋升"), default=False)
    migrant_worker = models.BooleanField(_("农民工"), default=False)
    unemployed_graduate = models.BooleanField(_("未就业大学生"), default=False)
    hardship_worker = models.BooleanField(_("困难职工"), default=False)

    class Meta:
        ordering = ("-end_date", "id")
        verbose_name = _("学员")
        verbose_name_plural = _("学员库")
        constraints = (
            models.UniqueConstraint(fields=["academy", "id_hash", "session_code", "end_date"],
                                    name="trainee_natural_key"),
        )
        indexes = (models.Index(fields=["academy", "end_date"], name="trainee_academy_end"),
                   models.Index(fields=["-end_date", "-id"], name="trainee_end"),
                   # prefix search (core.textsearch): LIKE 'x%' on PostgreSQL, a range on SQLite
                   models.Index(fields=["session_code"], name="trainee_session", opclasses=["varchar_pattern_ops"]),
                   models.Index(fields=["major"], name="trainee_major", opclasses=["varchar_pattern_ops"]),
                   models.Index(fields=["name"], name="trainee_name"))

    def __str__(self) -> str:
        return f"{self.name}（{self.id_mask}）{self.session_code}"

    @property
    def public_welfare(self) -> bool:
        return self.migrant_worker or self.unemployed_graduate or self.hardship_worker


def is_upgrade(before: str, after: str) -> bool:
    """A level obtained above the level held before (no level before counts as below 学徒工, I-ACAD-01)."""
    if not after:
        return False
    return SKILL_RANK[after] > (SKILL_RANK[before] if before else -1)


# --- 课程资源库 (第十条) ------------------------------------------------------------------------------------


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下架")


class Course(models.Model):
    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported

    academy = models.ForeignKey("orgs.Organisation", verbose_name=_("工匠学院"), on_delete=models.PROTECT,
                                related_name="courses")
    major = models.CharField(_("培训专业"), max_length=100)
    title = models.CharField(_("课程名称"), max_length=200)
    description = models.TextField(_("课程简介"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.DRAFT,
                              db_index=True)
    ip_declared = models.BooleanField(_("已声明拥有自主知识产权"), default=False)
    ip_declared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    first_published_on = models.DateField(_("首次发布日期"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("课程")
        verbose_name_plural = _("课程资源库")
        constraints = (
            models.CheckConstraint(condition=~Q(status="published") | Q(ip_declared=True),
                                   name="course_published_needs_declaration"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == CourseStatus.PUBLISHED


class MaterialKind(models.TextChoices):
    VIDEO = "video", _("教学视频")
    COURSEWARE = "courseware", _("课件")
    LESSON_PLAN = "lesson_plan", _("教案")


def material_path(instance: CourseMaterial, filename: str) -> str:
    return f"academy/courses/{instance.course_id}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S}.{instance.file_type}"


class CourseMaterial(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("资料类别"), max_length=20, choices=MaterialKind.choices)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=300)
    file_type = models.CharField(_("文件类型"), max_length=10)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ("kind", "id")
        verbose_name = _("课程资料")
        verbose_name_plural = _("课程资料")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def playable(self) -> bool:
        return self.file_type in ("mp4", "webm")

    @property
    def inline_pdf(self) -> bool:
        return self.file_type == "pdf"


# --- 培训项目 (offerings shown on the portal) -------------------------------------------------------------


class TrainingOffering(models.Model):
    academy = models.ForeignKey("orgs.Organisation", verbose_name=_("工匠学院"), on_delete=models.PROTECT,
                                related_name="training_offerings")
    title = models.CharField(_("培训项目名称"), max_length=200)
    major = models.CharField(_("培训专业"), max_length=100)
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"))
    place = models.CharField(_("培训地点"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("计划人数"), default=0)
    public_welfare = models.BooleanField(_("公益培训（免费）"), default=False,
                                         help_text=_("面向农民工、未就业大学生、困难职工等（第十六条）"))
    published = models.BooleanField(_("对外公布"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts", "id")
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")

    def __str__(self) -> str:
        return self.title

    @property
    def open_now(self) -> bool:
        return self.ends >= dt.date.today()
