"""A screening run (筛查任务): who ran which program's screen over which population, its progress and result.

The result itself — every condition for every row, and the columns read — is a compressed NumPy file in the file
store (``result_file``), so a run over a million people is one row here, and any row can be reopened to its full
per-person trace."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Source(models.TextChoices):
    REGISTRY = "registry", _("人员库（本单位数据范围）")
    UPLOAD = "upload", _("上传的名单（XLSX/CSV）")


class ScreeningRun(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("单位"), on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    program = models.CharField(_("项目"), max_length=50)
    computation = models.CharField(_("计算"), max_length=50)
    source = models.CharField(_("筛查范围"), max_length=20, choices=Source.choices)
    upload = models.FileField(_("名单文件"), upload_to="screening/uploads/", blank=True)
    upload_name = models.CharField(_("文件名"), max_length=200, blank=True)
    plan_year = models.PositiveSmallIntegerField(_("计划年度"))
    as_of = models.DateField(_("判断日期"))
    track = models.CharField(_("类别"), max_length=10, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    total = models.PositiveIntegerField(_("人数"), default=0)
    eligible = models.PositiveIntegerField(_("符合"), default=0)
    near = models.PositiveIntegerField(_("差一项"), default=0)
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["organisation", "-created_at"])]  # noqa: RUF012
        verbose_name = _("筛查任务")
        verbose_name_plural = _("筛查任务")

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)
