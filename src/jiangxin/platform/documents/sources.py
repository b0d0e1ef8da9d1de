"""What each kind of issued document is about (文书来源), and what the public may learn about it *now*.

A source knows one kind of record — a designation (赣州工匠, 工匠学院/创新工作室 naming, 入驻, 培育), a Jiangsu
enrolment (合格证书), a park residency (入驻协议), a publicity notice (公示), a disbursement batch (拨付明细) or a
round's naming decision (命名决定) — and answers four questions:

- ``refusal(obj)``: why it may not be issued now (before the naming/acceptance decision, or for a revoked holder),
  as ``(message, citation)``, or ``None``;
- ``content(obj, spec)``: the text of the document (reusing the DOCX content building where there is one);
- ``state(obj)``: the current public status, read from the live record at look-up time (valid / revoked / expired),
  so a revocation, expiry or claw-back shows the moment it is recorded;
- ``program(obj)`` and ``holder(obj)``.

Which documents a program issues, with their titles and number prefixes, is declared in the program folder's
``documents.yaml`` (:mod:`.catalogue`); no code here branches on a program's name.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.core.formats import chinese_date
from jiangxin.platform.core.officedocs import Column


@dataclasses.dataclass(frozen=True)
class Content:
    title: str
    body: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    columns: tuple[Column, ...] = ()
    rows: tuple[Mapping[str, Any], ...] = ()
    reference: str = ""


@dataclasses.dataclass(frozen=True)
class Holder:
    name: str = ""
    is_person: bool = False
    id_mask: str = ""


VALID, REVOKED, EXPIRED = "valid", "revoked", "expired"


@dataclasses.dataclass(frozen=True)
class PublicState:
    """``code`` is valid / revoked / expired; ``label`` the status the record shows (e.g. 已撤销, 已退出)."""

    code: str
    label: str = ""
    on: dt.date | None = None
    citation: str = ""
    notes: tuple[str, ...] = ()


def _first_citation(outcome: Mapping[str, Any] | None) -> str:
    for step in (outcome or {}).get("trace", []) or []:
        label = (step.get("citation") or {}).get("label")
        if label:
            return str(label)
    return ""


class Source(abc.ABC):
    key: ClassVar[str]
    model: ClassVar[str]  # app_label.Model
    label: ClassVar[str]
    #: the holder (a unit or person who sees the record) may download the signed PDF too
    holders_download: ClassVar[bool] = False

    def get_model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model)

    def get(self, pk: int) -> Any:
        return self.get_model()._default_manager.get(pk=pk)

    def visible(self, user: Any) -> Any:
        return self.get_model()._default_manager.all()

    def program(self, obj: Any) -> str:
        return str(getattr(obj, "program", "") or "")

    def can_issue(self, user: Any) -> bool:
        """Whether ``user``'s office is the one that issues this kind of document (on top of the roles)."""
        return True

    def holder(self, obj: Any) -> Holder:
        return Holder()

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        return None

    def state(self, obj: Any) -> PublicState:
        return PublicState(VALID)

    @abc.abstractmethod
    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        """The document's title, body and tables for ``obj`` (each kind of record says its own)."""


def _designation_state(d: Any) -> PublicState | None:
    """Revoked / exited / expired designations, with the date and the article; ``None`` while held."""
    from jiangxin.platform.designations.models import DesignationStatus

    if d is None:
        return None
    if d.status in (DesignationStatus.REVOKED, DesignationStatus.EXITED):
        return PublicState(REVOKED, d.get_status_display(), d.status_changed_on, d.status_citation)
    if d.status == DesignationStatus.EXPIRED:
        return PublicState(EXPIRED, d.get_status_display(), d.status_changed_on or d.ends_on, d.status_citation)
    if d.ends_on is not None and d.ends_on < timezone.localdate():
        return PublicState(EXPIRED, str(DesignationStatus.EXPIRED.label), d.ends_on, "")
    return None


def _clawbacks(d: Any) -> tuple[str, ...]:
    from jiangxin.platform.ledger.models import Sanction, SanctionKind

    return tuple(_("追回资金：%(reason)s（%(citation)s，%(date)s）") % {
        "reason": s.reason, "citation": s.citation, "date": chinese_date(timezone.localtime(s.created_at).date())}
        for s in Sanction.objects.filter(designation=d, kind=SanctionKind.CLAWBACK))


class DesignationSource(Source):
    key = "designation"
    holders_download = True
    model = "designations.Designation"
    label = "命名"

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.designations.services import directory_queryset

        return directory_queryset(user)

    def holder(self, obj: Any) -> Holder:
        if obj.holder_person_id:
            return Holder(obj.holder_person.name, True, obj.holder_person.id_mask)
        return Holder(obj.holder_label)

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        state = _designation_state(obj)
        if state is not None and state.code == REVOKED:
            return (_("该命名已撤销或已终止，不能签发证书。"), state.citation)
        if state is not None:
            return (_("该命名已期满，不能签发证书。"), state.citation)
        if obj.designated_on > timezone.localdate():
            return (_("命名决定尚未生效，不能签发证书。"), "")
        return None

    def state(self, obj: Any) -> PublicState:
        state = _designation_state(obj)
        notes = _clawbacks(obj)
        if state is None:
            return PublicState(VALID, obj.get_status_display(), obj.designated_on, notes=notes)
        return dataclasses.replace(state, notes=notes)

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        holder = self.holder(obj)
        fields: list[tuple[str, str]] = []
        if holder.is_person:
            fields.append(("姓名", holder.name))
            if holder.id_mask:
                fields.append(("公民身份号码", holder.id_mask))
            employer = obj.holder_person.employer
            if employer is not None:
                fields.append(("工作单位", employer.name))
        else:
            fields.append(("单位", holder.name))
        fields.append(("名称", obj.name))
        fields.append(("命名日期", chinese_date(obj.designated_on)))
        if obj.ends_on:
            fields.append(("有效期至", chinese_date(obj.ends_on)))
        body = str(spec.get("body", "")).format(name=holder.name, title=obj.name, year=obj.year)
        return Content(title=str(spec["title"]), body=(body,) if body else (), fields=tuple(fields))


class EnrolmentSource(Source):
    key = "enrolment"
    holders_download = True
    model = "cultivation.Enrolment"
    label = "培育对象"

    def get(self, pk: int) -> Any:
        from jiangxin.platform.cultivation.models import Enrolment

        return Enrolment.objects.select_related("person", "year", "designation", "major").get(pk=pk)

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.cultivation.access import visible_enrolments

        return visible_enrolments(user)

    def can_issue(self, user: Any) -> bool:
        """The provincial department issues the 合格证书 (江苏卓越技师办法 第四条), not a city bureau."""
        from jiangxin.platform.cultivation.access import is_province_office

        return bool(is_province_office(user))

    def program(self, obj: Any) -> str:
        if obj.designation_id:
            return str(obj.designation.program)
        from jiangxin.platform.documents.catalogue import program_for_source

        return program_for_source(self.key)

    def holder(self, obj: Any) -> Holder:
        return Holder(obj.person.name, True, obj.person.id_mask)

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        state = _designation_state(obj.designation) if obj.designation_id else None
        if state is not None and state.code == REVOKED:
            return (_("该培育对象的入选已撤销，不能签发合格证书。"), state.citation)
        if obj.passed is not True:
            return (_("尚未作出验收合格的决定，不能签发合格证书。"), "")
        return None

    def state(self, obj: Any) -> PublicState:
        state = _designation_state(obj.designation) if obj.designation_id else None
        if state is not None and state.code == REVOKED:
            return state
        if obj.passed is not True:
            return PublicState(REVOKED, _("验收结论已变更"), None, "")
        return PublicState(VALID, _("验收合格"))

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        person = obj.person
        fields = [("姓名", person.name), ("公民身份号码", person.id_mask), ("培育类别", f"{obj.track}类")]
        if obj.major_id:
            fields.append(("培养专业", str(obj.major)))
        if obj.grade:
            fields.append(("评定等次", obj.grade))
        body = str(spec.get("body", "")).format(name=person.name, title="", year=obj.year)
        return Content(title=str(spec["title"]), body=(body,) if body else (), fields=tuple(fields))


class ResidencySource(Source):
    key = "residency"
    holders_download = True
    model = "park.Residency"
    label = "入驻协议"

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.park.services import visible_residencies

        return visible_residencies(user)

    def _designation(self, obj: Any) -> Any:
        from jiangxin.platform.designations.models import Designation

        return Designation.objects.filter(pk=obj.designation_id).first() if obj.designation_id else None

    def program(self, obj: Any) -> str:
        from jiangxin.platform.documents.catalogue import program_for_source

        d = self._designation(obj)
        return str(d.program) if d is not None else program_for_source(self.key)

    def holder(self, obj: Any) -> Holder:
        return Holder(obj.studio_org.name if obj.studio_org_id else obj.name)

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        state = self.state(obj)
        if state.code != VALID:
            return (_("该工作室已取消入驻，不能签发入驻协议。"), state.citation)
        return None

    def state(self, obj: Any) -> PublicState:
        from jiangxin.platform.park.models import ResidencyStatus

        if obj.status == ResidencyStatus.EXITED:
            citation = _first_citation(obj.exit_outcome)
            d = self._designation(obj)
            return PublicState(REVOKED, obj.get_status_display(), obj.exited_on,
                               citation or (d.status_citation if d is not None else ""))
        state = _designation_state(self._designation(obj))
        if state is not None:
            return state
        if obj.rent_free_until:
            return PublicState(VALID, obj.get_status_display(), obj.admission_date,
                               notes=(_("免租期至%(date)s") % {"date": chinese_date(obj.rent_free_until)},))
        return PublicState(VALID, obj.get_status_display(), obj.admission_date)

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        rooms = "、".join(str(r) for r in obj.rooms.all())
        fields = [("工作室", obj.name), ("入驻单位", self.holder(obj).name), ("协议编号", obj.agreement_no),
                  ("签订日期", chinese_date(obj.signed_on)), ("入驻日期", chinese_date(obj.admission_date))]
        if rooms:
            fields.append(("用房", rooms))
        if obj.rent_free_until:
            fields.append(("免租期至", chinese_date(obj.rent_free_until)))
        body = str(spec.get("body", "")).format(name=obj.name, title=obj.name, year=obj.admission_date.year)
        return Content(title=str(spec["title"]), body=(body,) if body else (), fields=tuple(fields),
                       reference=obj.agreement_no)


class NoticeSource(Source):
    key = "notice"
    model = "publicity.Notice"
    label = "公示"

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.publicity.services import visible_notices

        return visible_notices(user)

    def program(self, obj: Any) -> str:
        return str(obj.round.program.key)

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        from jiangxin.platform.documents.services import notice_content

        title, body, entries, columns, reference = notice_content(obj)
        return Content(title=title, body=tuple(body.split("\n")), columns=tuple(columns), rows=tuple(entries),
                       reference=reference)


class RoundNamingSource(Source):
    key = "round_naming"
    model = "rounds.Round"
    label = "命名决定"

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.rounds.models import Round
        from jiangxin.platform.rounds.services import managed_programs

        return Round.objects.filter(program__in=managed_programs(user))

    def program(self, obj: Any) -> str:
        return str(obj.program.key)

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        from jiangxin.platform.documents import rows

        if not rows.named_rows(obj):
            return (_("尚无通过公示的命名对象，不能签发命名决定。"), "")
        return None

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        from jiangxin.platform.documents import rows
        from jiangxin.platform.documents.models import Kind
        from jiangxin.platform.documents.services import COLUMNS, naming_decision_text

        named = [{"position": i, **row} for i, row in enumerate(rows.named_rows(obj), start=1)]
        title, body = naming_decision_text(obj, named)
        return Content(title=title, body=(body,), columns=COLUMNS[Kind.NAMING_DECISION], rows=tuple(named),
                       reference=obj.notice_reference or "")


class PaymentBatchSource(Source):
    key = "payment_batch"
    model = "ledger.DisbursementBatch"
    label = "拨付批次"

    def visible(self, user: Any) -> Any:
        from jiangxin.platform.ledger.services import batches_for

        return batches_for(user)

    def refusal(self, obj: Any) -> tuple[str, str] | None:
        from jiangxin.platform.ledger.models import BatchStatus

        if obj.status != BatchStatus.APPROVED:
            return (_("拨付批次尚未审批，不能签发拨付明细。"), "")
        return None

    def content(self, obj: Any, spec: Mapping[str, Any]) -> Content:
        entries = list(obj.entries.select_related("designation").order_by("id"))
        rows = [{"position": i, "name": e.designation.name, "unit": e.payee, "amount": f"{e.amount:,.2f}",
                 "note": e.citation} for i, e in enumerate(entries, start=1)]
        columns = (Column("position", "序号", 6), Column("name", "名称", 26), Column("unit", "收款单位", 26),
                   Column("amount", "金额（元）", 16), Column("note", "依据", 26))
        total = sum((e.amount for e in entries), start=Decimal("0"))
        body = f"{obj.title}，共{len(entries)}笔，合计人民币{total:,.2f}元，明细如下。"
        return Content(title=str(spec["title"]), body=(body,), columns=columns, rows=tuple(rows))


SOURCES: dict[str, Source] = {s.key: s for s in (DesignationSource(), EnrolmentSource(), ResidencySource(),
                                                 NoticeSource(), RoundNamingSource(), PaymentBatchSource())}
