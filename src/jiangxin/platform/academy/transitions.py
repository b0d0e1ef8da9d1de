"""The academy's transitions (网上工匠学院 状态流转登记): teacher pool (师资库, 第九条), trainee import and course
library (第十条), training sessions (第十六条), each with its from-states, roles and article.

The functions in :mod:`.actions` modules are registered in place with ``@action("<key>")``; this table is their
declaration (read by ``docs/process.md``).

A trainee import job (学员导入): queued → running (the worker starts) → running (progress, heartbeat) →
succeeded (staged rows made visible in one transaction) | failed (staged rows dropped; also a job whose worker
died) → queued again (retry by the academy).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import ImportJob, ImportStatus, StagedTrainee, Trainee
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.declare import declarer
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, track, transition

D = "南昌工匠学院办法"
ACADEMY = (Role.UNIT,)
OFFICE = (Role.OFFICE,)
TEACHER, COURSE = "academy.Teacher", "academy.Course"


def _spec(title: Any, record: str, *, field: str = "status", sources: tuple[str, ...] = ("*",), target: str = "",
          roles: tuple[str, ...], guard: str = "", citation: str = "",
          refused: dict[str, str] | None = None) -> dict[str, Any]:
    # the academy services write their own audit record; their own scope check (a 403) answers before the
    # registry's role check
    checks: dict[tuple[str, ...], str] = {OFFICE: "who_office", ACADEMY: "who_academy"}
    who = checks.get(roles, "who_either")
    return {"title": title, "record": record, "field": field, "sources": sources, "target": target,
            "roles": roles, "guard": guard, "citation": citation, "audit": False, "actor_name": "user",
            "who": f"jiangxin.platform.academy.selectors:{who}", "refused": refused or {}, "error": AcademyError}


SPECS: dict[str, dict[str, Any]] = {
    "academy.submit_teacher": _spec(_("报送师资"), TEACHER, target="pending", roles=ACADEMY,
                                    guard="nanchang_academy/teaching_subsidy", citation=f"{D} 第九条"),
    "academy.update_teacher": _spec(_("修改师资记录"), TEACHER, roles=ACADEMY + OFFICE, citation=f"{D} 第九条"),
    "academy.confirm_teacher": _spec(_("确认师资信息仍有效"), TEACHER, roles=ACADEMY + OFFICE,
                                     citation=f"{D} 第九条"),
    "academy.review_teacher": _spec(_("审核师资（入库或退回）"), TEACHER, sources=("pending",), roles=OFFICE,
                                    citation=f"{D} 第九条", refused={"*": "只能审核“待审核”的记录"}),
    "academy.invite_teacher": _spec(_("邀请师资入库"), TEACHER, target="approved", roles=OFFICE,
                                    citation=f"{D} 第九条"),
    "academy.merge_teachers": _spec(_("合并重复师资"), TEACHER, sources=("pending", "approved", "rejected"),
                                    target="merged", roles=OFFICE, citation=f"{D} 第九条",
                                    refused={"merged": "已合并的记录不能再次合并"}),
    "academy.start_import": _spec(_("导入学员库"), "academy.ImportJob", target="queued", roles=ACADEMY,
                                  citation=f"{D} 第十条"),
    "academy.create_course": _spec(_("新建课程"), COURSE, target="draft", roles=ACADEMY, citation=f"{D} 第十条"),
    "academy.add_material": _spec(_("上传课程资料"), COURSE, roles=ACADEMY,
                                  citation=f"{D} 第十条"),
    "academy.remove_material": _spec(_("删除课程资料"), COURSE, roles=ACADEMY, citation=f"{D} 第十条"),
    "academy.publish_course": _spec(_("发布课程"), COURSE, sources=("draft", "withdrawn"), target="published",
                                    roles=ACADEMY, citation=f"{D} 第十条", refused={"*": "该课程已发布"}),
    "academy.withdraw_course": _spec(_("下架课程"), COURSE, sources=("published",), target="withdrawn",
                                     roles=ACADEMY, citation=f"{D} 第十条", refused={"*": "只有已发布的课程可以下架"}),
    "academy.create_offering": _spec(_("登记培训班次"), "academy.TrainingOffering", field="pk", roles=ACADEMY,
                                     citation=f"{D} 第十六条"),
}

action = declarer(SPECS)

track("academy.Teacher", "status", "merged_into")
track("academy.Course", "status")


def _register() -> None:
    """Import the action modules so that every declared action is registered (autodiscovery imports this)."""
    from jiangxin.platform.academy.actions import courses, imports, offerings, teachers  # noqa: F401


_register()


track(ImportJob, "status")

RECORD = "academy.ImportJob"
# the trainee database the import fills is the one 第十条 asks each academy to keep up; the all-or-nothing write
# is the data-integrity reason the job's states exist
WHY = f"{D} 第十条（网上工匠学院学员数据库）；学员导入须完整写入或完全不写入（等保2.0 数据完整性）"


def _set(job: ImportJob, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


@transition("academy.import_start", title=_("开始学员导入"), record=RECORD, sources=(ImportStatus.QUEUED,),
            target=ImportStatus.RUNNING, roles=(SYSTEM,), citation=WHY, audit=False)
def start_job(job: ImportJob, *, actor: Any = None, total: int | None = None) -> None:
    _set(job, status=ImportStatus.RUNNING, started_at=timezone.now(), total=total, processed=0, inserted=0,
         updated=0, errors=0, duplicates=0, message="", finished_at=None, attempts=job.attempts + 1)


@transition("academy.import_progress", title=_("学员导入进度"), record=RECORD, sources=(ImportStatus.RUNNING,),
            target=ImportStatus.RUNNING, roles=(SYSTEM,), citation=WHY, audit=False)
def record_progress(job: ImportJob, *, actor: Any = None, staged: Sequence[tuple[int, list[Any]]] = (),
                    **counts: Any) -> None:
    """Stage a batch of checked rows (invisible until the job finishes) and publish the counts."""
    if staged:
        StagedTrainee.objects.bulk_create([StagedTrainee(job=job, seq=seq, row=row) for seq, row in staged],
                                          batch_size=1000)
    _set(job, **counts)


@transition("academy.import_finish", title=_("完成学员导入"), record=RECORD, sources=(ImportStatus.RUNNING,),
            target=ImportStatus.SUCCEEDED, roles=(SYSTEM,), citation=WHY, audit=False)
def finish_job(job: ImportJob, *, actor: Any = None, processed: int, errors: int, report: str) -> None:
    """Move every staged row into the trainee table (one transaction: all or nothing), then mark the job done."""
    from jiangxin.platform.academy import importer

    inserted, updated = importer.merge_staged(job)
    StagedTrainee.objects.filter(job=job).delete()
    duplicates = processed - errors - inserted - updated
    summary = f"共 {processed} 行：新增 {inserted}，" + (f"更新 {updated}，未变 {duplicates}"
                                                    if job.update_existing else f"重复 {duplicates}")
    _set(job, status=ImportStatus.SUCCEEDED, processed=processed, inserted=inserted, updated=updated, errors=errors,
         duplicates=duplicates, finished_at=timezone.now(), error_report=report if errors else "",
         message=f"{summary}，错误 {errors}")
    record("academy.import.finish", job, summary=job.message,
           after={"processed": processed, "inserted": inserted, "updated": updated, "errors": errors})


@transition("academy.import_fail", title=_("学员导入失败并回滚"), record=RECORD,
            sources=(ImportStatus.QUEUED, ImportStatus.RUNNING), target=ImportStatus.FAILED, roles=(SYSTEM,),
            citation=WHY, audit=False)
def fail_job(job: ImportJob, *, actor: Any = None, message: str) -> int:
    """Drop what the job staged (nothing of it was visible) and mark it failed; returns the rows dropped."""
    removed, _ = StagedTrainee.objects.filter(job=job).delete()
    Trainee.objects.filter(import_job=job).delete()  # none unless the job had finished: defensive
    _set(job, status=ImportStatus.FAILED, message=message[:500], finished_at=timezone.now(), inserted=0,
         updated=0)
    record("academy.import.rollback", job, summary=f"学员导入失败，已撤销本次暂存的 {removed} 行：{message}"[:300],
           after={"removed": removed})
    return int(removed)


@transition("academy.import_auto_retry", title=_("工作进程中断后自动重新导入"), record=RECORD,
            sources=(ImportStatus.FAILED,), target=ImportStatus.QUEUED, roles=(SYSTEM,), citation=WHY)
def auto_retry_job(job: ImportJob, *, actor: Any = None) -> None:
    """A job whose worker died is queued again once by the platform, so another worker (on any machine) takes it
    up; its staged rows were already dropped and it starts afresh from the same encrypted file."""
    _set(job, status=ImportStatus.QUEUED, message="", finished_at=None, processed=0, errors=0, error_report="")
    record("academy.import.auto_retry", job, summary=f"工作进程中断，自动重新导入：{job.source_name}")


@transition("academy.import_retry", title=_("重新导入"), record=RECORD, sources=(ImportStatus.FAILED,),
            target=ImportStatus.QUEUED, roles=(Role.UNIT,), citation=WHY)
def retry_job(job: ImportJob, *, actor: Any) -> None:
    """Queue a failed job again with the same (encrypted) file."""
    if getattr(actor, "organisation_id", None) != job.academy_id:
        raise TransitionRefused(str(_("只能重新导入本学院的文件。")))
    if not job.source or not job.source.storage.exists(job.source.name):
        raise TransitionRefused(str(_("原导入文件已不存在，请重新上传。")))
    if ImportJob.objects.filter(academy_id=job.academy_id,
                                status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).exclude(pk=job.pk).exists():
        raise TransitionRefused(str(_("本学院已有导入正在进行，请等待其完成后再导入")))
    _set(job, status=ImportStatus.QUEUED, message="", finished_at=None, processed=0, errors=0, error_report="")
    record("academy.import.retry", job, actor=actor, summary=f"重新导入学员文件：{job.source_name}")
