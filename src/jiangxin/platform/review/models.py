"""Review cases (评审案卷): one per submitted application, walking its program's chain (policy/workflow.py).

``Step`` is the append-only history of a case; ``Decision`` records a round-level decision (ranking, party-group
meeting, candidate list, approval, province confirmation) with the computation's outcome."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class CaseState(models.TextChoices):
    ACTIVE = "active", _("办理中")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("未通过")
    NOT_SELECTED = "not_selected", _("未入选")
    DISQUALIFIED = "disqualified", _("取消资格")
    WITHDRAWN = "withdrawn", _("已撤回")
    DONE = "done", _("已办结")
    EXCLUDED = "excluded", _("已排除出本批次")


CLOSED = (CaseState.REJECTED, CaseState.NOT_SELECTED, CaseState.DISQUALIFIED, CaseState.WITHDRAWN, CaseState.DONE,
          CaseState.EXCLUDED)


class Case(models.Model):
    objects = GuardedQuerySet.as_manager()

    application = models.OneToOneField("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                       related_name="case")
    round = models.ForeignKey("rounds.Round", verbose_name=_("申报批次"), on_delete=models.PROTECT,
                              related_name="cases")
    program = models.CharField(_("项目"), max_length=50, db_index=True)
    track = models.CharField(_("类别"), max_length=10, blank=True)
    stage = models.CharField(_("当前环节"), max_length=50, db_index=True)
    state = models.CharField(_("状态"), max_length=20, choices=CaseState.choices, default=CaseState.ACTIVE,
                             db_index=True)
    stage_entered_at = models.DateTimeField(_("进入环节时间"), default=timezone.now)
    returned_until = models.DateField(_("修改截止日期"), null=True, blank=True)
    returned_from = models.CharField(_("退回环节"), max_length=50, blank=True)
    score = models.DecimalField(_("评审得分"), max_digits=8, decimal_places=3, null=True, blank=True)
    #: data gathered along the chain: confirmed facts, site-visit findings, votes, letter … (keyed by stage)
    details = models.JSONField(_("办理记录"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("round", "stage", "id")
        verbose_name = _("评审案卷")
        verbose_name_plural = _("评审案卷")

    def __str__(self) -> str:
        return f"{self.application} · {self.stage}"

    @property
    def key(self) -> str:
        """The key of the case in ranking and list computations."""
        return f"A{self.application_id}"

    def workflow(self) -> Any:
        from jiangxin.policy.workflow import load_workflow

        return load_workflow(self.program)

    @property
    def stage_title(self) -> str:
        wf = self.workflow()
        if self.stage == wf.final_key:
            return str(wf.final_title)
        return str(wf.stage(self.stage).title)

    @property
    def is_open(self) -> bool:
        return self.state == CaseState.ACTIVE


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("history records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("history records are append-only")


#: what each recorded action is called on the case page (the code stays in ``Step.action``)
ACTION_LABELS = {
    "submitted": _("提交申报"), "open": _("开启案卷"), "resubmit": _("修改后重新提交"), "withdrawn": _("申报撤回"),
    "advance": _("进入下一环节"), "return": _("退回修改"), "reject": _("不予通过"), "not_selected": _("未入选"),
    "disqualify": _("取消资格"), "eligibility_review": _("核实事实并条件审查"), "letter": _("上传推荐函"),
    "site_visit": _("记录实地考察"), "panel_result": _("记录专家评审结果"), "vote": _("登记投票表决"),
    "publicity_opened": _("列入公示"), "name": _("命名/确定"), "confirm": _("省级确认"),
    "exclude": _("排除出本批次"), "rerank": _("重新排序"),
}


class Step(AppendOnly):
    case = models.ForeignKey(Case, verbose_name=_("案卷"), on_delete=models.PROTECT, related_name="steps")
    stage_from = models.CharField(_("原环节"), max_length=50, blank=True)
    stage_to = models.CharField(_("新环节"), max_length=50, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("理由"), blank=True)
    citations = models.JSONField(_("依据条款"), default=list, blank=True)
    outcome = models.JSONField(_("计算结果"), null=True, blank=True)
    data = models.JSONField(_("记录内容"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.stage_from}→{self.stage_to}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def _stage_title(self, key: str) -> str:
        from jiangxin.policy.workflow import WorkflowError

        wf = self.case.workflow()
        if not key:
            return "—"
        if key == wf.final_key:
            return str(wf.final_title)
        try:
            return str(wf.stage(key).title)
        except WorkflowError:  # a stage key no longer in the workflow: show the key itself
            return key

    @property
    def stage_from_title(self) -> str:
        return self._stage_title(self.stage_from)

    @property
    def stage_to_title(self) -> str:
        return self._stage_title(self.stage_to)


class Decision(AppendOnly):
    """A round-level decision (排序、党组会、候选名单、审批、确认) with the outcome it rests on."""

    round = models.ForeignKey("rounds.Round", verbose_name=_("申报批次"), on_delete=models.PROTECT,
                              related_name="review_decisions")
    stage = models.CharField(_("环节"), max_length=50)
    kind = models.CharField(_("类别"), max_length=30)
    outcome = models.JSONField(_("计算结果"), null=True, blank=True)
    decided = models.JSONField(_("确定名单"), default=list, blank=True)
    meeting_date = models.DateField(_("会议/批准日期"), null=True, blank=True)
    reference = models.CharField(_("纪要/文号"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    # not stored: set by the round page for its template
    stage_title: str
    kind_label: str

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("批次决定")
        verbose_name_plural = _("批次决定")

    def __str__(self) -> str:
        return f"{self.round_id} {self.stage} {self.kind}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"review/{instance.case_id}/{uuid.uuid4().hex}.{instance.file_type}"


class Attachment(AppendOnly):
    """A document filed by staff on a case, e.g. the recommendation letter (推荐函)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    stage = models.CharField(_("环节"), max_length=50)
    kind = models.CharField(_("类别"), max_length=40)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("uploaded_at", "id")
        verbose_name = _("案卷附件")
        verbose_name_plural = _("案卷附件")

    def __str__(self) -> str:
        return self.original_name
