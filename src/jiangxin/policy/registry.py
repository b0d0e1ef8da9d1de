"""Programs and their computations: the single entry point used by the CLI, the API and the platform."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.facts import Facts, parse_facts
from jiangxin.policy.outcome import Citation, Outcome
from jiangxin.policy.parameters import ParameterSet, load_program_parameters


@dataclasses.dataclass(frozen=True)
class Program:
    """One policy document's program: its parameters and folder of data (rubrics, examples, cases)."""

    key: str
    title: str
    document: str
    folder: Path

    @cached_property
    def parameter_files(self) -> tuple[Path, ...]:
        """``parameters.yaml`` plus any ``parameters-<topic>.yaml`` beside it, merged (found once)."""
        return tuple(sorted(self.folder.glob("parameters*.yaml")))

    def parameters(self) -> ParameterSet:
        return load_program_parameters(self.parameter_files)


ComputationFunc = Callable[[Any, ParameterSet], Outcome[Any]]


@dataclasses.dataclass(frozen=True)
class Computation:
    program: Program
    name: str
    title: str
    citation: Citation
    facts: type[Facts]
    func: ComputationFunc

    @property
    def example_file(self) -> Path:
        return self.program.folder / "examples" / f"{self.name}.json"

    @cached_property
    def example(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.example_file.read_text(encoding="utf-8"))
        return data

    def run(self, raw: Mapping[str, Any], overrides: Mapping[str, Any] | None = None,
            reference: str = "") -> Outcome[Any]:
        """Validate raw facts and compute. ``overrides`` are office-set parameter values for the round."""
        facts = parse_facts(self.facts, raw)
        params = self.program.parameters()
        if overrides:
            params = params.with_overrides(overrides, reference=reference)
        return self.func(facts, params)


PROGRAMS: dict[str, Program] = {}
COMPUTATIONS: dict[tuple[str, str], Computation] = {}


def register_program(key: str, title: str, document: str, folder: Path) -> Program:
    program = Program(key, title, document, folder)
    PROGRAMS[key] = program
    return program


def computation(program: Program, name: str, title: str, citation: Citation,
                facts: type[Facts]) -> Callable[[ComputationFunc], ComputationFunc]:
    """Declare a computation of a program, e.g. ``@computation(PROGRAM, "eligibility", ...)``."""

    def register(func: ComputationFunc) -> ComputationFunc:
        key = (program.key, name)
        if key in COMPUTATIONS and COMPUTATIONS[key].func is not func:
            raise PolicyError(f"computation {program.key}/{name} declared twice")
        COMPUTATIONS[key] = Computation(program, name, title, citation, facts, func)
        return func

    return register


def get_computation(program: str, name: str) -> Computation:
    from jiangxin.programs import load_all

    load_all()
    try:
        return COMPUTATIONS[(program, name)]
    except KeyError:
        known = ", ".join(f"{p}/{n}" for p, n in sorted(COMPUTATIONS))
        raise PolicyError(f"unknown computation {program}/{name}; known: {known}") from None


def all_computations() -> list[Computation]:
    from jiangxin.programs import load_all

    load_all()
    return [COMPUTATIONS[k] for k in sorted(COMPUTATIONS)]
