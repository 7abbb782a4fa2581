"""Checked rule-file content as plain typed records: what stage 2 hands to the RDF builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef


@dataclass(frozen=True)
class Instrument:
    id: str
    jurisdiction: URIRef
    title: str
    type: URIRef
    binding: bool
    status: URIRef
    source: str
    curated: date
    short_title: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    eli: str | None = None
    version: str | None = None
    curator: str = "Crosswalk curation team"
    notes: str | None = None
    sanction: URIRef | None = None  # what a breach of its duties brings, by default (xw:Sanction)
    sanction_citation: str | None = None
    general_law: bool = False  # general law that reaches AI (layer: general), not an AI-specific rule


def default_application(instrument: Instrument) -> date | None:
    """From when an instrument's provisions apply unless they say otherwise: its entry into
    force; for soft law, which has none, the day it was published, else adopted (a guideline
    speaks from the day it is issued). docs/rule-format.md documents this fallback."""
    if "entry_into_force" in instrument.dates:
        return instrument.dates["entry_into_force"]
    if not instrument.binding:
        return instrument.dates.get("published") or instrument.dates.get("adopted")
    return None


@dataclass(frozen=True)
class StatusChange:
    date: date
    kind: str
    by: str
    source: str
    status: URIRef
    summary: str
    affects: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Threshold:
    """An applicability condition (compute, revenue, users, employees) stated on a tier or for a
    set of provisions: the builder copies it onto every provision it governs."""

    parameter: Parameter
    citation: str
    applies_to: list[str] = field(default_factory=list)  # provision ids; empty: every provision
    note: str | None = None


@dataclass(frozen=True)
class RiskTier:
    id: str
    label: str
    level: URIRef
    citation: str | None = None
    thresholds: list[Threshold] = field(default_factory=list)


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    maps_to: URIRef
    citation: str | None = None


@dataclass(frozen=True)
class Coverage:
    groups: list[URIRef]
    as_of: date
    note: str | None = None
    searched: list[str] = field(default_factory=list)  # what the curator read to be sure


@dataclass(frozen=True)
class Caveat:
    """A dated fact that changes the practical picture of provisions without changing their
    text: a court stay or injunction, an undertaking not to enforce, a grace period before
    fines, a sunset. Findings and reports show it beside every provision it affects."""

    kind: str
    start: date
    by: str
    source: str
    summary: str
    until: date | None = None
    affects: list[str] = field(default_factory=list)  # provision ids; empty: the whole instrument


@dataclass(frozen=True)
class KnownOmission:
    """AI-specific rules of the jurisdiction, on these groups, that the curator knows exist but
    has not curated: the reason a group carries no coverage statement."""

    groups: list[URIRef]
    as_of: date
    note: str


@dataclass(frozen=True)
class Qualifier:
    """A condition in the article's own words that narrows what it reaches (xw:Qualifier)."""

    kind: URIRef
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    kind: URIRef
    duration: str | None = None
    days: Decimal | None = None
    amount: Decimal | None = None
    currency: str | None = None
    percent: Decimal | None = None
    quantity: float | None = None
    unit: str | None = None  # of a quantity; for a duration only "working-days"
    note: str | None = None


@dataclass(frozen=True)
class Phase:
    """A later application date for part of a provision's scope: the EU's Arts. 9-15 apply to
    Annex III systems from 2 Dec 2027 and to Annex I products from 2 Aug 2028."""

    applies_from: date
    risk_tiers: list[str]
    citation: str  # the article that sets the later date


@dataclass(frozen=True)
class Provision:
    id: str
    citation: str
    modality: URIRef
    concepts: list[URIRef]
    bearer: list[str]
    summary: str
    beneficiary: list[str] = field(default_factory=list)
    risk_tiers: list[str] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    system_types: list[URIRef] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    applies_from: date | None = None
    applies_until: date | None = None
    protects: list[URIRef] = field(default_factory=list)
    source: str | None = None
    status: URIRef | None = None
    method: str = "official-text"
    confidence: str = "high"
    review: str = "unreviewed"
    qualifiers: list[Qualifier] = field(default_factory=list)
    sanction: URIRef | None = None  # overrides the instrument's default
    sanction_citation: str | None = None
    phases: list[Phase] = field(default_factory=list)


@dataclass(frozen=True)
class RuleFile:
    """One checked instrument file. `sha256` is of the file's bytes, for no-op re-ingests."""

    path: Path
    sha256: str
    instrument: Instrument
    status_changes: list[StatusChange]
    risk_tiers: list[RiskTier]
    roles: list[Role]
    coverage: list[Coverage]
    provisions: list[Provision]
    known_omissions: list[KnownOmission] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
