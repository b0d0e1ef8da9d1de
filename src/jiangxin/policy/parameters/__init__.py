"""Dated parameters loaded from YAML, each value keyed by effective date and carrying its citation.

Kinds: ``scalar``, ``table`` (key → value), ``bands`` (threshold → label), ``shares`` (3:3:4),
``duration`` (N calendar days / working days / months / years, optionally "at least") and ``unset``
(the document leaves the value to an office; it must be supplied as an override).

YAML layout (one file per program)::

    document: nanchang_academy
    parameters:
      tranche_shares:
        kind: shares
        title: 补助资金分笔比例
        values:
          - since: 2023-01-01
            value: [3, 3, 4]
            cite: {article: 第二十条}
      park_pass_mark:
        kind: unset
        expects: scalar
        title: 考核合格分数线
        cite: {article: 五（二）}

A value may carry ``interpretation: I-xx`` when it encodes a reading listed in
``docs/interpretations.md`` rather than a figure printed in the document.

The package: :mod:`.values` (the kinds and reading a raw value), :mod:`.parameter_set` (lookups and
overrides) and :mod:`.loading` (the YAML files). Import from the package.
"""

from jiangxin.policy.parameters.loading import load_parameters, load_program_parameters
from jiangxin.policy.parameters.parameter_set import ParameterSet
from jiangxin.policy.parameters.values import (
    Band,
    Bands,
    Duration,
    DurationUnit,
    Kind,
    Parameter,
    ParamValue,
    Shares,
    Source,
    parse_value,
)

__all__ = [
    "Band",
    "Bands",
    "Duration",
    "DurationUnit",
    "Kind",
    "ParamValue",
    "Parameter",
    "ParameterSet",
    "Shares",
    "Source",
    "load_parameters",
    "load_program_parameters",
    "parse_value",
]
