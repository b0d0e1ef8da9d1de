"""Designations (命名/入选/入驻/称号/培育) after naming, with an append-only event history.

A designation is held by an organisation (unit programs) or a person (individual programs). ``scope_org`` is
the organisation the record belongs to for data scope (the holder unit, or the body an individual applied
through), so staff see designations of their subtree through :func:`jiangxin.platform.orgs.scope.scope`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class Kind(models.TextChoices):
    NAMED = "named", _("命名")
    SELECTED = "selected", _("入选")
    ADMITTED = "admitted", _("入驻")
    TITLE = "title", _("称号")
    COHORT = "cohort", _("培育")


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    YELLOW_CARD = "yellow_card", _("黄牌警告")
    REVOKED = "revoked", _("已撤销")
    CYCLE_COMPLETE = "cycle_complete", _("周期届满")
    EXPIRED = "expired", _("期满")
    EXITED = "exited", _("已退出")


#: states from which nothing further happens
FINAL = frozenset({DesignationStatus.REVOKED, DesignationStatus.EXPIRED, DesignationStatus.EXITED})
#: states in which a designation still counts as held. After its subsidy cycle a named academy or studio
#: keeps its name and is still assessed every year; a failure then revokes it (南昌工匠学院办法 第二十四条,
#: 南昌创新工作室办法 第十四条).
LIVE = (DesignationStatus.ACTIVE, DesignationStatus.YELLOW_CARD, DesignationStatus.CYCLE_COMPLETE)


class Designation(models.Model):
    # no index of its own: ``designation_program_status`` and ``designation_list_order`` start with it
    program = models.CharField(_("项目"), max_length=50)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=200)
    holder_org = models.ForeignKey("orgs.Organisation", verbose_name=_("持有单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="designations")
    holder_person = models.ForeignKey("people.Person", verbose_name=_("持有人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="designations")
    scope_org = models.ForeignKey("orgs.Organisation", verbose_name=_("归属单位"), on_delete=models.PROTECT,
                                  related_name="scoped_designations")
    case = models.OneToOneField("review.Case", verbose_name=_("评审案卷"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="designation")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    designated_on = models.DateField(_("命名日期"))
    certificate_no = models.CharField(_("证书编号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=DesignationStatus.choices,
                              default=DesignationStatus.ACTIVE)  # indexed in Meta (no pattern copy)
    status_reason = models.TextField(_("状态说明"), blank=True)
    status_citation = models.CharField(_("依据条款"), max_length=200, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    ends_on = models.DateField(_("期满日期"), null=True, blank=True,
                               help_text=_("赣州三年培养期、镇江两年免租期、江苏两年跟踪培养期的最后一日"))
    ends_outcome = models.JSONField(_("期限计算结果"), null=True, blank=True)
    leader_person = models.ForeignKey("people.Person", verbose_name=_("领衔人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="led_designations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


    objects = GuardedQuerySet.as_manager()
    class Meta:
        ordering = ("program", "-year", "certificate_no")
        verbose_name = _("命名")
        verbose_name_plural = _("命名")
        # the list's order (``ordering``) read straight from an index: a page of 50 without sorting the program
        indexes = (models.Index(fields=["program", "-year", "certificate_no"], name="designation_list_order"),
                   models.Index(fields=["program", "status"], name="designation_program_status"),
                   # matched exactly (``status__in``), never by pattern: no ``*_like`` copy, one index fewer to
                   # write when a status changes (the yearly run changes 35,000)
                   models.Index(fields=["status"], name="designation_status"))

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_no}）"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def holder_label(self) -> str:
        if self.holder_org_id:
            return str(self.holder_org)
        return self.holder_person.name if self.holder_person else self.name


class CertificateCounter(models.Model):
    """The last certificate number issued per program and year (locked while a number is taken)."""

    program = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["program", "year"], name="one_counter_per_program_year"),)


class EventKind(models.TextChoices):
    DESIGNATED = "designated", _("命名")
    STATUS = "status", _("状态变更")
    LEADER = "leader", _("领衔人变更")


class DesignationEvent(models.Model):
    designation = models.ForeignKey(Designation, verbose_name=_("命名"), on_delete=models.PROTECT,
                                    related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    citation = models.CharField(_("依据条款"), max_length=200, blank=True)
    outcome = models.JSONField(_("计算结果"), null=True, blank=True)
    data = models.JSONField(_("记录内容"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("命名记录")
        verbose_name_plural = _("命名记录")

    def __str__(self) -> str:
        return f"{self.designation_id} {self.kind} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("designation events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("designation events are append-only")

    @property
    def from_label(self) -> str:
        return str(DesignationStatus(self.from_status).label) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(DesignationStatus(self.to_status).label) if self.to_status else ""
