"""Typed results of the analysis: provisions, findings, comparisons, baselines, matrices.

Every finding carries its explanation — the provisions on each side, with instrument, citation,
source and summary — and serialises to stable JSON (`to_dict`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:  # imported where JSON is written: 12-15 ms that `crosswalk compare` need not pay
    import orjson

Kind = Literal[
    "equivalent",
    "aligned",  # the same at principle level only (a principle, or recommendations): never "equivalent"
    "parallel",  # an institutional or policy concept both provide for: never "equivalent"
    "divergent",
    "conflict",
    "tension",
    "shared",
    "gap",
    "general-law",
    "not-curated",
    "pending",
]
Relation = Literal["equal", "subset", "superset", "intersects", "no-relationship"]
KINDS: tuple[str, ...] = get_args(Kind)  # in this order in counts and listings


@dataclass(frozen=True)
class Caveat:
    """A dated fact that changes how a provision bites without changing its text (a court stay,
    an undertaking not to enforce, a grace period before fines, a sunset): shown beside it."""

    kind: str  # enforcement-stay | injunction | non-enforcement-undertaking | grace-period | sunset
    start: str  # ISO date
    until: str | None
    by: str
    source: str
    summary: str

    def open_at(self, at: str) -> bool:
        """Not over at `at` (it may start later)."""
        return self.until is None or at < self.until

    def holds(self, at: str) -> bool:
        return self.start <= at and self.open_at(at)

    def text(self) -> str:
        """One line a reader can act on: what, since when, by what."""
        span = f"from {self.start}" + (f" until {self.until}" if self.until else "")
        return f"{self.kind.replace('-', ' ')} {span} ({self.by}): {self.summary}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": self.start,
            "until": self.until,
            "by": self.by,
            "source": self.source,
            "summary": self.summary,
        }


# Soft law recommends: its "obligation" is a recommendation, never printed as an obligation
# (the session-d second reading, must-fix 4: "(obligation)" beside "neither is an obligation").
SOFT_MODALITY = {"obligation": "recommendation", "prohibition": "recommended against"}


def modality_words(modality: str, binding: bool) -> str:
    """A provision's modality as a reader takes it: "recommendation" for a non-binding duty."""
    return modality if binding else SOFT_MODALITY.get(modality, f"{modality}, voluntary")


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
    qualifiers: frozenset[str] = frozenset()  # xw:Qualifier local names
    thresholds: tuple[tuple[str, Decimal, str], ...] = ()  # applicability conditions (kind, value, unit)
    sanction: str = "SanctionNotCurated"  # xw:Sanction local name
    bearers: frozenset[str] = frozenset()  # the instrument's own names of its bearers ("federal agency")
    # how far to trust it: official-text | secondary-source, high | medium | low,
    # unreviewed | peer-reviewed ("" where the store does not say)
    method: str = ""
    confidence: str = ""
    review: str = ""
    caveats: tuple[Caveat, ...] = ()  # those that hold at the date of the analysis
    # its other concepts narrower than `concept` (a deepfake label is a synthetic-content label):
    # under the broad concept it is the narrower rule (rules.rule_key; the audit's R6)
    narrower: frozenset[str] = frozenset()

    @property
    def written(self) -> str:
        """The IRI of the provision as written: a phase of it (`<id>.from-<date>`, graph/build.py)
        answers to the provision it splits."""
        return self.iri.split(".from-", 1)[0]

    def provenance(self) -> str:
        """The trust line a reader sees: "official text, peer-reviewed"."""
        if not self.method:
            return "provenance not recorded"
        return f"{self.method.replace('-', ' ')}, {self.review.replace('-', ' ')}, {self.confidence} confidence"

    def instrument_name(self) -> str:
        """The short title of its instrument, without a trailing bracket ("(AI article)")."""
        return _short_title(self.instrument_title or "")

    def named(self) -> str:
        """A citation that names its instrument ("China Deep Synthesis Provisions Art. 6"): several
        instruments of one party number their articles alike. A citation that starts with the
        title's last word says it once: "Korea AI Basic Act Enforcement Decree Art. 23(1)", not
        "... Enforcement Decree Decree Art. 23(1)"."""
        return self._named

    @cached_property
    def _named(self) -> str:
        # made once per provision: a comparison names each pending provision in several reasons
        title = self.instrument_name()
        last = title.rsplit(" ", 1)[-1]
        citation = self.citation.removeprefix(last + " ") if title else self.citation
        return f"{title or self.jurisdiction} {citation}"

    def ref(self) -> dict[str, Any]:
        """The explanation of a finding: what a reader needs to check this provision (a new dict
        each call, made from one kept per provision: a comparison cites each provision in many
        findings, and building it anew was a third of a comparison's time, issue 18)."""
        return dict(self._ref)

    @cached_property
    def _json(self) -> orjson.Fragment:
        """`ref()` as JSON, written once per provision: a comparison's answer cites each provision
        in many findings, and orjson copies a fragment's bytes instead of writing the dict again."""
        import orjson

        return orjson.Fragment(orjson.dumps(self._ref))

    @cached_property
    def _ref(self) -> dict[str, Any]:
        # cached_property writes the instance's __dict__, which a frozen dataclass allows; the
        # provision's fields never change, so neither does this
        return {
            "provision": self.iri,
            "name": self.named(),
            "jurisdiction": self.jurisdiction,
            "instrument": self.instrument,
            "instrument_title": self.instrument_title,
            "binding": self.binding,
            "citation": self.citation,
            "modality": self.modality,
            "summary": self.summary,
            "source": self.source,
            "applies_from": self.applies_from,
            # exact figures: a decimal string, never a float (10^25 must not print as 1.0000000000000000905e25)
            "parameters": [{"kind": k, "value": _exact(v), "unit": u} for k, v, u in self.parameters],
            "thresholds": [{"kind": k, "value": _exact(v), "unit": u} for k, v, u in self.thresholds],
            "qualifiers": sorted(self.qualifiers),
            "sanction": self.sanction,
            "bearers": sorted(self.bearers),
            "provenance": {"method": self.method, "confidence": self.confidence, "review": self.review},
            "caveats": [c.to_dict() for c in self.caveats],
            **({"pending": self.why_pending} if self.why_pending else {}),
        }


@lru_cache(maxsize=4096)
def _short_title(title: str) -> str:
    # titles recur on every provision of an instrument: a comparison names thousands (issue 18)
    return _BRACKET.sub("", title).strip()


_BRACKET = re.compile(r"\s*\([^()]*\)$")


def provenance_summary(provisions: Iterable[Provision]) -> dict[str, int]:
    """How much of a party's law a reader can lean on: of its distinct provisions, how many were
    read from the official text, how many a second reader checked, how many carry a caveat."""
    unique = {p.iri: p for p in provisions}.values()
    return {
        "provisions": len(unique),
        "official_text": sum(p.method == "official-text" for p in unique),
        "peer_reviewed": sum(p.review == "peer-reviewed" for p in unique),
        "with_caveats": sum(bool(p.caveats) for p in unique),
    }


def provenance_line(code: str, counts: dict[str, int]) -> str:
    """The per-party provenance line of comparisons and reports."""
    n = counts["provisions"]
    if not n:
        return f"{code}: no provisions in this comparison"

    def share(k: str) -> str:
        return f"{counts[k]} ({100 * counts[k] / n:.0f}%)"

    line = f"{code}: {n} provisions, {share('official_text')} read from the official text, "
    line += f"{share('peer_reviewed')} checked by a second reader"
    if counts["with_caveats"]:
        line += f", {counts['with_caveats']} under a caveat"
    return line


def _exact(value: Decimal) -> str:
    """A figure as an exact decimal string (no exponent, no float rounding)."""
    return format(value.normalize(), "f")


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
    stricter: str | None = None  # the stricter party's code, "mixed", or None
    stricter_note: str | None = None  # "on paper only": enforcement of its duties is stopped
    conflict: str | None = None  # "cannot-comply-with-both" | "permits-what-other-prohibits" | "incompatible-concepts"
    missing_side: str | None = None  # for gaps and not-curated: "a" or "b"
    reasons: tuple[str, ...] = ()
    # equivalent/divergent: which provisions have an equal counterpart on the other side
    matched: tuple[tuple[str, str], ...] = ()  # (provision IRI of a, provision IRI of b)
    # gap/not-curated: the lacking side's adopted provisions on the concept that apply later
    pending: tuple[Provision, ...] = ()
    # institutional and policy concepts (authorities, investment…) stand apart from the index
    institutional: bool = False
    # gap/not-curated: the lacking side's provisions on a broader or narrower concept
    related: tuple[Provision, ...] = ()
    # general-law: the lacking side's general law that reaches the concept
    general_law: tuple[Provision, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # Written out, not `dataclasses.asdict`: asdict deep-copied every provision only for the
        # copies to be replaced by `ref()`, 14 ms of a comparison's 95 (issue 18). Same keys in
        # the same order (tests/test_findings_json.py holds it equal to the asdict version).
        return self._fields(plain=True)

    def _json_dict(self) -> dict[str, Any]:
        """`to_dict()` for orjson (`Comparison.to_json`): the same keys in the same order, tuples
        left as tuples (orjson writes them as arrays) and provisions left to `_json_default`."""
        return self._fields(plain=False)

    def _fields(self, plain: bool) -> dict[str, Any]:
        """The finding's keys in their one order: `plain` gives lists and provision references
        (`to_dict`), else tuples and provisions as they are, for orjson."""

        def refs(ps: tuple[Provision, ...]) -> Any:
            return [p.ref() for p in ps] if plain else ps

        return {
            "id": self.id,
            "kind": self.kind,
            "concept": self.concept,
            "concept_label": self.concept_label,
            "group": self.group,
            "relation": self.relation,
            "stricter": self.stricter,
            "stricter_note": self.stricter_note,
            "conflict": self.conflict,
            "missing_side": self.missing_side,
            "reasons": list(self.reasons) if plain else self.reasons,
            "matched": [list(m) for m in self.matched] if plain else self.matched,
            "pending": refs(self.pending),
            "institutional": self.institutional,
            "related": refs(self.related),
            "general_law": refs(self.general_law),
            "a": refs(self.a),
            "b": refs(self.b),
        }


def _json_default(value: object) -> Any:
    """What orjson writes for the dataclasses of a comparison (OPT_PASSTHROUGH_DATACLASS sends
    them here): a provision's JSON written once per provision, a finding as `to_dict` orders it."""
    if type(value) is Provision:
        return value._json
    if type(value) is Finding:
        return value._json_dict()
    raise TypeError(f"no JSON for {type(value).__name__}")


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    as_of: date
    findings: tuple[Finding, ...]
    index: float  # interoperability index, see docs/analysis.md
    concepts_regulated: int
    own_index: float = 0.0  # the same over each side's own law only, nothing inherited
    own_concepts_regulated: int = 0

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def counts(self) -> dict[str, int]:
        seen = Counter(f.kind for f in self.findings)  # one pass, not one per kind
        return {kind: seen[kind] for kind in KINDS}

    def provenance(self) -> dict[str, dict[str, int]]:
        """Per party, the trust counts (provenance_summary) of the provisions its findings cite."""
        return {
            self.a: provenance_summary(p for f in self.findings for p in f.a),
            self.b: provenance_summary(p for f in self.findings for p in f.b),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self._head(), "findings": [f.to_dict() for f in self.findings]}

    def to_json(self) -> bytes:
        """`to_dict()` as compact JSON (orjson's), byte for byte, with each provision's JSON
        written once however many findings cite it, and no dict or list built for it (`/compare`'s
        answer, issue 18; tests/test_findings_json.py holds it equal)."""
        import orjson

        return orjson.dumps(
            {**self._head(), "findings": self.findings},
            default=_json_default,
            option=orjson.OPT_PASSTHROUGH_DATACLASS,
        )

    def _head(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "as_of": self.as_of.isoformat(),
            "provenance": self.provenance(),
            "index": self.index,
            "concepts_regulated": self.concepts_regulated,
            "own_index": self.own_index,
            "own_concepts_regulated": self.own_concepts_regulated,
            "counts": self.counts(),
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
    own_index: dict[tuple[str, str], float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdictions": list(self.jurisdictions),
            "as_of": self.as_of.isoformat(),
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "index": self.index[(a, b)],
                    "own_index": self.own_index.get((a, b)),
                    "conflicts": self.conflicts[(a, b)],
                }
                for (a, b) in sorted(self.index)
            ],
        }
