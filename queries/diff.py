"""What changes between two dates for a pair (issue 14): the concepts whose verdict appears,
disappears or changes from one date to the other, each with the dated events behind it (a
provision that starts or stops applying).

It compares two `compare` results, so it can never say something a comparison would not.

>>> from crosswalk.graph.embedded import EmbeddedStore
>>> diff(EmbeddedStore(None), "EU", "US-CO", date(2026, 12, 2), date(2027, 12, 3)).changes
()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Store

from .compare import canonical_codes, compare
from .findings import Comparison, Finding, Provision
from .rules import named

# The verdict a concept has at a date: the first of these kinds among its findings (a concept
# with only pending provisions is "pending"; one with nothing on either side, absent).
ORDER = ("equivalent", "divergent", "shared", "conflict", "tension", "gap", "general-law", "not-curated", "pending")


@dataclass(frozen=True)
class Change:
    concept: str
    concept_label: str
    before: str | None  # "divergent (US-CO stricter)", "not-curated", None: nothing on either side
    after: str | None
    events: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "appears" if self.before is None else "disappears" if self.after is None else "changes"

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "concept_label": self.concept_label,
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "events": list(self.events),
        }


@dataclass(frozen=True)
class Diff:
    a: str
    b: str
    start: date
    end: date
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "changes": [c.to_dict() for c in self.changes],
        }


def _verdicts(c: Comparison) -> dict[str, Finding]:
    out: dict[str, Finding] = {}
    for f in sorted(c.findings, key=lambda f: ORDER.index(f.kind)):
        out.setdefault(f.concept, f)
    return out


def _say(f: Finding | None, c: Comparison) -> str | None:
    if f is None:
        return None
    if f.kind == "divergent":
        # f.stricter is a party's code, "mixed", or None
        return (
            f"divergent ({f.stricter} stricter)"
            if f.stricter not in (None, "mixed")
            else f"divergent ({f.stricter or 'no stricter side'})"
        )
    if f.kind in ("gap", "not-curated", "general-law") and f.missing_side:
        return f"{f.kind} (none in force in {c.a if f.missing_side == 'a' else c.b})"
    return f.kind


def _provisions(f: Finding | None) -> dict[str, Provision]:
    if f is None:
        return {}
    return {p.iri: p for p in (*f.a, *f.b, *f.pending, *f.related, *f.general_law)}


def diff(store: Store, a: str, b: str, start: date, end: date) -> Diff:
    """The verdicts of the pair that differ between `start` and `end`, with their events."""
    if end <= start:
        raise QueryError(f"--to {end} must be after --from {start}")
    a, b = canonical_codes([a, b])
    before, after = compare(store, [a, b], start), compare(store, [a, b], end)
    old, new = _verdicts(before), _verdicts(after)
    changes = []
    for concept in sorted(old.keys() | new.keys()):
        was, now = _say(old.get(concept), before), _say(new.get(concept), after)
        if was == now:
            continue
        in_old = {iri for iri, p in _provisions(old.get(concept)).items() if not p.why_pending}
        in_new = {iri: p for iri, p in _provisions(new.get(concept)).items() if not p.why_pending}
        events = [
            f"{p.jurisdiction}: {named(p)} applies from {p.applies_from}"
            for iri, p in in_new.items()
            if iri not in in_old and p.applies_from and p.applies_from > start.isoformat()
        ]
        events += [
            f"{p.jurisdiction}: {named(p)} no longer applies (ends or repealed by {end.isoformat()})"
            for iri, p in _provisions(old.get(concept)).items()
            if iri in in_old and iri not in in_new
        ]
        label = (new.get(concept) or old[concept]).concept_label
        changes.append(Change(concept, label, was, now, tuple(sorted(set(events)))))
    return Diff(a, b, start, end, tuple(changes))


__all__ = ["Change", "Diff", "diff"]
