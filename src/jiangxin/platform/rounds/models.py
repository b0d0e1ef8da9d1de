"""Programs (mirroring the policy registry) and rounds (申报批次)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet
from jiangxin.platform.orgs.models import jurisdiction_choices
from jiangxin.policy.parameters import ParameterSet


class Program(models.Model):
    """A row per program of ``jiangxin.policy.registry.PROGRAMS``; synced by ``load_programs``."""

    key = models.CharField(_("项目代码"), max_length=50, unique=True)
    title = models.CharField(_("项目名称"), max_length=200)
    document = models.CharField(_("政策文件"), max_length=50)
    jurisdiction = models.CharField(_("所属地区"), max_length=20, choices=jurisdiction_choices)
    applicant_kind = models.CharField(_("申报主体"), max_length=20,
                                      choices=[("unit", _("单位申报")), ("individual", _("个人申报"))])

    class Meta:
        ordering = ("key",)
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self) -> str:
        return self.title

    def policy(self) -> Any:
        from jiangxin.policy.registry import PROGRAMS, all_computations

        all_computations()
        return PROGRAMS[self.key]

    def parameters(self) -> ParameterSet:
        params: ParameterSet = self.policy().parameters()
        return params

    @property
    def document_label(self) -> str:
        from jiangxin.policy.outcome import DOCUMENTS

        return DOCUMENTS.get(self.document, self.document)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("已截止")


class Round(models.Model):
    """申报批次: one call for applications of a program in a year."""

    objects = GuardedQuerySet.as_manager()

    program = models.ForeignKey(Program, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    organiser = models.ForeignKey("orgs.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                  related_name="rounds")
    opens = models.DateField(_("申报开始日期"))
    closes = models.DateField(_("申报截止日期"))
    district_review_due = models.DateField(_("县区初审截止日期"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True,
                                        help_text=_("留空表示不设名额（如工匠学院成熟一家命名一家）"))
    notice_reference = models.CharField(_("通知文号"), max_length=100, blank=True)
    office_parameters = models.JSONField(_("主管部门设定的参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-year", "program__key", "opens",)
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        constraints = (
            models.CheckConstraint(condition=models.Q(closes__gte=models.F("opens")), name="round_closes_after_opens",
                                   violation_error_message="申报截止日期不能早于开始日期"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def parameter_set(self) -> ParameterSet:
        """The program's parameters with this round's office-set values (validated)."""
        params = self.program.parameters()
        if self.office_parameters:
            params = params.with_overrides(self.office_parameters, reference=self.notice_reference)
        return params

    def office_parameter_rows(self) -> list[dict[str, Any]]:
        """Rows for the UI: each parameter the document leaves open, with this round's value if set."""
        rows = []
        for p in self.program.parameters().unset():
            rows.append({"name": p.name, "title": p.title, "unit": p.unit,
                         "article": p.citation.label if p.citation else "",
                         "value": self.office_parameters.get(p.name)})
        return rows
