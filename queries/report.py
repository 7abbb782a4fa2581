"""A harmonization report as one plain data structure: every renderer (HTML, PDF, Markdown,
JSON) reads the dict `build_report(...)` returns and nothing else, so the formats cannot disagree.

The report runs `compare` on every pair of parties, `baseline` on all of them, and lays the
findings out in the order a negotiator reads them (docs/reports.md): who is at the table and
under which instruments, the summary, the heat map, the common baseline, the side-by-side
tables per concept group, gaps / divergences / conflicts, method and limits, and the annex with
the data version that lets anyone regenerate it.

>>> from crosswalk.graph.embedded import EmbeddedStore
>>> build_report(EmbeddedStore(None), ["EU", "KR"], as_of=date(2026, 11, 24))["summary"]["totals"]["equivalent"]
0
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import combinations
from typing import Any

from rdflib import RDFS
from rdflib.namespace import SKOS

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import QueryResult, Rows, Store, Term
from crosswalk.graph.version import data_version
from crosswalk.graph.vocabulary import lineage, vocabulary
from crosswalk.ontology import XW, reference_graph

from .compare import baseline, canonical_codes, compare, context, covered_groups_of, general_law, in_force, pending
from .diff import changes_between
from .findings import Comparison, Finding, Provision, provenance_line, provenance_summary
from .firm import FIRM_KINDS, held_back
from .money import show
from .registry import get
from .rules import named

SCHEMA_VERSION = "1.0"
MAX_PARTIES = 12  # a 12-party report is 66 comparisons; beyond that the tables stop being readable
SECTIONS = (
    "Parties and instruments",
    "Executive summary",
    "Heat map",
    "Common baseline",
    "Side by side, per concept group",
    "Gaps, divergences and conflicts",
    "Method and limits",
    "Annex: instruments and data version",
)


@cache
def _labels() -> dict[str, str]:
    """Readable labels for the local names the analysis carries (roles, tiers, domains, values)."""
    g = reference_graph()
    out: dict[str, str] = {}
    for s, label in [*g.subject_objects(RDFS.label), *g.subject_objects(SKOS.prefLabel)]:
        name = str(s).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        out.setdefault(name, str(label))
    return out


def label(name: str) -> str:
    return _labels().get(name, name)


@cache
def group_labels() -> dict[str, str]:
    g = reference_graph()
    return {key: str(g.value(iri, SKOS.prefLabel) or key) for key, iri in vocabulary().concept_groups.members.items()}


def _party(code: str) -> dict[str, Any]:
    iri = vocabulary().jurisdictions.iri(code)
    name = reference_graph().value(iri, RDFS.label) or code
    return {"code": code, "label": str(name), "iri": str(iri), "inherits_from": _lineage_codes(code)[1:]}


def _provision(p: Provision) -> dict[str, Any]:
    return {
        "iri": p.iri,
        "jurisdiction": p.jurisdiction,
        "citation": p.citation,
        "modality": p.modality,
        "bearers": sorted(label(r) for r in p.roles),
        "scope": {
            "risk_levels": sorted(label(x) for x in p.levels),
            "domains": sorted(label(x) for x in p.domains),
            "system_types": sorted(label(x) for x in p.system_types),
        },
        "named": named(p),
        "parameters": [_figure(k, v, u) for k, v, u in p.parameters],
        "thresholds": [_figure(k, v, u) for k, v, u in p.thresholds],
        "qualifiers": sorted(label(q) for q in p.qualifiers),
        "sanction": label(p.sanction),
        "summary": p.summary,
        "source": p.source,
        "instrument": p.instrument,
        "instrument_title": p.instrument_title,
        "binding": p.binding,
        "applies_from": p.applies_from,
        "provenance": {"method": p.method, "confidence": p.confidence, "review": p.review, "text": p.provenance()},
        "caveats": [{**c.to_dict(), "text": c.text()} for c in p.caveats],
        **({"pending": p.why_pending} if p.why_pending else {}),
    }


def _figure(kind: str, value: Decimal, unit: str) -> dict[str, str]:
    """A figure exactly: the decimal as text (never a float) and as a person reads it."""
    return {"kind": label(kind), "value": format(value.normalize(), "f"), "unit": unit, "display": show(value, unit)}


class _Registry(dict[str, dict[str, Any]]):
    """Each provision once, keyed by IRI; findings and table rows refer to it by IRI."""

    def ref(self, p: Provision) -> str:
        if p.iri not in self:
            self[p.iri] = _provision(p)
        return p.iri

    def refs(self, provisions: Sequence[Provision]) -> list[str]:
        return list(dict.fromkeys(self.ref(p) for p in provisions))


def _finding(f: Finding, c: Comparison, reg: _Registry) -> dict[str, Any]:
    side = {"a": c.a, "b": c.b}
    held = held_back(f, (c.a, c.b), c.as_of.isoformat())
    return {
        "id": f.id,
        "kind": f.kind,
        "pair": [c.a, c.b],
        "concept": f.concept,
        "concept_label": f.concept_label,
        "group": f.group,
        "relation": f.relation,
        "stricter": f.stricter,  # a party's code, "mixed" or None (queries/rules.stricter)
        "stricter_note": f.stricter_note,  # "on paper only", or None
        "conflict": f.conflict,
        "missing": side.get(f.missing_side or ""),
        "reasons": list(f.reasons),
        "provisions": {c.a: reg.refs(f.a), c.b: reg.refs(f.b)},
        "institutional": f.institutional,
        "pending": reg.refs(f.pending),
        "general_law": reg.refs(f.general_law),
        "matched": [list(m) for m in f.matched],
        "significance": round(significance(f), 4) if f.kind == "divergent" else None,
        # why it stays out of the executive summary; empty: firm (queries/firm.py)
        "held_back": list(held),
    }


SCOPE_WEIGHT = {"no-relationship": 0.6, "intersects": 0.5, "subset": 0.4, "superset": 0.4, "equal": 0.0}


def significance(f: Finding) -> float:
    """How much a divergence matters, for picking the "most significant" ones (docs/reports.md).

    The largest of: the relative difference between the two sides' figures of one kind and unit
    (0-1); the scope weight of the NIST relation (no relationship 0.6, intersects 0.5,
    subset/superset 0.4); 0.3 when binding force differs. Doubled when both sides are binding
    law; halved when the modalities differ or the bearers share no common role, since such
    provisions correspond only loosely (a duty of providers against a power of an authority);
    times 0.75 when each side is stricter somewhere (mixed) and 0.5 when no side is.
    """
    figures: dict[str, dict[str, list[Decimal]]] = {"a": defaultdict(list), "b": defaultdict(list)}
    for side, provs in (("a", f.a), ("b", f.b)):
        for p in provs:
            for kind, value, unit in p.parameters:
                figures[side][f"{kind} {unit}"].append(value)
    weights = [SCOPE_WEIGHT.get(f.relation or "", 0.0)]
    for key in set(figures["a"]) & set(figures["b"]):
        va, vb = max(figures["a"][key]), max(figures["b"][key])
        top = max(abs(va), abs(vb))
        if top and va != vb:
            weights.append(float(abs(va - vb) / top))
    if {p.binding for p in f.a} != {p.binding for p in f.b}:
        weights.append(0.3)
    binding = all(p.binding for p in (*f.a, *f.b))
    loose = {p.modality for p in f.a} != {p.modality for p in f.b} or not (
        {r for p in f.a for r in p.roles} & {r for p in f.b for r in p.roles}
    )
    # a one-way difference (one side stricter) matters more to a negotiator than one where each
    # side is stricter somewhere (mixed), and that more than one with no measurable direction
    direction = 1.0 if f.stricter not in (None, "mixed") else 0.75 if f.stricter == "mixed" else 0.5
    return max(weights) * (2 if binding else 1) * (0.5 if loose else 1) * direction


def _omissions(store: Store, codes: Sequence[str], keep: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Per party, the known omissions (AI rules known but not curated) of it and of every
    jurisdiction it inherits from, on the report's groups: why a group is not curated."""
    rows = get("known-omissions").run(store)
    assert isinstance(rows, Rows)
    by_code: dict[str, dict[str, list[str]]] = defaultdict(dict)
    # the query's ORDER BY, again in Python: engines collate non-ASCII text differently (Virtuoso)
    for j, group, _as_of, note, _declared in sorted(rows.rows, key=lambda r: (str(r[0]), str(r[1]), str(r[3]))):
        by_code[str(j)].setdefault(str(note), []).append(str(group))
    return {
        code: [
            {"jurisdiction": j, "groups": sorted(set(groups) & keep), "note": note}
            for j in _lineage_codes(code)
            for note, groups in by_code.get(j, {}).items()
            if set(groups) & keep
        ]
        for code in codes
    }


def _lineage_codes(code: str) -> list[str]:
    """The code and those of the jurisdictions it inherits from, itself first."""
    g = reference_graph()
    return [str(g.value(j, XW.code)) for j in lineage(vocabulary().jurisdictions.iri(code))]


def _instruments(store: Store, parties: Sequence[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """Every instrument of a party or of a jurisdiction it inherits from, with where it stands at
    `as_of`: binding law in force, soft law, pending, or not in force (repealed, lapsed...)."""
    rows = get("instruments").run(store, {})
    assert isinstance(rows, Rows)
    codes: dict[str, list[str]] = defaultdict(list)
    for party in parties:
        for code in [party["code"], *party["inherits_from"]]:
            codes[code].append(party["code"])
    in_force_at: set[str] = set()
    pending_at: set[str] = set()
    general_at: set[str] = set()
    for party in parties:
        in_force_at |= {p.instrument for p in in_force(store, party["code"], as_of)}
        pending_at |= {p.instrument for p in pending(store, party["code"], as_of)}
        general_at |= {p.instrument for p in general_law(store, party["code"], as_of)}
    out = []
    for r in rows.dicts():
        code = str(r["jurisdiction"])
        if code not in codes:
            continue
        iri, binding = str(r["iri"]), str(r["binding"]).lower() == "true"
        if iri in in_force_at:
            standing = "binding" if binding else "soft-law"
        elif iri in general_at:
            standing = "general-law"
        elif iri in pending_at:
            standing = "pending"
        elif not binding and str(r["status"]) == "in-force":
            standing = "soft-law"  # issued by a body a party is part of: listed, not inherited
        else:
            standing = "not-in-force"
        out.append(
            {
                "iri": iri,
                "jurisdiction": code,
                "parties": codes[code],
                "short_title": str(r["instrument"]),
                "title": str(r["title"]),
                "type": str(r["type"]),
                "binding": binding,
                "status": str(r["status"]),
                "standing": standing,
                "counted": iri in in_force_at,
                "entered_into_force": str(r["enteredIntoForce"]) if r.get("enteredIntoForce") is not None else None,
                "curated": str(r["curated"]),
                "provisions": int(str(r["provisions"])),
                "source": str(r["source"]),
            }
        )
    return out


def _heat(
    codes: Sequence[str], comparisons: dict[tuple[str, str], Comparison], groups: Sequence[str]
) -> list[dict[str, Any]]:
    """One cell per party and group: how that party's rules in the group meet everyone else's,
    scored like the interoperability index (docs/analysis.md) over (other party, concept)."""
    cells = []
    for code in codes:
        for group in groups:
            n: dict[str, int] = defaultdict(int)
            regulated: set[tuple[str, str, str]] = set()  # (a, b, concept) regulated by either side
            for (a, b), comp in comparisons.items():
                if code not in (a, b):
                    continue
                mine = "a" if code == a else "b"
                for f in comp.findings:
                    if f.group != group or f.kind == "pending":
                        continue
                    if f.kind in ("gap", "not-curated"):
                        n[f"{f.kind}-{'lacks' if f.missing_side == mine else 'has'}"] += 1
                    else:
                        n[f.kind] += 1
                    if f.conflict != "incompatible-concepts":
                        regulated.add((a, b, f.concept))
            # agreement at principle level weighs as agreement (rules.AGREEING)
            agreeing = n["equivalent"] + n["aligned"]
            score = round((agreeing + 0.5 * n["divergent"]) / len(regulated), 4) if regulated else None
            cells.append(
                {
                    "party": code,
                    "group": group,
                    "equivalent": n["equivalent"],
                    "aligned": n["aligned"],
                    "divergent": n["divergent"],
                    "conflict": n["conflict"],
                    "lacks": n["gap-lacks"],
                    "only_here": n["gap-has"],
                    "not_curated": n["not-curated-lacks"] + n["not-curated-has"],
                    "score": score,
                }
            )
    return cells


def _side_by_side(
    store: Store,
    codes: Sequence[str],
    when: date,
    wanted: Sequence[str],
    findings: Sequence[tuple[Finding, Comparison]],
    reg: _Registry,
) -> list[dict[str, Any]]:
    """Section 5: per concept group, each concept any party regulates in force, every party's
    provisions on it, and the pairwise findings on it."""
    ctx = context()
    by_concept: dict[str, dict[str, list[Provision]]] = defaultdict(lambda: defaultdict(list))
    for code in codes:
        for p in in_force(store, code, when):
            if ctx.concept_group.get(p.concept) in wanted:
                by_concept[p.concept][code].append(p)
    on_concept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # concept → party → how it lacks the concept (gap, general law or not curated; the same
    # against every other party, since it depends only on the lacking party's own data)
    absent: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for f, c in findings:
        if f.kind != "pending" and f.conflict != "incompatible-concepts":
            side = {"a": c.a, "b": c.b}
            on_concept[f.concept].append(
                {
                    "pair": [c.a, c.b],
                    "kind": f.kind,
                    "id": f.id,
                    "stricter": f.stricter,
                    "stricter_note": f.stricter_note,
                    "missing": side.get(f.missing_side or ""),
                    "relation": f.relation,
                    "held_back": list(held_back(f, (c.a, c.b), when.isoformat())),
                }
            )
        if f.kind in ("gap", "general-law", "not-curated"):
            absent[f.concept].setdefault(
                side[f.missing_side or ""],
                {"kind": f.kind, "pending": reg.refs(f.pending), "general_law": reg.refs(f.general_law)},
            )
    labels = group_labels()
    sections = []
    for group in wanted:
        concepts = sorted(
            (c for c in by_concept if ctx.concept_group.get(c) == group), key=ctx.concept_label.__getitem__
        )
        if concepts:
            rows = [
                {
                    "concept": c,
                    "concept_label": ctx.concept_label[c],
                    "provisions": {code: reg.refs(by_concept[c].get(code, [])) for code in codes},
                    "findings": on_concept[c],
                    "absent": {code: absent[c][code] for code in codes if code in absent[c]},
                }
                for c in concepts
            ]
            sections.append({"group": group, "label": labels[group], "rows": rows})
    return sections


def _gap_lists(
    codes: Sequence[str], comparisons: dict[tuple[str, str], Comparison], reg: _Registry
) -> list[dict[str, Any]]:
    """Section 6: for each party and each other party, what the first lacks against declared
    coverage (gaps), and, apart, the absences nobody declared coverage for (not curated)."""
    out = []
    for code in codes:
        for other in codes:
            if other == code:
                continue
            pair = (code, other) if (code, other) in comparisons else (other, code)
            comp = comparisons[pair]
            mine = "a" if pair[0] == code else "b"
            out.append(
                {
                    "party": code,
                    "to_match": other,
                    "gaps": [_finding(f, comp, reg) for f in comp.of("gap") if f.missing_side == mine],
                    "general_law": [_finding(f, comp, reg) for f in comp.of("general-law") if f.missing_side == mine],
                    "not_curated": [
                        {"concept": f.concept, "concept_label": f.concept_label}
                        for f in comp.of("not-curated")
                        if f.missing_side == mine
                    ],
                }
            )
    return out


class _OneReading:
    """A store that does not count its writes (a remote endpoint) seen through one report. The
    report asks for each party's provisions many times (in every pair it is part of, for the
    instruments, the tables and the baseline); with a `cache_key` of its own, the analysis layer
    memoises them for the length of the report, and each distinct query reaches the server once."""

    _serials = itertools.count()

    def __init__(self, store: Store) -> None:
        self._store = store
        self.url = store.url
        self.cache_key = ("report", next(self._serials))
        self.concurrent_reads = getattr(store, "concurrent_reads", False)
        self._answers: dict[tuple[str, tuple[tuple[str, str], ...]], QueryResult] = {}

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, **limits: Any) -> QueryResult:
        key = (sparql, tuple(sorted((k, str(v)) for k, v in (bindings or {}).items())))
        if key not in self._answers:
            self._answers[key] = self._store.query(sparql, bindings, **limits)
        return self._answers[key]

    def __getattr__(self, name: str) -> Any:  # writes and the rest go to the store itself
        return getattr(self._store, name)


def check_request(jurisdictions: Sequence[str], groups: Sequence[str] | None = None) -> list[str]:
    """The parties of a report request in the vocabulary's spelling, or the reason it is bad
    input; needs no store, so a bad request is said before any store is opened."""
    codes = list(dict.fromkeys(canonical_codes(jurisdictions)))
    if len(codes) < 2:
        raise QueryError("a harmonization report needs at least two different jurisdictions")
    if len(codes) > MAX_PARTIES:
        raise QueryError(f"a harmonization report takes at most {MAX_PARTIES} jurisdictions, got {len(codes)}")
    v = vocabulary()
    for g in groups or ():
        if g not in v.concept_groups:
            raise QueryError(v.concept_groups.hint(g))
    return codes


def build_report(
    store: Store,
    jurisdictions: Sequence[str],
    as_of: date | None = None,
    groups: Sequence[str] | None = None,
    *,
    generated_on: date | None = None,
    changes_to: date | None = None,
) -> dict[str, Any]:
    """The harmonization report for two or more parties at a date, as plain JSON-ready data
    (its schema: api/report.schema.json). With `changes_to`, it also says what changes for each
    pair between the date and that later one (queries/diff.py: the same answer as `crosswalk diff`)."""
    codes = check_request(jurisdictions, groups)
    v = vocabulary()
    when = as_of or date.today()
    if changes_to is not None and changes_to <= when:
        raise QueryError(f"the date to show changes up to ({changes_to}) must be after the report's date ({when})")
    if getattr(store, "cache_key", None) is None:
        store = _OneReading(store)  # type: ignore[assignment]
    labels = group_labels()
    wanted = list(groups) if groups else sorted(labels, key=labels.__getitem__)
    keep = set(wanted)
    parties = [_party(c) for c in codes]

    # With groups chosen, each comparison (its index too) covers only their concepts.
    comparisons = {(a, b): compare(store, [a, b], when, groups or None) for a, b in combinations(codes, 2)}
    totals = {
        k: sum(len(c.of(k)) for c in comparisons.values())
        for k in ("equivalent", "aligned", "divergent", "gap", "conflict", "tension", "shared")
    }
    totals["not-curated"] = sum(len(c.of("not-curated")) for c in comparisons.values())

    all_findings = [(f, c) for c in comparisons.values() for f in c.findings]
    reg = _Registry()
    ctx = context()
    # institutional and policy concepts stand apart from the index and from the divergences
    divergences = sorted(
        (_finding(f, c, reg) for f, c in all_findings if f.kind == "divergent" and not f.institutional),
        key=lambda d: (-d["significance"], d["concept"], d["pair"]),
    )
    institutional = [
        _finding(f, c, reg)
        for f, c in all_findings
        if f.institutional and f.kind in ("parallel", "equivalent", "divergent")
    ]
    conflicts = [_finding(f, c, reg) for f, c in all_findings if f.kind == "conflict"]
    tensions = [_finding(f, c, reg) for f, c in all_findings if f.kind == "tension"]
    # the executive summary carries the firm findings only (queries/firm.py): conflicts, then
    # divergences by significance, gaps, equivalences
    others = [_finding(f, c, reg) for f, c in all_findings if f.kind in ("gap", "equivalent")]
    firm = sorted(
        (d for d in (*conflicts, *divergences, *others) if not d["held_back"]),
        key=lambda d: (FIRM_KINDS.index(d["kind"]), -(d["significance"] or 0), d["concept"], d["pair"]),
    )
    pendings = [
        {
            "party": code,
            "provisions": reg.refs([p for p in pending(store, code, when) if ctx.concept_group.get(p.concept) in keep]),
        }
        for code in codes
    ]

    totals["pending"] = len({iri for entry in pendings for iri in entry["provisions"]})
    sections = _side_by_side(store, codes, when, wanted, all_findings, reg)
    gaps = _gap_lists(codes, comparisons, reg)

    base = baseline(store, codes, when)
    common = [
        {
            "concept": e.concept,
            "concept_label": e.concept_label,
            "group": e.group,
            "protects": [label(x) for x in e.protects],
            "provisions": {j: reg.refs(ps) for j, ps in e.provisions.items()},
        }
        for e in base.common
        if e.group in keep
    ]
    values_shared = sorted({x for e in common for x in e["protects"]})
    values_all = sorted(label(x) for x in v.values.members)

    # Per party, how far to trust what the report cites: its provisions in force at the date
    for party in parties:
        counts = provenance_summary(in_force(store, party["code"], when))
        party["provenance"] = {**counts, "line": provenance_line(party["code"], counts)}

    instruments = _instruments(store, parties, when)
    changes = None
    if changes_to is not None:
        changes = {
            "from": when.isoformat(),
            "to": changes_to.isoformat(),
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "changes": [
                        ch.to_dict()
                        for ch in changes_between(store, c, compare(store, [a, b], changes_to, groups or None))
                    ],
                }
                for (a, b), c in comparisons.items()
            ],
        }
    curated = sorted({i["curated"] for i in instruments})
    declared = covered_groups_of(store, codes)
    coverage = {code: sorted(set(declared[code]) & keep) for code in codes}
    return {
        "schema_version": SCHEMA_VERSION,
        "title": "Harmonization report: " + ", ".join(p["label"] for p in parties),
        "parties": parties,
        "as_of": when.isoformat(),
        "generated_on": (generated_on or date.today()).isoformat(),
        "groups": [{"key": g, "label": labels[g]} for g in wanted],
        "curated": {"earliest": curated[0] if curated else None, "latest": curated[-1] if curated else None},
        "data_version": data_version(store),
        "instruments": instruments,
        "summary": {
            "totals": totals,
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "index": c.index,
                    "concepts_regulated": c.concepts_regulated,
                    "own_index": c.own_index,
                    "own_concepts_regulated": c.own_concepts_regulated,
                    "counts": comparisons[(a, b)].counts(),
                }
                for (a, b), c in comparisons.items()
            ],
            "firm": firm,
            "firm_totals": {k: sum(d["kind"] == k for d in firm) for k in FIRM_KINDS},
            "most_significant_divergences": [d for d in firm if d["kind"] == "divergent"][:3],
            "conflicts": [d for d in firm if d["kind"] == "conflict"],
            "tensions": tensions,
        },
        "heatmap": {"groups": wanted, "cells": _heat(codes, comparisons, wanted)},
        "baseline": {"common": common, "values_shared": values_shared, "values_all": values_all},
        "sections": sections,
        "gaps": gaps,
        "divergences": divergences,
        "conflicts": conflicts,
        "tensions": tensions,
        "institutional": institutional,
        "pending": pendings,
        "changes": changes,
        "provisions": dict(sorted(reg.items())),
        "method": {
            "groups": [
                {
                    "key": g,
                    "label": labels[g],
                    "concepts": sum(1 for c, grp in ctx.concept_group.items() if grp == g),
                }
                for g in wanted
            ],
            "coverage": coverage,
            "omissions": _omissions(store, codes, keep),
        },
    }


__all__ = ["MAX_PARTIES", "SECTIONS", "build_report", "check_request", "group_labels", "label", "significance"]
