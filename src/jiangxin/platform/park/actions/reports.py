"""A studio's data reports with their evidence (镇江技能大师产业创新园意见 附件2 加分项目).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import _money, _notify, _office_users, _require_studio_or_office, is_office
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import DataReport, ReportKind, Residency
from jiangxin.platform.park.transitions import action


@action("park.submit_report")
@transaction.atomic
def submit_report(actor: Any, residency: Residency, *, year: int, kind: str, title: str, count: int = 1,
                  level: str = "", grade: str = "", amount: Any = None, evidence: Any) -> DataReport:
    _require_studio_or_office(actor, residency)
    from jiangxin.platform.applications.uploads import UploadError, check_upload

    if kind not in ReportKind.values:
        raise ParkError("请选择类别。", "kind")
    if kind in (ReportKind.MEDIA, ReportKind.AWARD) and not level:
        raise ParkError("媒体报道、专利奖项与论著须注明级别（市级、省级、部级）。", "level")
    if kind == ReportKind.ECONOMIC and not grade:
        raise ParkError("经济效益须选择效益等级。", "grade")
    if count < 0:
        raise ParkError("数量不能为负数。", "count")
    if evidence is None:
        raise ParkError("请上传佐证材料。", "evidence")
    try:
        file_type, digest = check_upload(evidence)
    except UploadError as exc:
        raise ParkError(str(exc), "evidence") from exc
    report = DataReport(residency=residency, year=year, kind=kind, title=title.strip(), count=count, level=level,
                        grade=grade, amount=_money(amount, "amount") if amount not in (None, "") else None,
                        evidence_name=str(evidence.name)[:255], evidence_type=file_type, sha256=digest,
                        reported_by=actor)
    report.evidence = evidence
    report.save()
    record("park.report", report, actor=actor, summary=f"{residency.name} {year} 年报送：{report.get_kind_display()} "
           f"{report.title}", after={"kind": kind, "count": count, "level": level, "grade": grade})
    if not is_office(actor):
        _notify(_office_users(residency), f"{residency.name} 报送了数据", report.title, f"/park/{residency.pk}/")
    return report
