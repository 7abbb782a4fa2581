"""Who regulates a concept: every jurisdiction's provisions on it (and its narrower concepts) at
a date, in force or pending, with binding force, dates, caveats and citations; jurisdictions with
nothing on it say whether that is a declared absence ("no rule") or "not curated".

The answer to "which parties ban social scoring?" in one call (issue 14). It reads through the
same functions as `compare` (`in_force_many`, pending, coverage), so it can never disagree with a
comparison about what a side has.

>>> from crosswalk.graph.embedded import EmbeddedStore
>>> who_regulates(EmbeddedStore(None), "SocialScoring", date(2026, 12, 2)).concept_label
'Social scoring'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rdflib import RDFS

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import reference_graph

from .classify import covers
from .compare import context, covered_groups_of, in_force_many, pending_many
from .findings import Provision
from .rules import named


@dataclass(frozen=True)
class Holding:
    """One jurisdiction's standing on the concept."""

    code: str
    label: str
    state: str  # "rules" | "inherited" | "pending only" | "no rule" | "not curated"
    in_force: tuple[Provision, ...] = ()
    pending: tuple[Provision, ...] = ()
    inherited: tuple[Provision, ...] = ()  # binding law of a jurisdiction it is part of

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.code,
            "label": self.label,
            "state": self.state,
            "in_force": [_entry(p) for p in self.in_force],
            "pending": [_entry(p) for p in self.pending],
            "inherited": [_entry(p) for p in self.inherited],
        }


@dataclass(frozen=True)
class ConceptView:
    concept: str
    concept_label: str
    group: str
    concepts: tuple[str, ...]  # the concept first, then its narrower ones (`narrower`)
    as_of: date
    holdings: tuple[Holding, ...] = field(default_factory=tuple)

    @property
    def narrower(self) -> tuple[str, ...]:
        """The concepts whose skos:broader chain reaches this one, whose rules are listed too."""
        return self.concepts[1:]

    def of(self, state: str) -> list[Holding]:
        return [h for h in self.holdings if h.state == state]

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "concept_label": self.concept_label,
            "group": self.group,
            "concepts": list(self.concepts),
            "narrower": list(self.narrower),
            "as_of": self.as_of.isoformat(),
            "jurisdictions": [h.to_dict() for h in self.holdings],
        }


def _entry(p: Provision) -> dict[str, Any]:
    out = p.ref()
    out["named"] = named(p)
    out["concept"] = p.concept
    return out


def narrower(concept: str) -> tuple[str, ...]:
    """The concept first, then those whose skos:broader chain reaches it (ontology/concepts.ttl),
    in name order."""
    below = sorted(c for c, up in context().broader.items() if concept in up)
    return (concept, *below)


def who_regulates(store: Store, concept: str, as_of: date) -> ConceptView:
    """Every jurisdiction of the vocabulary on `concept` (and its narrower concepts) at `as_of`.
    A jurisdiction's own provisions are listed under it, never those it inherits (a US state is
    not listed for federal law: the US is)."""
    v = vocabulary()
    if concept not in v.concepts:
        raise QueryError(v.concepts.hint(concept))
    ctx = context()
    wanted = set(narrower(concept))
    group = ctx.concept_group.get(concept, "")
    codes = sorted(v.jurisdictions.members)
    iris = [v.jurisdictions.iri(c) for c in codes]
    forces = in_force_many(store, iris, as_of)
    covered = covered_groups_of(store, codes)
    pendings = pending_many(store, iris, as_of)
    graph = reference_graph()
    labels = {code: str(graph.value(iri, RDFS.label) or code) for code, iri in zip(codes, iris, strict=True)}
    holdings = []
    for code, iri in zip(codes, iris, strict=True):
        own = tuple(_dedupe(p for p in forces[iri] if p.concept in wanted and p.jurisdiction == code))
        later = tuple(_dedupe(p for p in pendings[iri] if p.concept in wanted and p.jurisdiction == code))
        inherited = tuple(_dedupe(p for p in forces[iri] if p.concept in wanted and p.jurisdiction != code))
        if own:
            state = "rules"
        elif inherited:
            state = "inherited"
        elif later:
            state = "pending only"
        elif covers(covered[code], concept, ctx):
            state = "no rule"
        else:
            state = "not curated"
        holdings.append(Holding(code, labels[code], state, own, later, inherited))
    label = ctx.concept_label.get(concept, concept)
    return ConceptView(concept, label, group, narrower(concept), as_of, tuple(holdings))


def _dedupe(provisions: Any) -> list[Provision]:
    seen: dict[str, Provision] = {}
    for p in provisions:
        seen.setdefault(p.iri, p)
    return sorted(seen.values(), key=lambda p: (p.instrument_title, p.citation))


__all__ = ["ConceptView", "Holding", "narrower", "who_regulates"]
