"""Documents for a round: ranking sheet and naming list (XLSX), publicity notice, naming decision and
certificate (DOCX), from the office's template or the shipped default. ID numbers are always masked.

``rows`` / ``named`` are lists of dicts with keys among: position, rank, name, unit, score, note, title,
id_number (masked on output). Missing keys print empty.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record
from jiangxin.platform.core.formats import chinese_date
from jiangxin.platform.core.officedocs import (
    MAX_TEMPLATE_BYTES,
    Column,
    TemplateError,
    default_docx,
    default_xlsx,
    placeholders_in,
    render_docx,
    render_xlsx,
    sniff,
)
from jiangxin.platform.documents.models import FORMATS, DocumentTemplate, Kind

COMMON = frozenset({"title", "date", "issuer", "round", "reference"})
#: placeholders each kind may use, and those it must contain
ALLOWED: dict[str, frozenset[str]] = {
    Kind.RANKING_SHEET: COMMON | {"rows"},
    Kind.NAMING_LIST: COMMON | {"rows"},
    Kind.PUBLICITY_NOTICE: COMMON | {"rows", "body", "window"},
    Kind.NAMING_DECISION: COMMON | {"rows", "body"},
    Kind.CERTIFICATE: COMMON | {"name", "unit", "honour", "body"},
}
REQUIRED: dict[str, frozenset[str]] = {
    Kind.RANKING_SHEET: frozenset({"rows"}), Kind.NAMING_LIST: frozenset({"rows"}),
    Kind.PUBLICITY_NOTICE: frozenset({"rows"}), Kind.NAMING_DECISION: frozenset({"rows"}),
    Kind.CERTIFICATE: frozenset({"name"}),
}
COLUMNS: dict[str, tuple[Column, ...]] = {
    Kind.RANKING_SHEET: (Column("rank", "名次", 8), Column("name", "名称/姓名", 30), Column("unit", "所在单位", 36),
                         Column("score", "得分", 10), Column("note", "备注", 24)),
    Kind.NAMING_LIST: (Column("position", "序号", 8), Column("name", "名称/姓名", 30),
                       Column("unit", "所在单位", 36), Column("title", "称号", 24),
                       Column("id_number", "公民身份号码", 22)),
    Kind.PUBLICITY_NOTICE: (Column("position", "序号", 8), Column("name", "名称/姓名", 30),
                            Column("unit", "所在单位", 36)),
    Kind.NAMING_DECISION: (Column("position", "序号", 8), Column("name", "名称/姓名", 30),
                           Column("unit", "所在单位", 36)),
}


class DocumentError(Exception):
    """A refused template upload or document, with a message for the user (Chinese)."""


# ---- templates ------------------------------------------------------------------------------------------

def default_template(kind: str) -> bytes:
    if FORMATS[Kind(kind)] == "xlsx":
        return default_xlsx(kind, COLUMNS[kind])
    return default_docx(kind)


def template_for(kind: str, organisation: Any) -> bytes:
    """The nearest active office template (the organisation, then its ancestors), else the default."""
    if organisation is not None:
        ids = [int(p) for p in (organisation.path or "").strip("/").split("/") if p] or [organisation.pk]
        found = {t.organisation_id: t for t in DocumentTemplate.objects.filter(kind=kind, active=True,
                                                                                organisation_id__in=ids)}
        for org_id in reversed(ids):
            if org_id in found:
                return bytes(found[org_id].content)
    return default_template(kind)


def _ph(name: str) -> str:
    return "{{" + name + "}}"


def check_template(kind: str, content: bytes) -> list[str]:
    """Validate an uploaded template; returns its placeholders or raises DocumentError."""
    if kind not in ALLOWED:
        raise DocumentError("未知的文书类别。")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise DocumentError(f"模板文件不能超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB。")
    expected = FORMATS[Kind(kind)]
    actual = sniff(content)
    if actual != expected:
        raise DocumentError(f"该类文书的模板须为 {expected.upper()} 文件（按文件内容识别，不看扩展名）。")
    from jiangxin.platform.core.filecheck import FileRejected, deep_check

    try:
        deep_check(actual, io.BytesIO(content))
    except FileRejected as exc:
        raise DocumentError(str(exc)) from None
    try:
        found = placeholders_in(content, actual)
    except Exception:
        raise DocumentError("模板文件已损坏或无法打开。") from None
    unknown = sorted(set(found) - ALLOWED[kind])
    if unknown:
        raise DocumentError("模板中有无法识别的占位符：" + "、".join(_ph(u) for u in unknown)
                            + "；可用的占位符：" + "、".join(_ph(a) for a in sorted(ALLOWED[kind])) + "。")
    missing = sorted(REQUIRED[kind] - set(found))
    if missing:
        raise DocumentError("模板缺少必需的占位符：" + "、".join(_ph(m) for m in missing) + "。")
    return found


def upload_template(*, kind: str, organisation: Any, content: bytes, original_name: str,
                    actor: Any) -> DocumentTemplate:
    from jiangxin.platform.accounts.roles import Role

    if getattr(actor, "role", None) not in (Role.OFFICE, Role.PARK_OFFICE) or organisation is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("only office staff upload document templates")
    found = check_template(kind, content)
    with transaction.atomic():
        replaced = list(DocumentTemplate.objects.select_for_update().filter(kind=kind, organisation=organisation,
                                                                            active=True))
        DocumentTemplate.objects.filter(pk__in=[t.pk for t in replaced]).update(active=False)
        row = DocumentTemplate.objects.create(kind=kind, organisation=organisation, content=content,
                                              original_name=original_name[:255], placeholders=found,
                                              uploaded_by=actor)
        record("documents.template.upload", row, actor=actor,
               summary=f"上传文书模板：{row.get_kind_display()}（{row.original_name}）",
               after={"kind": kind, "organisation": organisation.pk, "placeholders": found,
                      "replaced": [t.pk for t in replaced]})
    return row


def reset_template(*, kind: str, organisation: Any, actor: Any) -> int:
    """Go back to the shipped default (the uploaded ones stay as history)."""
    with transaction.atomic():
        count = DocumentTemplate.objects.filter(kind=kind, organisation=organisation, active=True).update(
            active=False)
        if count:
            record("documents.template.reset", None, actor=actor, object_type="documents.DocumentTemplate",
                   summary=f"恢复默认文书模板：{Kind(kind).label}", after={"kind": kind, "organisation": organisation.pk})
    return count


# ---- documents ----------------------------------------------------------------------------------------------

def _values(rnd: Any, on: dt.date | None, **extra: str) -> dict[str, str]:
    day = on or timezone.localdate()
    values = {"date": chinese_date(day), "issuer": rnd.organiser.name, "round": rnd.title,
              "reference": rnd.notice_reference or ""}
    values.update(extra)
    return values


def _numbered(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"position": i, **row} for i, row in enumerate(rows, start=1)]


def ranking_xlsx(rnd: Any, rows: Sequence[Mapping[str, Any]], *, on: dt.date | None = None) -> bytes:
    values = _values(rnd, on, title=f"{rnd.title}评审排名表")
    return render_xlsx(template_for(Kind.RANKING_SHEET, rnd.organiser), values,
                       columns=COLUMNS[Kind.RANKING_SHEET], rows=list(rows))


def naming_list_xlsx(rnd: Any, named: Sequence[Mapping[str, Any]], *, on: dt.date | None = None) -> bytes:
    values = _values(rnd, on, title=f"{rnd.title}命名名单")
    return render_xlsx(template_for(Kind.NAMING_LIST, rnd.organiser), values,
                       columns=COLUMNS[Kind.NAMING_LIST], rows=_numbered(named))


def _docx(kind: str, rnd: Any, values: dict[str, str], rows: Sequence[Mapping[str, Any]] | None,
          columns: Sequence[Column] | None = None) -> bytes:
    try:
        return render_docx(template_for(kind, rnd.organiser), values,
                           columns=COLUMNS.get(kind, ()) if columns is None else columns, rows=rows)
    except TemplateError as exc:
        raise DocumentError(str(exc)) from None


def notice_content(notice: Any) -> tuple[str, str, list[dict[str, Any]], tuple[Column, ...], str]:
    """Title, body, entries, columns and reference of a publicity notice (shared by the DOCX and the PDF)."""
    rnd = notice.round
    window = f"{chinese_date(notice.window_start)}至{chinese_date(notice.window_end)}"
    basis = "（按法定工作日计算）" if notice.working_days else ""
    body = "\n".join(filter(None, [
        notice.intro,
        f"现将{rnd.title}拟命名名单予以公示，公示期为{window}{basis}。",
        "公示期间，对公示对象有异议的，可实名或匿名反映，请写明具体事实并留下联系方式，以便核实和反馈。",
    ]))
    entries = [{"position": e.position, "name": e.display_name, "unit": e.unit, "id_number": e.masked_id}
               for e in notice.entries.all()]
    columns = COLUMNS[Kind.PUBLICITY_NOTICE]
    if any(e["id_number"] for e in entries):  # individuals: the masked number tells namesakes apart
        columns = (*columns, Column("id_number", "公民身份号码", 22))
    return notice.title, body, entries, columns, notice.reference or rnd.notice_reference or ""


def publicity_notice_docx(notice: Any) -> bytes:
    rnd = notice.round
    window = f"{chinese_date(notice.window_start)}至{chinese_date(notice.window_end)}"
    title, body, entries, columns, reference = notice_content(notice)
    values = _values(rnd, notice.published, title=title, body=body, window=window, reference=reference)
    values["issuer"] = notice.issuing_body
    return _docx(Kind.PUBLICITY_NOTICE, rnd, values, entries, columns)


def naming_decision_text(rnd: Any, named: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """Title and body of a round's naming decision (shared by the DOCX and the PDF)."""
    return f"关于{rnd.title}命名的决定", f"经评审、公示，决定对以下{len(named)}个对象予以命名。"


def naming_decision_docx(rnd: Any, named: Sequence[Mapping[str, Any]], *, on: dt.date | None = None) -> bytes:
    title, body = naming_decision_text(rnd, named)
    values = _values(rnd, on, title=title, body=body)
    return _docx(Kind.NAMING_DECISION, rnd, values, _numbered(named))


def certificate_docx(application: Any, *, on: dt.date | None = None) -> bytes:
    rnd = application.round
    person = application.applicant_person
    name = person.name if application.kind == "individual" and person is not None else application.title
    unit = application.applicant_org.name if application.applicant_org else ""
    values = _values(rnd, on, title="荣誉证书", name=name, unit=unit, honour=rnd.program.title,
                     body=f"经评审、公示，被命名为{rnd.program.title}。")
    return _docx(Kind.CERTIFICATE, rnd, values, None)
