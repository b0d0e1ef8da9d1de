"""Applications (申报) and their evidence files (证明材料)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")
    RECOMMENDED = "recommended", _("初审通过")
    REJECTED = "rejected", _("未通过")


#: states in which the applicant may still edit
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
#: states that count as "in the round" for uniqueness (anything but withdrawn)
ACTIVE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.RECOMMENDED, Status.REJECTED)


class Application(models.Model):
    objects = GuardedQuerySet.as_manager()

    round = models.ForeignKey("rounds.Round", verbose_name=_("申报批次"), on_delete=models.PROTECT,
                              related_name="applications")
    kind = models.CharField(_("申报主体"), max_length=20,
                            choices=[("unit", _("单位申报")), ("individual", _("个人申报"))])
    title = models.CharField(_("申报名称"), max_length=200)
    #: the applicant unit (unit programs) or the body the individual applies through (individual programs)
    applicant_org = models.ForeignKey("orgs.Organisation", verbose_name=_("申报单位/受理单位"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="applications",
                                      db_index=False)  # led by ``application_org_status``
    applicant_person = models.ForeignKey("people.Person", verbose_name=_("申报人"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="applications")
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报账号"),
                                       on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    facts = models.JSONField(_("资格审查事实"), default=dict, blank=True)
    details = models.JSONField(_("申报表其他内容"), default=dict, blank=True)
    eligibility = models.JSONField(_("资格审查结果"), null=True, blank=True)
    eligibility_status = models.CharField(_("资格审查结论"), max_length=20, blank=True)
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    status_note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id",)
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        #: the list filters (status, round) and its order; the data scope (the applicant's organisation, in
        #: a district's subtree) with the status filter: a district's count reads its organisations' rows only
        indexes = (models.Index(fields=["status", "-updated_at", "-id"], name="application_status_updated"),
                   models.Index(fields=["round", "status"], name="application_round_status"),
                   models.Index(fields=["applicant_org", "status"], name="application_org_status"))
        constraints = (
            models.UniqueConstraint(fields=["round", "applicant_org"],
                                    condition=Q(kind="unit") & ~Q(status="withdrawn"),
                                    name="one_active_unit_application_per_round"),
            models.UniqueConstraint(fields=["round", "applicant_user"],
                                    condition=Q(kind="individual") & ~Q(status="withdrawn"),
                                    name="one_active_individual_application_per_round"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def failures(self) -> list[dict[str, Any]]:
        return list((self.eligibility or {}).get("failures", []))


def evidence_path(instance: Evidence, filename: str) -> str:
    # never the uploaded name: a random name with the sniffed extension
    return f"evidence/{instance.application_id}/{uuid.uuid4().hex}.{instance.file_type}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="evidence")
    condition = models.CharField(_("对应条件"), max_length=40)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ("condition", "uploaded_at", "id",)
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self) -> str:
        return self.original_name
