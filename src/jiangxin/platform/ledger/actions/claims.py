"""Per-item subsidy claims (单项补助申领) and Jiangsu's per-head funding: pricing a claim by its program
computation (the yearly award quota counts the designation's other live claims), the unit's claim, the office's
decision (priced again, capped by ``caps.check_posting``) and the per-head grant.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.ledger import caps
from jiangxin.platform.ledger.base import ZERO, ClaimFactsError, LedgerError, _entry, _require_office
from jiangxin.platform.ledger.models import ClaimStatus, EntryKind, LedgerEntry, SubsidyClaim
from jiangxin.platform.ledger.selectors import _earlier_awards, claimable, platform_facts
from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.registry import get_computation


def _run_claim(program: str, computation: str, facts: Mapping[str, Any], *, offset: int = 0,
               list_field: str = "") -> dict[str, Any]:
    """Run the computation; refused facts become a ClaimFactsError (list indices shifted back by ``offset``
    when earlier claims' rows were put in front)."""
    from jiangxin.platform.applications.formgen import chinese_expected

    try:
        return get_computation(program, computation).run(dict(facts)).to_dict()
    except FactsError as exc:
        problems = []
        for field, expected in exc.problems:
            parts = str(field).split(".")
            if offset and len(parts) > 1 and parts[0] == list_field and parts[1].isdecimal():
                index = int(parts[1]) - offset
                parts[1] = str(index) if index >= 0 else "earlier"
            problems.append((".".join(parts), expected))
        message = "；".join(f"{field}：{chinese_expected(expected)}" for field, expected in problems)
        raise ClaimFactsError(message, problems) from exc
    except PolicyError as exc:
        raise LedgerError(str(exc)) from exc


def _breaches(value: Mapping[str, Any]) -> str:
    return "；".join(f"{b['category']}：上限 {b['quota']} 项，合计 {b['count']} 项" for b in value.get("breaches", []))


def _price_awards(designation: Any, facts: Mapping[str, Any], claim: Any) -> tuple[Decimal, dict[str, Any]]:
    data = _run_claim(designation.program, "innovation_awards", facts)
    if data["status"] == "failed":
        raise LedgerError(gettext("超出年度名额：") + _breaches(data["value"]))
    earlier = _earlier_awards(designation, facts.get("year"), claim)
    if earlier:
        together = _run_claim(designation.program, "innovation_awards",
                              {**facts, "awards": earlier + list(facts.get("awards", []))},
                              offset=len(earlier), list_field="awards")
        if together["status"] == "failed":
            raise LedgerError(f"超出年度名额（连同本年度已申领的 {len(earlier)} 项）：" + _breaches(together["value"]))
        data["yearly_quota"] = {"earlier_awards": len(earlier), "value": together["value"],
                                "trace": together["trace"]}
    return Decimal(data["value"]["total"]), data


def _price_claim(designation: Any, computation: str, facts: Mapping[str, Any], claim: Any = None
                 ) -> tuple[Decimal, dict[str, Any]]:
    if computation not in claimable(designation.program):
        raise LedgerError(f"该项目不能申领“{computation}”。")
    if computation == "innovation_awards":
        return _price_awards(designation, facts, claim)
    data = _run_claim(designation.program, computation, facts)
    value = data["value"]
    amount = Decimal(value.get("granted") or value.get("total") or "0")
    if data["status"] == "failed":
        raise LedgerError(gettext("超出年度名额：") + _breaches(value))
    return amount, data


def preview_claim(designation: Any, computation: str, facts: Mapping[str, Any]) -> tuple[Decimal, dict[str, Any]]:
    """What a claim would be granted (amount and Outcome JSON); nothing is written."""
    return _price_claim(designation, computation, platform_facts(designation, computation, facts))


@transition("ledger.submit_claim", title=_("申领单项补助"), record="ledger.SubsidyClaim",
            target=ClaimStatus.SUBMITTED, roles=(Role.UNIT, Role.TRAINING_UNIT, Role.OFFICE, SYSTEM),
            guard="各项目单项补助计算（claimable）",
            citation="南昌工匠学院办法 第二十一条；南昌创新工作室办法 第十二条", audit=False)
def submit_claim(designation: Any, computation: str, facts: Mapping[str, Any], *, year: int, actor: Any,
                 evidence: Any = None, evidence_note: str = "") -> SubsidyClaim:
    """The unit claims a per-item subsidy; the program computation prices it now (shown to the office)."""
    if actor is not None and getattr(actor, "role", "") in (Role.UNIT, Role.TRAINING_UNIT):
        if designation.holder_org_id != getattr(actor, "organisation_id", None):
            raise PermissionDenied("只能为本单位申领。")
    else:
        _require_office(actor, designation)
    if designation.status not in ("active", "yellow_card", "cycle_complete"):
        raise LedgerError(gettext("该命名已撤销或终止，不能申领补助。"))
    if evidence is None and not evidence_note.strip():
        raise LedgerError(gettext("须提供证明材料。"))
    if evidence is not None:
        from jiangxin.platform.applications.uploads import UploadError, check_upload

        try:
            check_upload(evidence)
        except UploadError as exc:
            raise LedgerError(f"证明材料：{exc}") from exc
    facts = platform_facts(designation, computation, facts)
    with transaction.atomic():
        amount, outcome = _price_claim(designation, computation, facts)
        claim = SubsidyClaim(designation=designation, program=designation.program, year=year,
                             computation=computation, facts=facts, evidence_note=evidence_note,
                             amount=amount, outcome=outcome, claimed_by=actor if getattr(actor, "pk", None) else None)
        if evidence is not None:
            claim.evidence = evidence
        claim.save()
        record("ledger.claim.submit", claim, actor=actor, summary=f"申领 {computation} {amount} 元：{designation}",
               after=snapshot(claim))
        from jiangxin.platform.notifications.services import notify_roles

        notify_roles(designation.scope_org, [Role.OFFICE], title=f"补助申领待审核：{designation}",
                     body=f"{get_computation(designation.program, computation).title}，测算金额 {amount} 元。",
                     url=_claim_url(claim), kind="action")
    return claim


def _claim_url(claim: SubsidyClaim) -> str:
    from django.urls import reverse

    return reverse("ledger:claim", kwargs={"pk": claim.pk})


@transition("ledger.decide_claim", title=_("审核单项补助申领"), record="ledger.SubsidyClaim",
            sources=(ClaimStatus.SUBMITTED,), target="", roles=(Role.OFFICE, SYSTEM),
            guard="各项目单项补助计算（重新测算）；ledger.caps.check_posting",
            citation="南昌工匠学院办法 第二十一条；南昌创新工作室办法 第十二条", audit=False)
def decide_claim(claim: SubsidyClaim, *, actor: Any, approve: bool, note: str = "") -> SubsidyClaim:
    """The office approves (an entry is written, priced again by the computation) or rejects a claim."""
    _require_office(actor, claim.designation)
    with transaction.atomic():
        claim = SubsidyClaim.objects.select_for_update().select_related("designation").get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise LedgerError(gettext("该申领已处理。"))
        before = snapshot(claim)
        if approve:
            if claim.designation.status == "revoked":
                raise LedgerError(gettext("命名已撤销，不能核准。"))
            facts = platform_facts(claim.designation, claim.computation, claim.facts)
            amount, outcome = _price_claim(claim.designation, claim.computation, facts, claim)
            claim.facts, claim.amount, claim.outcome = facts, amount, outcome
            if amount > 0:
                caps.check_posting(claim.designation, kind=EntryKind.SUBSIDY, year=claim.year, amount=amount,
                                   outcome=outcome)
                citation = outcome["trace"][-1]["citation"]["label"] if outcome["trace"] else ""
                _entry(claim.designation, year=claim.year, kind=EntryKind.SUBSIDY, amount=amount, citation=citation,
                       reason=get_computation(claim.program, claim.computation).title, outcome=outcome,
                       actor=actor, claim=claim).save()
        if not approve and not note.strip():
            raise LedgerError(gettext("不予核准须写明理由。"))
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decided_by, claim.decided_at, claim.decision_note = actor, timezone.now(), note
        claim.save()
        record("ledger.claim.decide", claim, actor=actor, summary=f"{claim.get_status_display()}：{claim.computation}",
               before=before, after=snapshot(claim))
        if claim.claimed_by_id:
            from jiangxin.platform.notifications.services import notify

            notify([claim.claimed_by], title=f"补助申领{claim.get_status_display()}：{claim.designation}",
                   body=f"核定金额 {claim.amount} 元，已记入台账。{note}".strip() if approve else f"理由：{note}",
                   url=_claim_url(claim), kind="result")
    return claim


@transition("ledger.grant_per_head", title=_("按验收合格人数核拨培育经费"), record="ledger.LedgerEntry", field="kind",
            target=EntryKind.PER_HEAD, roles=(Role.OFFICE, SYSTEM),
            guard="项目声明的按人经费计算（funding.per_head，如 jiangsu_technician/funding）；"
                  "ledger.caps.check_posting（合格人数×每人标准）",
            citation="按人核拨经费的条款（江苏卓越技师办法 第二条、第二十二条）", audit=False)
def grant_per_head(designation: Any, facts: Mapping[str, Any], *, actor: Any, year: int) -> LedgerEntry:
    """江苏: per-head cultivation money from ``jiangsu_technician/funding``, paid to the training unit through
    the local finance bureau (payee and channel come from the outcome)."""
    _require_office(actor, designation)
    from jiangxin.platform.rounds.catalog import declaration

    per_head = declaration(designation.program).funding.per_head
    if not per_head:
        raise LedgerError("该项目的政策文件未规定按人核拨的经费。")
    outcome = get_computation(designation.program, per_head).run(dict(facts)).to_dict()
    value = outcome["value"]
    lines = [ln for ln in value["lines"] if int(ln["year"]) == year]
    amount = sum((Decimal(ln["amount"]) for ln in lines), ZERO)
    if amount <= 0:
        raise LedgerError(f"{year}年度没有可核拨的经费。")
    already = LedgerEntry.objects.filter(designation=designation, kind=EntryKind.PER_HEAD, year=year).balance()
    if already:
        raise LedgerError(f"{year}年度经费已核拨（{already} 元）。")
    citation = next((s["citation"]["label"] for s in outcome["trace"] if s["rule"] == "per_passing_trainee"), "")
    with transaction.atomic():
        caps.check_posting(designation, kind=EntryKind.PER_HEAD, year=year, amount=amount, outcome=outcome)
        entry = _entry(designation, year=year, kind=EntryKind.PER_HEAD, amount=amount, citation=citation,
                       reason=f"培育经费（经{value['via']}拨付）", outcome=outcome, actor=actor,
                       payee=value["payee"])
        entry.save()
        record("ledger.per_head", entry, actor=actor, summary=f"核拨培育经费 {amount} 元 → {value['payee']}",
               after=snapshot(entry))
    return entry
