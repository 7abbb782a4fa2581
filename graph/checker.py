"""Readers for the values of a rule file, each reporting problems by file, line and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from .errors import Problem
from .rulefile import Node, Unreadable
from .vocabulary import Enumeration, Vocabulary

T = TypeVar("T")
SLUG = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
CHANGE_KINDS = (
    "enacted",
    "entered-into-force",
    "amended",
    "delayed",
    "proposed-amendment",
    "repealed",
    "revoked",
    "lapsed",
    "superseded",
)
# What a caveat records (docs/rule-format.md): each changes whether or when a provision bites.
CAVEAT_KINDS = ("enforcement-stay", "injunction", "non-enforcement-undertaking", "grace-period", "sunset")
DATE_KEYS = ("proposed", "adopted", "published", "entry_into_force", "repealed", "lapsed")
METHODS = ("official-text", "secondary-source")
CONFIDENCE = ("high", "medium", "low")
REVIEW = ("unreviewed", "peer-reviewed")
MISSING = object()


class Checker:
    """Collects problems while reading values; each reader returns MISSING on a problem."""

    def __init__(self, path: Path, vocab: Vocabulary) -> None:
        self.file = str(path)
        self.v = vocab
        self.problems: list[Problem] = []

    def fail(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, field, message))

    # ---------------------------------------------------------------- shapes of values
    def mapping(
        self, node: Node, field: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Node] | None:
        if not isinstance(node.value, dict):
            self.fail(node.line, field, f"expected a mapping, got {_kind(node.value)}")
            return None
        for key, child in node.value.items():
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.fail(child.line, f"{field}.{key}" if field else key, f"unknown field; allowed: {allowed}")
        for key in required:
            if key not in node.value:
                self.fail(node.line, f"{field}.{key}" if field else key, "required field is missing")
        return node.value

    def items(self, node: Node | None, field: str) -> list[Node]:
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.fail(node.line, field, f"expected a list, got {_kind(node.value)}")
            return []
        return node.value

    def string(self, node: Node, field: str, pattern: re.Pattern[str] | None = None, what: str = "") -> Any:
        value = node.value
        if isinstance(value, Unreadable):
            value = value.text
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(node.line, field, f"expected text, got {_kind(value)} (quote it)")
            return MISSING
        text = str(value).strip()
        if not text:
            self.fail(node.line, field, "must not be empty")
            return MISSING
        if pattern is not None and not pattern.match(text):
            self.fail(node.line, field, f"{text!r} is not a valid {what or 'value'}")
            return MISSING
        return text

    def date(self, node: Node, field: str) -> Any:
        value = node.value
        if isinstance(value, datetime):
            self.fail(node.line, field, f"expected a date (YYYY-MM-DD), got a date-time {value.isoformat()}")
            return MISSING
        if isinstance(value, date):
            return value
        if isinstance(value, Unreadable):
            self.fail(node.line, field, f"malformed date {value.text!r}: {value.reason}")
            return MISSING
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(node.line, field, f"malformed date {value!r}; expected YYYY-MM-DD")
        return MISSING

    def boolean(self, node: Node, field: str) -> Any:
        if isinstance(node.value, bool):
            return node.value
        self.fail(node.line, field, f"expected true or false, got {node.value!r}")
        return MISSING

    def number(self, node: Node, field: str) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(node.line, field, f"expected a number, got {_kind(value)}")
            return MISSING
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(node.line, field, f"expected a number, got {value!r}")
            return MISSING
        if not number.is_finite() or number < 0:
            self.fail(node.line, field, f"expected a non-negative number, got {value!r}")
            return MISSING
        return number

    def web_iri(self, node: Node, field: str) -> Any:
        text = self.string(node, field)
        if text is MISSING:
            return MISSING
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", text):
            self.fail(node.line, field, f"{text!r} is not an http(s) IRI")
            return MISSING
        return text

    def member(self, node: Node, field: str, enum: Enumeration) -> Any:
        text = self.string(node, field)
        if text is MISSING:
            return MISSING
        if text not in enum:
            self.fail(node.line, field, enum.hint(text))
            return MISSING
        return enum.iri(text)

    def choice(self, node: Node, field: str, allowed: tuple[str, ...]) -> Any:
        text = self.string(node, field)
        if text is not MISSING and text not in allowed:
            self.fail(node.line, field, f"{text!r} is not one of {', '.join(allowed)}")
            return MISSING
        return text

    def each(self, node: Node | None, field: str, read: Callable[[Node, str], T]) -> list[T]:
        out = []
        for i, item in enumerate(self.items(node, field)):
            value = read(item, f"{field}[{i}]")
            if value is not MISSING:
                out.append(value)
        return out

    def opt(self, fields: dict[str, Node], key: str, field: str, read: Callable[[Node, str], T]) -> T | None:
        node = fields.get(key)
        if node is None or node.value is None:
            return None
        value = read(node, f"{field}.{key}")
        return None if value is MISSING else value

    def req(self, fields: dict[str, Node], key: str, field: str, read: Callable[[Node, str], Any]) -> Any:
        node = fields.get(key)
        if node is None:
            return MISSING  # already reported by mapping()
        return read(node, f"{field}.{key}" if field else key)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return f"{type(value).__name__} {value!r}"


def duration_days(text: str) -> Decimal | None:
    """Days in an ISO 8601 duration, months as 30 and years as 365 (an approximation kept only
    for the `xw:durationDays` column); None if malformed."""
    match = DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    y, mo, d, h, mi, s = (Decimal(g) if g else Decimal(0) for g in match.groups())
    return y * 365 + mo * 30 + d + h / 24 + mi / 1440 + s / 86400


def duration_figure(text: str, working_days: bool = False) -> tuple[Decimal, str] | None:
    """An ISO 8601 duration as the law counts it, exactly: calendar months (years as 12
    months), days, working days, or hours (days with hours become hours; 1 day = 24 hours is
    exact). None if malformed, or if it mixes months with days or hours, which have no exact
    common unit (a curator writes the period the way the article does)."""
    match = DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    y, mo, d, h, mi, s = (Decimal(g) if g else Decimal(0) for g in match.groups())
    months, days, hours = y * 12 + mo, d, h + mi / 60 + s / 3600
    if months and (days or hours):
        return None
    if months:
        return (months, "months") if not working_days else None
    if hours:
        return (days * 24 + hours, "hours") if not working_days else None
    return days, "working days" if working_days else "days"
