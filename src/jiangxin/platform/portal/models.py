"""Public read model (公众门户): what the public may see about named academies, studios, park studios and
craftsmen, and publicity notices. Later workflows (naming, revocation, publicity) write rows here through
:func:`jiangxin.platform.portal.services.publish_listing`; the portal only reads. Personal data is stored
already masked — nothing in this table needs protecting."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    ACADEMY = "academy", _("工匠学院")
    STUDIO = "studio", _("创新工作室")
    PARK_STUDIO = "park_studio", _("技能大师工作室（园区）")
    CRAFTSMAN = "craftsman", _("工匠")
    NOTICE = "notice", _("公示公告")


class PublicListing(models.Model):
    kind = models.CharField(_("类别"), max_length=20, choices=ListingKind.choices, db_index=True)
    source_key = models.CharField(_("来源标识"), max_length=100, unique=True,
                                  help_text=_("写入方的稳定标识，如 nanchang_academy:naming:42，重复写入即更新"))
    name = models.CharField(_("名称"), max_length=200)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("所属单位"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="public_listings")
    status = models.CharField(_("状态"), max_length=50)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("截止日期"), null=True, blank=True)
    masked_person = models.CharField(_("相关人员（已打码）"), max_length=200, blank=True)
    summary = models.TextField(_("简介"), blank=True)
    program = models.CharField(_("项目"), max_length=40, blank=True)
    published = models.BooleanField(_("公开"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("kind", "-since", "name")
        # the directory's order read straight from an index (a page of 50 without sorting every entry)
        indexes = (models.Index(fields=["kind", "-since", "name"], name="listing_directory_order"),)
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}（{self.status}）"
