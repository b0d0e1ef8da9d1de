from pathlib import Path

from jiangxin.policy.apidocs import render_rules_api

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules-api.md"


def test_rules_api_doc_matches_the_registry():
    """docs/rules-api.md is generated: run `jiangxin rules docs > docs/rules-api.md` after changing inputs."""
    assert DOC.read_text(encoding="utf-8") == render_rules_api()
