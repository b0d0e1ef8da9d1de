"""Annual assessment rounds (年度考核) and one assessment per designation and year.

The scoring itself is never done here: the program's computation (``nanchang_academy/annual_score``,
``nanchang_studio/assessment_score``, ``zhenjiang_park/evaluation``) returns the Outcome that is stored as is.
赣州 has no scoring: the employer files the annual cultivation report and the office acknowledges it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    PUBLISHED = "published", _("结果已公布")


class AssessmentRound(models.Model):
    """The year's assessment of one program, opened by the office with a self-report deadline."""

    program = models.ForeignKey("rounds.Program", verbose_name=_("项目"), on_delete=models.PROTECT,
                                related_name="assessment_rounds")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    organiser = models.ForeignKey("orgs.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                  related_name="assessment_rounds")
    opens = models.DateField(_("开始日期"))
    self_report_due = models.DateField(_("自评报告截止日期"))
    office_parameters = models.JSONField(_("主管部门设定的参数"), default=dict, blank=True,
                                         help_text=_("如合格分数线"))
    rubric_data = models.JSONField(_("主管部门确认的考核标准"), default=dict, blank=True,
                                   help_text=_("仅创新工作室：主管部门提供的考核标准（YAML 转存）；留空则用模板"))
    reference = models.CharField(_("通知文号"), max_length=100, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)


    objects = GuardedQuerySet.as_manager()
    class Meta:
        ordering = ("-year", "program__key")
        verbose_name = _("年度考核批次")
        verbose_name_plural = _("年度考核批次")
        constraints = (
            models.UniqueConstraint(fields=("program", "year"), name="assessment_round_once_per_year"),
            models.CheckConstraint(condition=models.Q(self_report_due__gte=models.F("opens")),
                                   name="assessment_round_due_after_opens",
                                   violation_error_message="自评报告截止日期不能早于开始日期"),
        )

    def __str__(self) -> str:
        return f"{self.year}年度 {self.program.title} 考核"


class AssessmentStatus(models.TextChoices):
    PENDING = "pending", _("待提交")
    SUBMITTED = "submitted", _("已提交")
    SCORED = "scored", _("已评分")
    PUBLISHED = "published", _("已公布")


def report_path(instance: Assessment, filename: str) -> str:
    # never the uploaded name: a random name with the sniffed extension
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assessments/{instance.round_id}/{instance.pk or 0}/{uuid.uuid4().hex}.{ext}"


class Assessment(models.Model):
    """One designation's assessment in one year's round."""

    round = models.ForeignKey(AssessmentRound, verbose_name=_("考核批次"), on_delete=models.PROTECT,
                              related_name="assessments")
    designation = models.ForeignKey("designations.Designation", verbose_name=_("命名/入选"),
                                    on_delete=models.PROTECT, related_name="assessments")
    self_report = models.TextField(_("自评报告"), blank=True)
    summary = models.TextField(_("年度工作总结"), blank=True)
    self_report_file = models.FileField(_("自评报告文件"), upload_to=report_path, max_length=255, blank=True)
    self_report_sha256 = models.CharField(max_length=64, blank=True)
    self_report_name = models.CharField(max_length=255, blank=True)
    summary_file = models.FileField(_("总结报告文件"), upload_to=report_path, max_length=255, blank=True)
    summary_sha256 = models.CharField(max_length=64, blank=True)
    summary_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    late = models.BooleanField(_("逾期提交"), default=False)
    reminded_at = models.DateTimeField(_("催报时间"), null=True, blank=True)
    entries = models.JSONField(_("评分项目输入"), default=dict, blank=True)
    record_links = models.JSONField(_("对应工作记录"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    passed = models.BooleanField(_("是否合格"), null=True, blank=True)
    outcome = models.JSONField(_("计算结果"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.PENDING)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)


    objects = GuardedQuerySet.as_manager()
    class Meta:
        ordering = ("round", "designation_id")
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = (
            models.UniqueConstraint(fields=("round", "designation"), name="assessment_once_per_round"),
        )

    def __str__(self) -> str:
        return f"{self.round} — {self.designation}"

    @property
    def year(self) -> int:
        return self.round.year
