"""The pydantic models generated from a rubric: its entries, and its facts (``as_of`` plus the entries)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, create_model

from jiangxin.policy.facts import Facts
from jiangxin.policy.rubric.base import _MODEL_CONFIG, _fmt
from jiangxin.policy.rubric.model import Item, Rubric


def _model_prefix(rubric: Rubric) -> str:
    return "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", rubric.key) if w)


def _describe(item: Item) -> str:
    cap = "" if item.kind == "veto" else f"（{_fmt(item.points)}分）"
    return f"{item.title}{cap} [{item.citation.article}{item.citation.clause}] {item.scorer.shape()}"


@cache
def _field_definitions(rubric: Rubric) -> dict[str, Any]:
    prefix = _model_prefix(rubric)
    return {item.key: (item.scorer.input_type(f"{prefix}_{item.key}"), Field(description=_describe(item)))
            for item in rubric.items}


@cache
def rubric_entries_model(rubric: Rubric) -> type[BaseModel]:
    """A pydantic model of the rubric's entries only (no ``as_of``), used to validate raw entries."""
    model: type[BaseModel] = create_model(f"{_model_prefix(rubric)}Entries", __config__=_MODEL_CONFIG,
                                          **_field_definitions(rubric))
    return model


@cache
def rubric_facts_model(rubric: Rubric) -> type[Facts]:
    """The facts model of a rubric: ``as_of`` plus one required field per item, typed by the item's kind."""
    model: type[Facts] = create_model(f"{_model_prefix(rubric)}Facts", __base__=Facts,
                                      __doc__=f"{rubric.title}（{rubric.citation.label}）的评分输入。",
                                      **_field_definitions(rubric))
    return model
