"""Funding ledger (资金台账).

Money is only ever added: a ``LedgerEntry`` is written once and never edited or deleted; a correction is a
reversing entry and a claw-back (追回) is a negative entry. Balances are sums of entries (no stored balance).
The one permitted change is filing a not-yet-batched entry into a disbursement batch (``batch`` from empty
to a batch, once), done by ``services.add_to_batch`` through the queryset.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class AppendOnlyError(Exception):
    """A ledger row was about to be edited or deleted."""


class EntryKind(models.TextChoices):
    TRANCHE = "tranche", _("命名补助分笔拨付")
    SUBSIDY = "subsidy", _("单项补助")
    REWARD = "reward", _("一次性奖励")
    PER_HEAD = "per_head", _("按人核拨经费")
    CLAWBACK = "clawback", _("追回")
    REVERSAL = "reversal", _("冲正")


NEGATIVE_KINDS = frozenset({EntryKind.CLAWBACK, EntryKind.REVERSAL})


class EntryQuerySet(GuardedQuerySet):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) != {"batch"} or kwargs["batch"] is None:
            raise AppendOnlyError("ledger entries are append-only; only filing into a batch is allowed")
        return GuardedQuerySet.update(self.filter(batch__isnull=True), **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries cannot be deleted; write a reversing entry")

    def balance(self) -> Decimal:
        total = self.aggregate(s=models.Sum("amount"))["s"]
        return Decimal(total or 0).quantize(Decimal("0.01"))


class Budget(models.Model):
    """预算: money available to a program in a year; a run or batch that would exceed it is warned."""

    program = models.CharField(_("项目"), max_length=40)
    year = models.PositiveIntegerField(_("年度"))
    amount = models.DecimalField(_("预算金额（元）"), max_digits=14, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("program", "year"), name="ledger_budget_unique"),)
        verbose_name = _("预算")

    def __str__(self) -> str:
        return f"{self.program} {self.year} {self.amount}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已审批")


class DisbursementBatch(models.Model):
    """拨付批次: entries paid together; finance approves, then the 拨付明细表 is exported."""

    program = models.CharField(_("项目"), max_length=40)
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)


    objects = GuardedQuerySet.as_manager()
    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("拨付批次")

    def __str__(self) -> str:
        return self.title

    @property
    def total(self) -> Decimal:
        return self.entries.all().balance()


class LedgerEntry(models.Model):
    designation = models.ForeignKey("designations.Designation", verbose_name=_("命名"), on_delete=models.PROTECT,
                                    related_name="ledger_entries")
    program = models.CharField(_("项目"), max_length=40)  # indexed in Meta: matched exactly, never by pattern
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    citation = models.CharField(_("依据"), max_length=200)
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    payee = models.CharField(_("收款单位"), max_length=200, blank=True)
    outcome = models.JSONField(_("计算结果"), default=dict)
    batch = models.ForeignKey(DisbursementBatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="entries")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    claim = models.OneToOneField("SubsidyClaim", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entry")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ("year", "id")
        verbose_name = _("台账分录")
        indexes = (models.Index(fields=["program"], name="ledger_entry_program"),)
        constraints = (
            models.CheckConstraint(
                condition=(models.Q(kind__in=["clawback", "reversal"], amount__lt=0)
                           | (~models.Q(kind__in=["clawback", "reversal"]) & models.Q(amount__gt=0))),
                name="ledger_entry_sign_by_kind"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ledger entries are append-only; write a reversing entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("ledger entries cannot be deleted; write a reversing entry")


class YearApplied(models.Model):
    """One designation-year the yearly run (or a fraud finding) has applied: the idempotency marker and the
    history the tranche machine is replayed over."""

    class Kind(models.TextChoices):
        RUN = "run", _("年度运行")
        FRAUD = "fraud", _("弄虚作假查处")

    # no index of its own: ``ledger_year_applied_unique`` starts with it (each marker wrote both)
    designation = models.ForeignKey("designations.Designation", on_delete=models.PROTECT, db_index=False,
                                    related_name="ledger_years")
    program = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RUN)
    result = models.BooleanField(null=True)
    events = models.JSONField(default=list)
    state = models.CharField(max_length=20, blank=True)
    job = models.ForeignKey("RunJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("designation", "year", "kind"),
                                               name="ledger_year_applied_unique"),)
        indexes = (models.Index(fields=("program", "year")),)


class SanctionKind(models.TextChoices):
    YELLOW_CARD = "yellow_card", _("黄牌警告")
    REVOCATION = "revocation", _("撤销命名")
    CLAWBACK = "clawback", _("追回资金")
    BAN = "ban", _("禁止再申报")


class Sanction(models.Model):
    """A sanction decided by the run or the office, with reason, article and decision record."""

    designation = models.ForeignKey("designations.Designation", on_delete=models.PROTECT,
                                    related_name="sanctions")
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=20, choices=SanctionKind.choices)
    reason = models.CharField(_("事由"), max_length=300)
    citation = models.CharField(_("依据"), max_length=200)
    decision_reference = models.CharField(_("决定文号"), max_length=100, blank=True)
    outcome = models.JSONField(default=dict)
    entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ban_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("year", "id")
        verbose_name = _("处理决定")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已核准")
    REJECTED = "rejected", _("未核准")


class SubsidyClaim(models.Model):
    """单项补助申领: the unit claims by units with evidence; the program computation prices it; the office
    approves (then an entry is written)."""

    designation = models.ForeignKey("designations.Designation", on_delete=models.PROTECT,
                                    related_name="subsidy_claims")
    program = models.CharField(max_length=40)
    year = models.PositiveIntegerField(_("年度"))
    computation = models.CharField(_("补助项目"), max_length=60)
    facts = models.JSONField(_("申报数据"))
    evidence = models.FileField(_("证明材料"), upload_to="ledger/evidence/%Y/", blank=True)
    evidence_note = models.CharField(_("证明材料说明"), max_length=300, blank=True)
    amount = models.DecimalField(_("核定金额（元）"), max_digits=14, decimal_places=2)
    outcome = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)


    objects = GuardedQuerySet.as_manager()
    class Meta:
        ordering = ("-claimed_at",)
        verbose_name = _("补助申领")


class RunJob(models.Model):
    """Progress of a yearly run or what-if started from the office page (polled by htmx)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    program = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    commit = models.BooleanField(default=False)
    overrides = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
