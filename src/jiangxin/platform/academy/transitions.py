"""The academy's transitions (网上工匠学院 状态流转登记): teacher pool (师资库, 第九条), trainee import and course
library (第十条), training sessions (第十六条), each with its from-states, roles and article.

The functions in :mod:`.services` are registered in place with ``@action("<key>")``; this table is their
declaration (read by ``docs/process.md``). An import job's worker states (running, heartbeat, finished) belong to
the background runner, not to this table; what a user does to a job — starting it — is declared here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.declare import declarer
from jiangxin.platform.core.transitions import track

D = "南昌工匠学院办法"
ACADEMY = (Role.UNIT,)
OFFICE = (Role.OFFICE,)
TEACHER, COURSE = "academy.Teacher", "academy.Course"


def _spec(title: Any, record: str, *, field: str = "status", sources: tuple[str, ...] = ("*",), target: str = "",
          roles: tuple[str, ...], guard: str = "", citation: str = "",
          refused: dict[str, str] | None = None) -> dict[str, Any]:
    # the academy services write their own audit record; their own scope check (a 403) answers before the
    # registry's role check
    who = {OFFICE: "who_office", ACADEMY: "who_academy"}.get(roles, "who_either")
    return {"title": title, "record": record, "field": field, "sources": sources, "target": target,
            "roles": roles, "guard": guard, "citation": citation, "audit": False, "actor_name": "user",
            "who": f"jiangxin.platform.academy.services:{who}", "refused": refused or {}, "error": AcademyError}


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
    """Import the service module so that every declared action is registered (autodiscovery imports this)."""
    from jiangxin.platform.academy import services  # noqa: F401


_register()
