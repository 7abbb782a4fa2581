"""Typed results of the analysis: provisions, findings, comparisons, baselines, matrices.

Every finding carries its explanation — the provisions on each side, with instrument, citation,
source and summary — and serialises to stable JSON (`to_dict`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["equivalent", "divergent", "conflict", "gap", "not-curated", "pending"]
Relation = Literal["equal", "subset", "superset", "intersects", "no-relationship"]
KINDS: tuple[str, ...] = ("equivalent", "divergent", "conflict", "gap", "not-curated", "pending")


@dataclass(frozen=True)
class Provision:
    """One provision as the analysis sees it (one row per concept it concerns)."""

    iri: str
    jurisdiction: str  # code of the jurisdiction that made it (may be an ancestor of the side)
    concept: str  # local name in the concept scheme
    modality: str  # obligation | prohibition | permission | right
    citation: str
    summary: str
    source: str
    instrument: str
    instrument_title: str
    binding: bool
    roles: frozenset[str]  # common roles (local names) of its bearers
    levels: frozenset[str]  # common risk levels of its scope tiers; empty = any
    domains: frozenset[str]  # empty = any
    system_types: frozenset[str]  # empty = any
    parameters: tuple[tuple[str, Decimal, str], ...] = ()  # (kind, value, unit)
    applies_from: str | None = None
    why_pending: str | None = None

    def ref(self) -> dict[str, Any]:
        """The explanation of a finding: what a reader needs to check this provision."""
        return {
            "provision": self.iri,
            "jurisdiction": self.jurisdiction,
            "instrument": self.instrument,
            "instrument_title": self.instrument_title,
            "binding": self.binding,
            "citation": self.citation,
            "modality": self.modality,
            "summary": self.summary,
            "source": self.source,
            "applies_from": self.applies_from,
            "parameters": [{"kind": k, "value": float(v), "unit": u} for k, v, u in self.parameters],
            **({"pending": self.why_pending} if self.why_pending else {}),
        }


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str
    concept: str
    concept_label: str
    group: str
    a: tuple[Provision, ...]
    b: tuple[Provision, ...]
    relation: str | None = None  # NIST IR 8477 set relation of A's scope to B's
    stricter: str | None = None  # "a", "b", "mixed" or None
    conflict: str | None = None  # "cannot-comply-with-both" | "permits-what-other-prohibits" | "incompatible-concepts"
    missing_side: str | None = None  # for gaps and not-curated: "a" or "b"
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("a", "b")}
        out["a"] = [p.ref() for p in self.a]
        out["b"] = [p.ref() for p in self.b]
        out["reasons"] = list(self.reasons)
        return out


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    as_of: date
    findings: tuple[Finding, ...]
    index: float  # interoperability index, see docs/analysis.md
    concepts_regulated: int

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of(kind)) for kind in KINDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "as_of": self.as_of.isoformat(),
            "index": self.index,
            "concepts_regulated": self.concepts_regulated,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class BaselineEntry:
    concept: str
    concept_label: str
    group: str
    protects: tuple[str, ...]
    provisions: dict[str, tuple[Provision, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Baseline:
    jurisdictions: tuple[str, ...]
    as_of: date
    common: tuple[BaselineEntry, ...]  # concepts every jurisdiction regulates
    obligations_union: tuple[str, ...]  # concepts on which any jurisdiction imposes an obligation

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdictions": list(self.jurisdictions),
            "as_of": self.as_of.isoformat(),
            "common": [
                {
                    "concept": e.concept,
                    "concept_label": e.concept_label,
                    "group": e.group,
                    "protects": list(e.protects),
                    "provisions": {j: [p.ref() for p in ps] for j, ps in e.provisions.items()},
                }
                for e in self.common
            ],
            "obligations_union": list(self.obligations_union),
        }


@dataclass(frozen=True)
class Matrix:
    jurisdictions: tuple[str, ...]
    as_of: date
    index: dict[tuple[str, str], float]
    conflicts: dict[tuple[str, str], int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdictions": list(self.jurisdictions),
            "as_of": self.as_of.isoformat(),
            "pairs": [
                {"a": a, "b": b, "index": self.index[(a, b)], "conflicts": self.conflicts[(a, b)]}
                for (a, b) in sorted(self.index)
            ],
        }
