"""Errors the policy core raises. Each names what is wrong and what was expected."""

from __future__ import annotations


class PolicyError(Exception):
    """Base class of every error the policy core raises on purpose."""


class FactsError(PolicyError):
    """Input facts are missing or malformed. ``problems`` lists (field, expected form)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {expected}" for field, expected in problems))


class ParameterError(PolicyError):
    """A parameter is unknown, not in force on the date asked, or malformed in its YAML."""


class UnsetParameterError(ParameterError):
    """A value the document leaves to an office (e.g. the park's pass mark) has not been supplied."""

    def __init__(self, name: str, document: str):
        self.name = name
        self.document = document
        super().__init__(
            f"parameter {name!r} of {document} is not set by the policy: the office must supply it")


class CalendarYearUnknownError(PolicyError):
    """The official working-day calendar has no data for this year: never guessed."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"no official working-day calendar is loaded for {year}; add it before "
                         f"computing dates in {year}")
