"""docs/process.md is generated from the transition registry and the programs' workflow.yaml files."""

from __future__ import annotations

from jiangxin.platform.core.process_doc import DOC, render_process
from jiangxin.platform.core.transitions import REGISTRY


def test_process_doc_matches_the_registries() -> None:
    """Run `python src/jiangxin/platform/manage.py process_doc` after changing a transition or a workflow."""
    assert DOC.read_text(encoding="utf-8") == render_process()


def test_process_doc_lists_every_registered_transition_with_its_roles_and_article() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert REGISTRY, "the registry is filled when the apps are ready"
    missing = [key for key in REGISTRY if f"`{key}`" not in text and not key.startswith("tests.")]
    assert not missing, missing
    # the studio's ranking against the year's quota: office, ranking computation, 第七条, whole round
    assert "`nanchang_studio/ranking` | 南昌创新工作室办法 第七条 | 全批次 |" in text
    assert "| 确认排序 | `review.ranking_confirm` |" in text and "主管部门工作人员" in text
