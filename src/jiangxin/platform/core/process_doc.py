"""Render docs/process.md from the registries: each program's chain (its ``workflow.yaml``: stage, acting roles,
computation, article) and every registered transition per app (title, from-states → to-state, roles, guard
computation, citation). ``manage.py process_doc`` writes it; a test keeps the file in step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import translation

from jiangxin.platform.core.transitions import ANY, SYSTEM, Transition, by_app

DOC = Path(__file__).resolve().parents[4] / "docs" / "process.md"

INTRO = """# Process (流程与状态流转)

Generated from the registries by `python src/jiangxin/platform/manage.py process_doc` (do not edit by hand;
`tests/platform/test_process_doc.py` fails when this file is out of step).

Part 1 lists each program's chain as its `workflow.yaml` declares it: the stages a case walks, who acts at each,
the computation deciding the stage and the article it rests on. Stages marked **全批次** are decided for the
round as a whole (`policy.workflow.round_at_stage`, I-WF-05): refused while a live case of the round has not
reached the stage; the office may first exclude a case with a recorded reason (`review.exclude`).

Part 2 lists every registered transition (`jiangxin.platform.core.transitions`), per app: the only ways a
tracked state field may change. `*` = any state; an empty to-state means the program's workflow or the guard
decides it. A refusal writes nothing and shows the Chinese reason with the article.
"""


def _role_label(role: str) -> str:
    from jiangxin.platform.core.roles import Role

    if role == SYSTEM:
        return "系统（定时/后台任务）"
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _roles(roles: tuple[str, ...]) -> str:
    return "、".join(_role_label(r) for r in roles) if roles else "公众（无需登录）"


def _state_label(declared: Transition, value: str) -> str:
    if value == ANY:
        return "*"
    try:
        field = apps.get_model(declared.record)._meta.get_field(declared.field)
    except LookupError:
        return f"`{value}`"
    labels = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
    return f"`{value}`（{labels[value]}）" if value in labels else f"`{value}`"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _program_part() -> list[str]:
    from jiangxin.policy.outcome import DOCUMENTS
    from jiangxin.policy.workflow import ROUND_KINDS, load_workflow, workflow_programs

    out = ["## Part 1 — the chains of the five programs", ""]
    for program in workflow_programs():
        wf = load_workflow(program)
        out += [f"### {DOCUMENTS.get(program, program)}：{wf.title} (`{program}`)", ""]
        out += ["| 环节 | 类别 | 办理角色 | 可办理 | 计算 | 依据 | 全批次 |", "|---|---|---|---|---|---|---|"]
        for stage in wf.stages:
            for s, prefix in [(stage, ""), *[(p, "· ") for p in stage.parts]]:
                tracks = f"（{'/'.join(s.tracks)} 类）" if s.tracks else ""
                computation = f"`{program}/{s.computation}`" if s.computation else "—"
                row = [f"{prefix}{s.title}{tracks} `{s.key}`", s.kind, _roles(s.roles),
                       "、".join(s.actions) or "—", computation, s.citation.label,
                       "全批次" if s.kind in ROUND_KINDS and not prefix else ""]
                out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        out += ["", f"Final state: {wf.final_title} (`{wf.final_key}`); default deadline of a return for revision: "
                    f"{wf.return_working_days} working days (I-WF-01).", ""]
    return out


def _transition_part() -> list[str]:
    out = ["## Part 2 — registered transitions per app", ""]
    installed = {config.label for config in apps.get_app_configs()}
    for app, declared in sorted(by_app().items()):
        if app not in installed:  # e.g. a transition a test module declares for itself
            continue
        out += [f"### {app}", "",
                "| 操作 | key | 记录.字段 | 原状态 → 新状态 | 办理角色 | 守卫（计算） | 依据 |",
                "|---|---|---|---|---|---|---|"]
        for t in sorted(declared, key=lambda t: t.key):
            sources = "、".join(_state_label(t, s) for s in t.sources)
            target = _state_label(t, t.target) if t.target else "（由流程/守卫决定）"
            row = [t.title, f"`{t.key}`", f"`{t.record}.{t.field}`", f"{sources} → {target}", _roles(t.roles),
                   t.guard or "—", t.citation or "—"]
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        out.append("")
    return out


def render_process() -> str:
    """The whole document (Chinese labels whatever the active language)."""
    with translation.override("zh-hans"):
        lines = [INTRO, *_program_part(), *_transition_part()]
    return "\n".join(lines).rstrip("\n") + "\n"
