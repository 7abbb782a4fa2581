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
class RiskTier:
    id: str
    label: str
    level: URIRef
    citation: str | None = None


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


@dataclass(frozen=True)
class KnownOmission:
    """AI-specific rules of the jurisdiction, on these groups, that the curator knows exist but
    has not curated: the reason a group carries no coverage statement."""

    groups: list[URIRef]
    as_of: date
    note: str


@dataclass(frozen=True)
class Parameter:
    kind: URIRef
    duration: str | None = None
    days: Decimal | None = None
    amount: Decimal | None = None
    currency: str | None = None
    percent: Decimal | None = None
    quantity: float | None = None
    unit: str | None = None
    note: str | None = None


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
