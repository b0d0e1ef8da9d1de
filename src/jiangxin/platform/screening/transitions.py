"""Registered state changes of screening runs (core/transitions.py): start (office), then the worker's
running → finished / failed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, track, transition
from jiangxin.platform.screening import services
from jiangxin.platform.screening.models import RunStatus, ScreeningRun, Source

track(ScreeningRun, "status")


@transition("screening.start", title=_("发起筛查"), record="screening.ScreeningRun", sources=("*",),
            target=RunStatus.QUEUED, roles=(Role.OFFICE,), guard="policy.screening (程序声明的筛查规则)",
            citation="所筛项目的资格条款（如 江苏卓越技师办法 第二条、第三条、第二十一条、第二十三条）")
def start(*, actor: Any, program: str, computation: str, source: str, plan_year: int, as_of: dt.date,
          track_value: str = "", upload: UploadedFile | None = None) -> ScreeningRun:
    allowed = {(p.key, s.computation) for p, s in services.screenable(actor)}
    if (program, computation) not in allowed:
        raise TransitionRefused(str(_("本单位不能对该项目发起筛查。")))
    if source == Source.UPLOAD:
        if upload is None:
            raise TransitionRefused(str(_("请上传名单文件（XLSX 或 CSV）。")))
        if not (upload.name or "").lower().endswith((".xlsx", ".csv")):  # a nameless file is refused
            raise TransitionRefused(str(_("名单只接受 XLSX 或 CSV 文件。")))
        if (upload.size or 0) > services.MAX_UPLOAD_BYTES:
            raise TransitionRefused(str(_("名单文件过大（上限 100 MB）。")))
    run = ScreeningRun.objects.create(organisation=actor.organisation, created_by=actor, program=program,
                                      computation=computation, source=source, plan_year=plan_year, as_of=as_of,
                                      track=track_value, upload_name=(upload.name or "") if upload else "")
    if upload is not None:
        run.upload.save(f"run-{run.pk}-{(upload.name or '')[-5:].lstrip('.-')}", upload, save=True)
    record("transition:screening.start", run, actor=actor, summary=f"{program} {plan_year}",
           after={"status": run.status, "source": source})
    return run


@transition("screening.begin", title=_("开始执行筛查"), record="screening.ScreeningRun", sources=(RunStatus.QUEUED,),
            target=RunStatus.RUNNING, roles=(SYSTEM,), guard="", citation="")
def begin(run: ScreeningRun, *, actor: Any = None) -> None:
    ScreeningRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=1)


@transition("screening.finish", title=_("筛查完成"), record="screening.ScreeningRun", sources=(RunStatus.RUNNING,),
            target=RunStatus.SUCCEEDED, roles=(SYSTEM,), guard="policy.screening.Screener.run",
            citation="所筛项目的资格条款")
def finish(run: ScreeningRun, *, actor: Any = None, data: dict[str, Any], result_file: str) -> None:
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, progress=100, total=data["total"], eligible=data["eligible"],
        near=data["near"], summary=data, result_file=result_file, finished_at=timezone.now())


@transition("screening.fail", title=_("筛查失败"), record="screening.ScreeningRun",
            sources=(RunStatus.QUEUED, RunStatus.RUNNING), target=RunStatus.FAILED, roles=(SYSTEM,))
def fail(run: ScreeningRun, *, actor: Any = None, message: str) -> None:
    ScreeningRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, message=message[:500],
                                                 finished_at=timezone.now())


def execute(run: ScreeningRun) -> ScreeningRun:
    """Carry a queued run out (the worker): begin, read and screen outside any transaction — progress stays
    visible to the page and no lock is held for the whole run — then finish or fail."""
    from jiangxin.policy.screening import get_screener
    from jiangxin.screening_table import TableError, summary

    begin(run, actor=None)

    def progress(percent: int) -> None:
        ScreeningRun.objects.filter(pk=run.pk).update(progress=min(percent, 99))

    try:
        result = services.execute(run, progress)
    except TableError as error:
        fail(run, actor=None, message=str(error))
    except Exception as error:  # any failure of a run is shown on its page, never lost
        fail(run, actor=None, message=str(_("筛查未能完成：%(error)s") % {"error": type(error).__name__}))
    else:
        finish(run, actor=None, data=summary(get_screener(run.program, run.computation), result),
               result_file=run.result_file)
    run.refresh_from_db()
    return run
