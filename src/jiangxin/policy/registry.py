"""Programs and their computations: the single entry point used by the CLI, the API and the platform."""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from jiangxin.policy.declaration import Declaration, load_declaration
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.facts import Facts, parse_facts
from jiangxin.policy.outcome import DOCUMENTS, Citation, Outcome
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

    @cached_property
    def package(self) -> str:
        """The dotted package the program's folder is (``jiangxin.programs.<key>`` or an added package)."""
        return PACKAGES.get(self.key, f"jiangxin.programs.{self.key}")

    @cached_property
    def declaration(self) -> Declaration:
        """What the program declares to the platform (its ``platform.yaml``)."""
        return load_declaration(self.key, self.folder)

    def resolve(self, ref: str) -> Any:
        """``module:attribute`` inside the program's package (e.g. ``scoring:ANNUAL_RUBRIC``)."""
        module, _, attribute = ref.partition(":")
        if not attribute:
            raise PolicyError(f"{self.key}: reference {ref!r} is not module:attribute")
        return getattr(importlib.import_module(f"{self.package}.{module}"), attribute)


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
#: loads every program package on first use; set by the composition root (``jiangxin/__init__.py``) to
#: ``jiangxin.programs.load_all``, so the core never imports the programs built on it
_program_loader: Callable[[], None] | None = None


def set_program_loader(loader: Callable[[], None]) -> None:
    global _program_loader
    _program_loader = loader


def load_programs() -> None:
    """Make sure every program is registered (the loader is idempotent and cheap after the first call)."""
    if _program_loader is None:
        raise PolicyError("no program loader is set: import the jiangxin package, which sets it")
    _program_loader()
#: program key → its package, for programs whose package is not ``jiangxin.programs.<key>``
PACKAGES: dict[str, str] = {}
COMPUTATIONS: dict[tuple[str, str], Computation] = {}


def register_program(key: str, title: str, document: str, folder: Path, package: str = "",
                     document_title: str = "") -> Program:
    """Register a program. A program whose document the core does not know yet names it with ``document_title``
    (the short name citations show, e.g. "某市工匠学院办法"); ``package`` when it lives outside ``jiangxin.programs``."""
    if document not in DOCUMENTS:
        if not document_title:
            raise PolicyError(f"program {key}: document {document!r} is unknown; give its document_title")
        DOCUMENTS[document] = document_title
    if package:
        PACKAGES[key] = package
    program = Program(key, title, document, folder)
    PROGRAMS[key] = program
    return program


#: where the shipped program folders are (a program added by package keeps its folder wherever the package is)
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "programs"


def program_folder(key: str) -> Path:
    """The folder of program ``key``: the registered program's own (also for one added with
    ``jiangxin.programs.add_packages``), else the shipped folder of that name (which need not exist)."""
    program = PROGRAMS.get(key)
    if program is None and key.isidentifier():
        load_programs()
        program = PROGRAMS.get(key)
    return program.folder if program is not None else SHIPPED_DIR / key


def program_folders() -> dict[str, Path]:
    """Every program's folder (the shipped ones and those added by package), by program key in order."""
    load_programs()
    return {key: PROGRAMS[key].folder for key in sorted(PROGRAMS)}


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
    load_programs()
    try:
        return COMPUTATIONS[(program, name)]
    except KeyError:
        known = ", ".join(f"{p}/{n}" for p, n in sorted(COMPUTATIONS))
        raise PolicyError(f"unknown computation {program}/{name}; known: {known}") from None


def all_computations() -> list[Computation]:
    load_programs()
    return [COMPUTATIONS[k] for k in sorted(COMPUTATIONS)]
