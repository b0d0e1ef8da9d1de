"""Document templates (文书模板) an office uploads to replace the shipped defaults."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RANKING_SHEET = "ranking_sheet", _("评审排名表")
    PUBLICITY_NOTICE = "publicity_notice", _("公示文件")
    NAMING_LIST = "naming_list", _("命名名单")
    NAMING_DECISION = "naming_decision", _("命名决定")
    CERTIFICATE = "certificate", _("证书")


#: which file type each kind is
FORMATS = {Kind.RANKING_SHEET: "xlsx", Kind.NAMING_LIST: "xlsx", Kind.PUBLICITY_NOTICE: "docx",
           Kind.NAMING_DECISION: "docx", Kind.CERTIFICATE: "docx"}


class DocumentTemplate(models.Model):
    kind = models.CharField(_("文书类别"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="document_templates")
    content = models.BinaryField(_("模板文件"))
    original_name = models.CharField(_("原文件名"), max_length=255)
    placeholders = models.JSONField(_("占位符"), default=list)
    active = models.BooleanField(_("使用中"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ("kind", "-uploaded_at", "-id")
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = (models.UniqueConstraint(fields=["kind", "organisation"], condition=models.Q(active=True),
                                               name="one_active_template_per_kind_and_org"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.original_name}）"

    @property
    def file_type(self) -> str:
        return FORMATS[Kind(self.kind)]


from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus, NumberCounter, VerifyHit  # noqa: E402

__all__ = ["FORMATS", "DocumentTemplate", "IssueStatus", "IssuedDocument", "Kind", "NumberCounter", "VerifyHit"]
