"""The one error hierarchy of Crosswalk.

    CrosswalkError                 anything Crosswalk reports to a person
    ├── InputError                 bad input; nothing was changed          (exit code 2)
    │   ├── RuleFileError          a rule file is malformed: file, line, field, what is valid
    │   │   └── RuleFilesError     several files of one ingest are: every file's problems
    │   ├── ShapeError             an instrument graph fails the SHACL shapes: shape and node
    │   └── QueryError             a SPARQL query or its parameters are malformed
    │       ├── QueryRefused       a read-only endpoint refuses an update, LOAD or SERVICE
    │       └── ResultTooLarge     a result passed the configured row limit
    └── StoreError                 the store failed or cannot be reached  (exit code 1)
        ├── StoreUnavailable       the store is down or the path is unusable
        │   └── EndpointBusy       every query worker is busy: retry after `retry_after` s
        └── QueryTimeout           a query ran past its time limit

The CLI maps `InputError` to exit code 2 and `StoreError` to 1 (see `crosswalk.api.cli`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CrosswalkError(Exception):
    """Base of every error Crosswalk reports to a person."""

    exit_code = 1


class InputError(CrosswalkError):
    """The input was wrong; nothing was written."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule file, located by file, line and field path."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class RuleFileError(InputError):
    """A rule file failed parsing or checking. `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = str(problems[0])
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(head + more)

    def details(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class RuleFilesError(RuleFileError):
    """Several files of one ingest failed (parsing, checking or SHACL); nothing was written."""

    def __init__(self, errors: Sequence[InputError], files: int) -> None:
        self.errors = errors
        self.problems = [p for e in errors for p in getattr(e, "problems", [])]
        InputError.__init__(self, f"{len(errors)} of {files} rule files have problems; nothing was written")

    def details(self) -> str:
        lines = [e.details() if isinstance(e, (RuleFileError, ShapeError)) else str(e) for e in self.errors]
        return "\n".join([*lines, str(self)])


class ShapeError(InputError):
    """The built graph violates the SHACL shapes. `violations` holds readable lines."""

    def __init__(self, file: str, violations: list[str]) -> None:
        self.file = file
        self.violations = violations
        super().__init__(f"{file}: SHACL: {violations[0]}" if violations else f"{file}: SHACL failed")

    def details(self) -> str:
        return "\n".join(f"{self.file}: SHACL: {v}" for v in self.violations)


class QueryError(InputError):
    """A SPARQL query, or a parameter given to it, is malformed."""


class StoreError(CrosswalkError):
    """The store failed while doing what it was asked."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened."""


class EndpointBusy(StoreUnavailable):
    """Every query worker is busy and the wait for one is over its bound (503, Retry-After)."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EmptyStore(StoreError):
    """The store holds no instrument: every answer would be an empty one, which must never
    pass for a finding ("0 concepts")."""


class QueryRefused(QueryError):
    """The read-only endpoint does not run this kind of request (updates, LOAD, SERVICE)."""


class ResultTooLarge(QueryError):
    """A query's result passed the configured row limit."""


class QueryTimeout(StoreError):
    """A query ran past its time limit and was stopped (never reported as an empty result)."""
