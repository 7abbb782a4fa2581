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
from crosswalk.graph.store import Rows, Store

from .compare import canonical_codes, compare, general_law, in_force
from .findings import Comparison, Finding, Provision
from .rules import named

# The verdict a concept has at a date: the first of these kinds among its findings (a concept
# with only pending provisions is "pending"; one with nothing on either side, absent).
ORDER = (
    "equivalent",
    "aligned",
    "parallel",
    "divergent",
    "shared",
    "conflict",
    "tension",
    "gap",
    "general-law",
    "not-curated",
    "pending",
)


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
            f"divergent ({f.stricter} stricter{', ' + f.stricter_note if f.stricter_note else ''})"
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


_ENDINGS = """
PREFIX xw: <https://w3id.org/crosswalk/ontology#>
SELECT ?provision ?until ?repealed WHERE {
  VALUES ?provision { %s }
  OPTIONAL { ?provision xw:appliesUntil ?until }
  OPTIONAL { ?provision xw:partOf ?instrument . ?instrument xw:repealedOn ?repealed }
}"""


def _endings(store: Store, iris: set[str]) -> dict[str, str]:
    """When each of these provisions stops applying, where the store says: the end of its own
    application or the repeal of its instrument ("" where neither is recorded: a lapse or a
    withdrawal the provision's status records)."""
    if not iris:
        return {}
    rows = store.query(_ENDINGS % " ".join(f"<{iri}>" for iri in sorted(iris)))
    assert isinstance(rows, Rows)
    out: dict[str, str] = {}
    for r in rows.dicts():
        until, repealed = r.get("until"), r.get("repealed")
        if until is not None:
            out[str(r["provision"])] = f"applies until {until}"
        elif repealed is not None:
            out[str(r["provision"])] = f"stops applying: its instrument is repealed from {repealed}"
    return out


def _starts(entering: list[Provision]) -> list[str]:
    """One event per provision that starts to apply. A provision whose scope applies in phases
    (`<id>.from-<date>`, graph/build.py) is named once, with the first date and the later ones."""
    dates: dict[tuple[str, str], set[str]] = {}
    for p in entering:
        dates.setdefault((p.jurisdiction, named(p)), set()).add(str(p.applies_from))
    out = []
    for (code, name), when in dates.items():
        first, *later = sorted(when)
        rest = f", for the rest of its scope from {', '.join(later)}" if later else ""
        out.append(f"{code}: {name} applies from {first}{rest}")
    return out


def changes_between(store: Store, before: Comparison, after: Comparison) -> tuple[Change, ...]:
    """The verdicts that differ between two comparisons of one pair, each with its events:

    - a provision that enters the verdict and was not in force before "applies from" its date;
    - one that leaves it and is no longer in force at the later date "applies until" its last
      day (or its instrument's repeal);
    - one that leaves it but still applies is said as such: general law still applies, but
      AI-specific law now decides the comparison. Saying "no longer applies" of the GDPR because
      the AI Act now answers the question would be false."""
    start, end = before.as_of, after.as_of
    old, new = _verdicts(before), _verdicts(after)
    still: set[str] = set()
    for code in (after.a, after.b):
        still |= {p.iri for p in (*in_force(store, code, end), *general_law(store, code, end))}
    leaving: dict[str, dict[str, Provision]] = {}
    changed: list[tuple[str, str | None, str | None]] = []
    for concept in sorted(old.keys() | new.keys()):
        was, now = _say(old.get(concept), before), _say(new.get(concept), after)
        if was == now:
            continue
        changed.append((concept, was, now))
        in_old = {iri: p for iri, p in _provisions(old.get(concept)).items() if not p.why_pending}
        in_new = {iri for iri, p in _provisions(new.get(concept)).items() if not p.why_pending}
        leaving[concept] = {iri: p for iri, p in in_old.items() if iri not in in_new}
    endings = _endings(store, {iri for gone in leaving.values() for iri in gone if iri not in still})
    out = []
    for concept, was, now in changed:
        in_old_iris = {iri for iri, p in _provisions(old.get(concept)).items() if not p.why_pending}
        entering = [
            p
            for iri, p in _provisions(new.get(concept)).items()
            if not p.why_pending and iri not in in_old_iris and p.applies_from and p.applies_from > start.isoformat()
        ]
        events = _starts(entering)
        general = {p.iri for p in old[concept].general_law} if concept in old else set()
        for iri, p in leaving[concept].items():
            if iri in still:
                why = (
                    "still applies as general law; AI-specific law now decides the comparison"
                    if iri in general
                    else "still applies, but no longer enters this comparison"
                )
            else:
                why = endings.get(iri, f"no longer applies on {end.isoformat()}")
            events.append(f"{p.jurisdiction}: {named(p)} {why}")
        label = (new.get(concept) or old[concept]).concept_label
        out.append(Change(concept, label, was, now, tuple(sorted(set(events)))))
    return tuple(out)


def diff(store: Store, a: str, b: str, start: date, end: date) -> Diff:
    """The verdicts of the pair that differ between `start` and `end`, with their events."""
    if end <= start:
        raise QueryError(f"--to {end} must be after --from {start}")
    a, b = canonical_codes([a, b])
    return Diff(a, b, start, end, changes_between(store, compare(store, [a, b], start), compare(store, [a, b], end)))


__all__ = ["Change", "Diff", "changes_between", "diff"]
