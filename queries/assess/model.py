"""What an assessment finds, as data: tiers per market, duties, the crosswalk across markets and
the places where the markets' common levels disagree. Every part has a `to_dict` (the JSON
twin of the table the CLI prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..findings import Finding, Provision


@dataclass(frozen=True)
class TierHit:
    """A tier the system falls in, in one market: now (`pending_from` None) or from a later date."""

    tier: str  # IRI of the tier class in ontology/tiers.ttl
    key: str  # its local name, e.g. EU-AnnexIII
    label: str
    market: str
    article: str
    provision: str | None  # the corpus provision the definition rests on
    level: str | None  # common risk level key (high, systemic…), None where the corpus maps none
    caveat: str | None
    pending_from: date | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "pending_from"}
        out["pending_from"] = self.pending_from.isoformat() if self.pending_from else None
        return out


@dataclass(frozen=True)
class MarketAssessment:
    """One market: who the organisation is there, its tiers, and the duties that follow."""

    code: str
    roles: tuple[str, ...]
    tiers: tuple[TierHit, ...]
    pending_tiers: tuple[TierHit, ...]
    duties: tuple[Provision, ...]  # in force at the date, for the organisation's roles
    pending_duties: tuple[Provision, ...]
    level: str  # the highest common level now: a level key, "unmapped", "none" or "not modelled"
    notes: tuple[str, ...] = ()
    # provision IRI → the condition under which it binds (xw:dutyCondition): a conditional duty
    conditions: tuple[tuple[str, str], ...] = ()

    def condition(self, p: Provision) -> str | None:
        """The condition under which `p` binds this system, where it is conditional."""
        return dict(self.conditions).get(p.written)

    def to_dict(self) -> dict[str, Any]:
        return {
            "market": self.code,
            "roles": list(self.roles),
            "level": self.level,
            "tiers": [t.to_dict() for t in self.tiers],
            "pending_tiers": [t.to_dict() for t in self.pending_tiers],
            "duties": [_duty(p, self.condition(p)) for p in self.duties],
            "pending_duties": [_duty(p, self.condition(p)) for p in self.pending_duties],
            "notes": list(self.notes),
        }


def _duty(p: Provision, condition: str | None) -> dict[str, Any]:
    return {"concept": p.concept, **p.ref(), **({"condition": condition} if condition else {})}


@dataclass(frozen=True)
class ConceptRow:
    """The crosswalk on one concept: which markets impose it, what the verdict rules say about
    each pair, and the groups of markets where one way of meeting it serves all (equivalent)."""

    concept: str
    label: str
    markets: tuple[str, ...]  # markets with a duty on the concept in force
    met_once: tuple[tuple[str, ...], ...]  # groups of markets whose duties are equivalent
    findings: tuple[tuple[str, str, Finding], ...]  # (market a, market b, finding) where both impose it

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "label": self.label,
            "markets": list(self.markets),
            "met_once": [list(g) for g in self.met_once],
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "kind": f.kind,
                    "stricter": f.stricter,
                    "stricter_note": f.stricter_note,
                    "conflict": f.conflict,
                    "reasons": list(f.reasons),
                    "finding": f.id,
                }
                for a, b, f in self.findings
            ],
        }


@dataclass(frozen=True)
class Misalignment:
    """The same system at different common levels in different markets."""

    levels: dict[str, str]  # market → level key, "unmapped" or "none"
    tiers: dict[str, tuple[str, ...]]  # market → tier labels

    def to_dict(self) -> dict[str, Any]:
        return {"levels": dict(self.levels), "tiers": {k: list(v) for k, v in self.tiers.items()}}


@dataclass(frozen=True)
class Assessment:
    system: str
    name: str
    as_of: date
    markets: tuple[MarketAssessment, ...]
    crosswalk: tuple[ConceptRow, ...]
    index: dict[str, float]  # "A|B" → interoperability index of the system's duties (verdicts.table)
    misalignment: Misalignment | None
    reasoner_seconds: float
    notes: tuple[str, ...] = field(default=())

    def market(self, code: str) -> MarketAssessment:
        return next(m for m in self.markets if m.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "name": self.name,
            "as_of": self.as_of.isoformat(),
            "markets": [m.to_dict() for m in self.markets],
            "crosswalk": [c.to_dict() for c in self.crosswalk],
            "index": dict(self.index),
            "misalignment": self.misalignment.to_dict() if self.misalignment else None,
            "reasoner_seconds": round(self.reasoner_seconds, 3),
            "notes": list(self.notes),
        }
