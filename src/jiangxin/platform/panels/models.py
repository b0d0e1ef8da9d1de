"""Expert panels (评审专家组): members, assigned applications, conflict declarations and score sheets.

A panel scores the applications of one round's scoring stage. Every (member, assigned application) pair has
one :class:`ScoreSheet`; the sheet is the per-expert assignment (experts see only applications they hold a
sheet for). A sheet is ``recused`` when the expert has a conflict of interest (declared or blocked by the
system); recused sheets are excluded from aggregation and the office may name a substitute.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class Aggregation(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉最高分和最低分后平均")


class Panel(models.Model):
    round = models.ForeignKey("rounds.Round", verbose_name=_("申报批次"), on_delete=models.PROTECT,
                              related_name="panels")
    stage_key = models.CharField(_("评审环节"), max_length=50)
    title = models.CharField(_("专家组名称"), max_length=200)
    rubric_key = models.CharField(_("评分表"), max_length=80)
    #: an office-loaded rubric (YAML parsed to data); when set it is used instead of the shipped one
    rubric_data = models.JSONField(_("主管部门载入的评分表"), null=True, blank=True)
    aggregation = models.CharField(_("汇总方式"), max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.MEAN)
    trim_count = models.PositiveSmallIntegerField(
        _("去掉最高分、最低分各几个"), default=1,
        help_text=_("仅在“去掉最高分和最低分后平均”时使用（口径 I-PANEL-01）"))
    trim_min_experts = models.PositiveSmallIntegerField(
        _("去高去低所需的最少专家数"), default=5,
        help_text=_("有效评分专家少于此数时按算术平均（口径 I-PANEL-01）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")
        constraints = (
            models.UniqueConstraint(fields=["round", "stage_key"], name="one_panel_per_round_stage"),
        )

    def __str__(self) -> str:
        return self.title


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, verbose_name=_("专家组"), on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                               related_name="panel_memberships")
    #: a substitute scores only the applications the office named them for (not every assignment)
    substitute = models.BooleanField(_("替补专家"), default=False)
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ("panel", "id")
        verbose_name = _("专家组成员")
        verbose_name_plural = _("专家组成员")
        constraints = (models.UniqueConstraint(fields=["panel", "expert"], name="one_membership_per_panel"),)

    def __str__(self) -> str:
        return str(self.expert)


class Assignment(models.Model):
    panel = models.ForeignKey(Panel, verbose_name=_("专家组"), on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="panel_assignments")
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        ordering = ("panel", "id")
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        constraints = (models.UniqueConstraint(fields=["panel", "application"], name="one_assignment_per_panel"),)


class ConflictBasis(models.TextChoices):
    DECLARED = "declared", _("专家本人申报")
    SAME_EMPLOYER = "same_employer", _("与申报单位为同一单位")
    SAME_DISTRICT = "same_district", _("与申报单位同属一个县区")


class ConflictDeclaration(models.Model):
    """利益冲突声明: the expert's own declaration, or the system's automatic block."""

    member = models.ForeignKey(PanelMember, verbose_name=_("专家"), on_delete=models.CASCADE,
                               related_name="declarations")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="conflict_declarations")
    conflict = models.BooleanField(_("存在利益冲突"))
    basis = models.CharField(_("依据"), max_length=20, choices=ConflictBasis.choices, default=ConflictBasis.DECLARED)
    automatic = models.BooleanField(_("系统自动回避"), default=False)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("声明时间"), auto_now_add=True)

    class Meta:
        ordering = ("member", "id")
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        constraints = (models.UniqueConstraint(fields=["member", "application"], name="one_declaration_per_sheet"),)


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")
    SIGNED = "signed", _("已签字确认")
    RECUSED = "recused", _("已回避")


class ScoreSheet(models.Model):
    objects = GuardedQuerySet.as_manager()

    member = models.ForeignKey(PanelMember, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="sheets")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="panel_sheets")
    status = models.CharField(_("状态"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    #: the rubric result (breakdown) and its trace, as computed by the policy scorer
    result = models.JSONField(_("评分结果"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    reopen_reason = models.CharField(_("退回重评原因"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("application", "member", "id")
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = (models.UniqueConstraint(fields=["member", "application"], name="one_sheet_per_expert"),)

    def __str__(self) -> str:
        return f"{self.member} · {self.application}"

    @property
    def editable(self) -> bool:
        return self.status == SheetStatus.DRAFT

    @property
    def handed_in(self) -> bool:
        return self.status in (SheetStatus.SUBMITTED, SheetStatus.SIGNED)


class ScoreEntry(models.Model):
    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="entries")
    item_key = models.CharField(_("评分项"), max_length=60)
    value = models.JSONField(_("录入值"), null=True, blank=True)
    awarded = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("评语"), max_length=500, blank=True)

    class Meta:
        ordering = ("sheet", "id")
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        constraints = (models.UniqueConstraint(fields=["sheet", "item_key"], name="one_entry_per_item"),)
