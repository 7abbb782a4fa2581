"""The analysis API: `compare`, `baseline`, `matrix` and `explain` over any `Store`.

Each side's provisions in force come from the `in-force` named query (and `pending` for what
is on its way); `classify.compare_sides` applies the semantics. Reference data (role hierarchy,
parameter directions, concept groups, incompatibilities) comes from the shipped ontology.

>>> from crosswalk.graph.embedded import EmbeddedStore
>>> compare(EmbeddedStore(None), ["EU", "US-CO"], as_of=date(2026, 11, 24)).concepts_regulated
0
"""

from __future__ import annotations

import difflib
import gc
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import SKOS

from crosswalk.graph.binding import bind_values
from crosswalk.graph.errors import QueryError
from crosswalk.graph.signature import weighed_sanction
from crosswalk.graph.store import Rows, Store, select_values
from crosswalk.graph.vocabulary import lineage, vocabulary
from crosswalk.ontology import XW, XWC, reference_graph
from crosswalk.ontology import local_name as _local

from . import matrix_read, timeline
from .classify import Context, compare_sides
from .findings import Baseline, BaselineEntry, Caveat, Comparison, Finding, Matrix, Provision
from .registry import get
from .rules import STAY_KINDS, STAYED, attribute_key, measured_by, narrower_key, narrower_of, stay_matters
from .verdicts import Entry, Side, table

_V = TypeVar("_V")  # what an index per provision holds: Attributes or Trust

MODALITY = {
    str(XW.Obligation): "obligation",
    str(XW.Prohibition): "prohibition",
    str(XW.Permission): "permission",
    str(XW.Right): "right",
}


@cache
def context() -> Context:
    g = reference_graph()
    v = vocabulary()
    roles = {
        _local(r): frozenset(_local(x) for x in g.transitive_objects(r, RDFS.subClassOf))
        for r in v.common_roles.members.values()
    }
    stricter = {
        _local(k): ("lower" if g.value(k, XW.stricterWhen) == XW.Lower else "higher")
        for k in v.parameter_kinds.members.values()
    }
    group_key = {g_iri: key for key, g_iri in v.concept_groups.members.items()}
    concept_group = {
        name: group_key.get(URIRef(str(g.value(iri, XW.inGroup))), "") for name, iri in v.concepts.members.items()
    }
    concept_label = {name: str(g.value(iri, SKOS.prefLabel) or name) for name, iri in v.concepts.members.items()}
    concept_added = {
        name: str(added) for name, iri in v.concepts.members.items() if (added := g.value(iri, XW.addedOn)) is not None
    }
    incompatible = frozenset(frozenset({_local(s), _local(o)}) for s, o in g.subject_objects(XW.incompatibleWith))
    practices = frozenset(_local(c) for c in g.subjects(RDF.type, XW.PracticeConcept))
    institutional = frozenset(_local(c) for c in g.subjects(RDF.type, XW.InstitutionalConcept))
    principle_concepts = frozenset(_local(c) for c in g.subjects(RDF.type, XW.PrincipleConcept))
    relief = {_local(c): str(g.value(c, XW.unrankedBecause) or "") for c in g.subjects(RDF.type, XW.ReliefConcept)}
    # a narrower concept of a relief concept is one too (a national-security exclusion is an
    # exclusion from scope; the session-f relief reading, S3), with the broader one's reason
    for c in g.subjects(RDF.type, SKOS.Concept):
        for wider in g.transitive_objects(c, SKOS.broader):
            if _local(wider) in relief and _local(c) not in relief:
                relief[_local(c)] = relief[_local(wider)]
    intergovernmental = frozenset(
        str(g.value(j, XW.code)).upper()
        for kind in (XW.InternationalOrganisation, XW.IntergovernmentalForum)
        for j in g.subjects(RDF.type, kind)
    )
    kind_label = {
        _local(k): str(g.value(k, RDFS.label) or _local(k))
        for k in (*v.parameter_kinds.members.values(), *v.qualifiers.members.values())
    }
    concepts = set(v.concepts.members)
    broader = {
        name: frozenset(
            _local(x) for x in g.transitive_objects(iri, SKOS.broader) if x != iri and _local(x) in concepts
        )
        for name, iri in v.concepts.members.items()
    }
    related: dict[str, set[str]] = {name: set(up) for name, up in broader.items()}
    for name, up in broader.items():
        for x in up:
            related[x].add(name)
    return Context(
        roles,
        stricter,
        concept_group,
        concept_label,
        incompatible,
        practices,
        institutional=institutional,
        principle_concepts=principle_concepts,
        relief=relief,
        intergovernmental=intergovernmental,
        same_market=same_market,
        kind_label=kind_label,
        broader={k: v for k, v in broader.items() if v},
        related={k: frozenset(v) for k, v in related.items() if v},
        concept_added=concept_added,
    )


@lru_cache(maxsize=4096)
def same_market(x: str, y: str) -> bool:
    """Whether rules made by two lawmakers (jurisdiction codes) bind in one market: one is the
    other or part of it (a US state and the US). Codes outside the vocabulary stand alone."""
    if x == y:
        return True
    iri = vocabulary().jurisdictions.members.get
    ix, iy = iri(x), iri(y)
    if ix is None or iy is None:
        return False
    return iy in lineage(ix) or ix in lineage(iy)


def _code(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _split(cell: object) -> frozenset[str]:
    return _split_text(str(cell)) if cell is not None else frozenset()


@lru_cache(maxsize=8192)
def _split_text(text: str) -> frozenset[str]:
    # Result cells repeat (the same roles or scope on many provisions): parse each text once.
    return frozenset(_local(x) for x in text.split())


def _params(cell: object) -> tuple[tuple[str, Decimal, str], ...]:
    return _params_text(str(cell)) if cell is not None else ()


@lru_cache(maxsize=8192)
def _params_text(text: str) -> tuple[tuple[str, Decimal, str], ...]:
    out = []
    for item in filter(None, text.split("|")):
        kind, value, *unit = item.split(" ", 2)
        out.append((_local(kind), Decimal(value), unit[0] if unit else ""))
    return tuple(sorted(out))


@dataclass(frozen=True)
class Attributes:
    """What a provision is compared on besides its concept and modality (attributes.rq)."""

    roles: frozenset[str] = frozenset()  # common roles of its bearers
    levels: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    system_types: frozenset[str] = frozenset()
    parameters: tuple[tuple[str, Decimal, str], ...] = ()
    qualifiers: frozenset[str] = frozenset()
    thresholds: tuple[tuple[str, Decimal, str], ...] = ()
    sanction: str = "SanctionNotCurated"
    bearers: frozenset[str] = frozenset()  # labels of the instrument's bearer roles
    concepts: frozenset[str] = frozenset()  # every norm concept it concerns (local names)

    # The matrix's view (queries/verdicts.py), made once per distinct set of attributes.
    @cached_property
    def keys(self) -> dict[str, str]:
        """The attribute key (rules.attribute_key) for each modality: a sanction weighs only
        behind a duty (graph/signature.weighed_sanction)."""
        return _attribute_keys(
            self.sanction, self.roles, self.levels, self.domains, self.system_types, self.qualifiers, self.thresholds,
            self.parameters,
        )  # fmt: skip


@lru_cache(maxsize=16384)
def _attribute_keys(
    sanction: str,
    roles: frozenset[str],
    levels: frozenset[str],
    domains: frozenset[str],
    system_types: frozenset[str],
    qualifiers: frozenset[str],
    thresholds: tuple[tuple[str, Decimal, str], ...],
    parameters: tuple[tuple[str, Decimal, str], ...],
) -> dict[str, str]:
    """`Attributes.keys` made once per distinct set of what they depend on: provisions that
    differ only in their concepts or bearers' names (at 50 x 1,000, 33,000 distinct attributes)
    share them. Never mutated."""
    return {
        m: attribute_key(
            weighed_sanction(sanction, m, roles), levels, domains, system_types, qualifiers, thresholds, parameters
        )
        for m in ("obligation", "prohibition", "permission", "right")
    }


@lru_cache(maxsize=8192)
def _attributes_text(text: str) -> Attributes:
    """Parse one cell of attributes.rq ("roles IRI|levels IRI|parameters IRI 30 days|…").
    Provisions share their attributes (the same bearer and scope recur): each text is parsed
    once, and equal texts give the same object."""
    sets: dict[str, set[str]] = {
        "roles": set(),
        "levels": set(),
        "domains": set(),
        "systemTypes": set(),
        "qualifiers": set(),
        "sanction": set(),
        "concepts": set(),
    }
    figures: dict[str, set[tuple[str, Decimal, str]]] = {"parameters": set(), "thresholds": set()}
    common_roles = _common_roles()
    bearers = set()
    for item in text.split("|"):
        if item.startswith("bearers "):
            bearers.add(item[len("bearers ") :])
            continue
        what, value, *figure = item.split(" ", 3)
        if what in figures:
            figures[what].add((_local(value), _decimal(figure[0]), figure[1] if len(figure) > 1 else ""))
        elif what != "roles" or value in common_roles:
            sets[what].add(_local(value))
    return Attributes(
        frozenset(sets["roles"]),
        frozenset(sets["levels"]),
        frozenset(sets["domains"]),
        frozenset(sets["systemTypes"]),
        tuple(sorted(figures["parameters"])),
        frozenset(sets["qualifiers"]),
        tuple(sorted(figures["thresholds"])),
        min(sets["sanction"]) if sets["sanction"] else "SanctionNotCurated",
        frozenset(bearers),
        frozenset(sets["concepts"]),
    )


_NO_ATTRIBUTES = Attributes()


CORE_COLUMNS = (
    "j", "provision", "concept", "modality", "citation", "summary", "source",
    "instrument", "instrumentLabel", "binding", "origin", "appliesFrom",
)  # fmt: skip


def _core_provision(
    row: tuple[str | None, ...],
    attributes: dict[str, Attributes],
    trust: Mapping[str, Trust],
    at: str,
    later: bool = False,
) -> Provision:
    """A provision from a row of in-force-core.rq (plain strings, CORE_COLUMNS), its attributes,
    its provenance and the caveats that hold at the date."""
    _, iri, concept, modality, citation, summary, source, instrument, title, binding, origin, applies = row
    a = attributes.get(str(iri), _NO_ATTRIBUTES)
    t = trust.get(str(iri), _NO_TRUST)
    return Provision(
        iri=str(iri),
        jurisdiction=_code(origin),
        concept=_local(concept),
        modality=MODALITY[str(modality)],
        citation=str(citation),
        summary=str(summary),
        source=str(source),
        instrument=str(instrument),
        instrument_title=str(title),
        binding=binding in ("true", "1"),
        roles=a.roles,
        levels=a.levels,
        domains=a.domains,
        system_types=a.system_types,
        parameters=a.parameters,
        applies_from=str(applies) if applies is not None else None,
        qualifiers=a.qualifiers,
        thresholds=a.thresholds,
        sanction=a.sanction,
        bearers=a.bearers,
        narrower=narrower_of(a.concepts, _local(concept)),
        method=t.method,
        confidence=t.confidence,
        review=t.review,
        # in force: the caveats that hold at the date; pending: those not over by then
        caveats=tuple(c for c in t.caveats if (c.open_at(at) if later else c.holds(at))),
    )


@dataclass(frozen=True)
class Trust:
    """A provision's provenance and every caveat on it (queries/parts/trust.rq)."""

    method: str = ""
    confidence: str = ""
    review: str = ""
    caveats: tuple[Caveat, ...] = ()


_NO_TRUST = Trust()
_TRUST: dict[URIRef, dict[str, Trust]] = {}
_TRUST_VERSION: list[object] = [None]
_TRUST_LOCK = threading.Lock()


def _trust(store: Store, jurisdictions: Sequence[URIRef]) -> dict[str, Trust]:
    """Provenance and caveats of every provision the jurisdictions have or inherit, read once
    per store version and jurisdiction (on every call for stores that do not count their
    writes), as `_attributes` reads attributes."""
    origins = list(dict.fromkeys(o for j in jurisdictions for o in lineage(j)))
    identity = getattr(store, "cache_key", None)
    if identity is None:
        return _merged(_read_trust(store, origins))
    with _TRUST_LOCK:
        if _TRUST_VERSION[0] != identity:
            _TRUST.clear()  # one version at a time
            _TRUST_VERSION[0] = identity
        missing = [o for o in origins if o not in _TRUST]
        if len(missing) >= _WHOLE_STORE_FROM:
            _TRUST.update(_read_trust(store, missing, whole=True))
        elif missing:
            _TRUST.update(_read_trust(store, missing))
        return _merged({o: _TRUST[o] for o in origins})


def _read_trust(store: Store, origins: Sequence[URIRef], whole: bool = False) -> dict[URIRef, dict[str, Trust]]:
    """trust.rq for some origin jurisdictions, keyed by origin; with `whole`, trust-scan.rq over
    the whole store (an embedded store's shape), keyed by every origin it holds and the ones
    asked for."""
    if whole:
        names, rows = select_values(store, _part("trust-scan"))
    else:
        names, rows = select_values(store, bind_values(_part("trust"), ["origin"], [[o] for o in origins]))
    col = {n: i for i, n in enumerate(names)}
    by_text = {str(o): o for o in origins}
    if whole:
        for text in {str(row[col["origin"]]) for row in rows} - by_text.keys():
            by_text[text] = URIRef(text)
    marks: dict[str, tuple[str, str, str]] = {}
    origin_of: dict[str, URIRef] = {}
    for row in rows:
        iri = str(row[col["provision"]])
        origin_of[iri] = by_text[str(row[col["origin"]])]
        if row[col["kind"]] is None:
            marks[iri] = (str(row[col["method"]]), str(row[col["confidence"]]), str(row[col["review"]]))
    caveats = _caveats_of(col, rows)
    out: dict[URIRef, dict[str, Trust]] = {o: {} for o in by_text.values()}
    for iri in marks.keys() | caveats.keys():
        out[origin_of[iri]][iri] = Trust(*marks.get(iri, ("", "", "")), caveats.get(iri, ()))
    return out


def _caveats_of(col: Mapping[str, int], rows: Sequence[Sequence[str | None]]) -> dict[str, tuple[Caveat, ...]]:
    """The caveats in rows of trust.rq or caveats.rq, by provision, ordered by start, then by
    every field (the same order whichever query, and row order, read them)."""
    caveats: dict[str, list[Caveat]] = {}
    for row in rows:
        if row[col["kind"]] is None:
            continue
        until = row[col["until"]]
        caveats.setdefault(str(row[col["provision"]]), []).append(
            Caveat(
                kind=str(row[col["kind"]]),
                start=str(row[col["from"]]),
                until=str(until) if until is not None else None,
                by=str(row[col["by"]]),
                source=str(row[col["source"]]),
                summary=str(row[col["note"]]),
            )
        )
    return {iri: tuple(sorted(found, key=_caveat_order)) for iri, found in caveats.items()}


def _caveat_order(c: Caveat) -> tuple[str, ...]:
    return (c.start, c.kind, c.until or "", c.by, c.source, c.summary)


def _stays(store: Store, jurisdictions: Sequence[URIRef], at: str) -> dict[str, tuple[Caveat, ...]]:
    """The stays of enforcement that hold at `at` (ISO date), by provision: on a store that counts
    its writes from every caveat of the version (caveats.rq, read once), else from the
    jurisdictions' trust."""
    if getattr(store, "cache_key", None) is None:
        every = {iri: t.caveats for iri, t in _trust(store, jurisdictions).items()}
    else:

        def read() -> dict[str, tuple[Caveat, ...]]:
            names, rows = select_values(store, _part("caveats"))
            return _caveats_of({n: i for i, n in enumerate(names)}, rows)

        every = _per_version(store, "caveats", read)
    return {
        iri: held for iri, cs in every.items() if (held := tuple(c for c in cs if c.kind in STAY_KINDS and c.holds(at)))
    }


def _provision(row: Mapping[str, object]) -> Provision:
    """A provision from a row of in-force.rq as users run it (rdflib terms, concatenated columns)."""
    binding = row["binding"]
    return Provision(
        iri=str(row["provision"]),
        jurisdiction=_code(row["origin"]),
        concept=_local(row["concept"]),
        modality=MODALITY[str(row["modality"])],
        citation=str(row["citation"]),
        summary=str(row["summary"]),
        source=str(row["source"]),
        instrument=str(row["instrument"]),
        instrument_title=str(row["instrumentLabel"]),
        binding=bool(binding.toPython()) if isinstance(binding, Literal) else bool(binding),
        roles=_split(row.get("roles")),
        levels=_split(row.get("levels")),
        domains=_split(row.get("domains")),
        system_types=_split(row.get("systemTypes")),
        parameters=_params(row.get("parameters")),
        applies_from=str(row["appliesFrom"]) if row.get("appliesFrom") is not None else None,
        qualifiers=_split(row.get("qualifiers")),
        thresholds=_params(row.get("thresholds")),
        sanction=_local(row["sanction"]) if row.get("sanction") is not None else "SanctionNotCurated",
        bearers=frozenset(filter(None, str(row.get("bearers") or "").split("|"))),
    )


@lru_cache(maxsize=4096)
def _decimal(text: str) -> Decimal:
    return Decimal(text)


def canonical_codes(codes: Sequence[str]) -> list[str]:
    """The vocabulary's spelling of each jurisdiction code: "us-co" is US-CO, "coe" is CoE. An
    unknown code is bad input, with close matches suggested."""
    known = vocabulary().jurisdictions
    folded = {c.casefold(): c for c in known.members}
    out = []
    for code in codes:
        if code in known:
            out.append(code)
        elif code.casefold() in folded:
            out.append(folded[code.casefold()])
        else:
            close = difflib.get_close_matches(code.casefold(), list(folded), n=3, cutoff=0.6)
            if close:
                raise QueryError(f"unknown jurisdiction {code!r}; did you mean {', '.join(folded[c] for c in close)}?")
            raise QueryError(known.hint(code) + "; `crosswalk jurisdictions` lists the codes")
    return out


def clear_cache() -> None:
    """Forget memoised sides, attributes and verdicts on pairs of buckets (benchmarks use it to
    measure cold runs)."""
    _DATED.clear()
    _SIDES.clear()
    _TURNS.clear()
    _VERSIONED.clear()
    _ATTRIBUTES.clear()
    _TRUST.clear()
    _attributes_text.cache_clear()
    _attribute_keys.cache_clear()
    context().pairs.clear()


def in_force(store: Store, code: str, as_of: date) -> list[Provision]:
    """Provisions in force for a jurisdiction code of the vocabulary (see queries/in-force.rq)."""
    return _sides(store, "in-force", [code], as_of)[0]


def in_force_many(store: Store, jurisdictions: Sequence[URIRef], as_of: date) -> dict[URIRef, list[Provision]]:
    """Provisions in force for several jurisdictions in one query (one pass over the store):
    the in-force query with one VALUES row per jurisdiction."""
    return _many(store, "in-force", jurisdictions, as_of)


def pending_many(store: Store, jurisdictions: Sequence[URIRef], as_of: date) -> dict[URIRef, list[Provision]]:
    """Pending provisions for several jurisdictions in one query (see queries/pending.rq)."""
    return _many(store, "pending", jurisdictions, as_of)


def _many(store: Store, name: str, jurisdictions: Sequence[URIRef], as_of: date) -> dict[URIRef, list[Provision]]:
    """What `name` (in-force, pending or general-law) gives each jurisdiction at a date: from the
    rows held per store version (queries/timeline.py) on a store that counts its writes, else
    by asking the store (a remote endpoint, whose writes we cannot see)."""
    if getattr(store, "cache_key", None) is not None:
        return _from_timeline(store, name, jurisdictions, as_of)
    return _asked(store, name, jurisdictions, as_of)


def _asked(store: Store, name: str, jurisdictions: Sequence[URIRef], as_of: date) -> dict[URIRef, list[Provision]]:
    """`_many` by SPARQL: in-force-core.rq, general-law.rq or pending.rq bound to the date."""
    out: dict[URIRef, list[Provision]] = {j: [] for j in jurisdictions}
    by_text = {str(j): j for j in jurisdictions}  # rows give text; an IRI per row costs a check each
    if name in ("in-force", "general-law"):  # in-force.rq's answer in two cheaper queries (queries/parts/)
        part = "in-force-core" if name == "in-force" else "general-law"
        names, rows, attributes = _read_with_attributes(store, part, jurisdictions, as_of)
        if tuple(names) != CORE_COLUMNS:
            raise QueryError(f"{part}.rq selects {names}, expected {CORE_COLUMNS}")
        trust, at = _trust(store, jurisdictions), as_of.isoformat()
        for cells in rows:
            out[by_text[str(cells[0])]].append(_core_provision(cells, attributes, trust, at))
        for provisions in out.values():
            provisions.sort(key=lambda p: (p.concept, p.iri))  # in-force.rq's ORDER BY ?concept ?provision
        return out
    # pending.rq: plain strings too, and the same attribute index, so pending provisions carry
    # their bearers and scope like provisions in force
    at = Literal(as_of.isoformat(), datatype=XSD.date)
    names, values = select_values(store, bind_values(get(name).text, ["j", "at"], [[j, at] for j in jurisdictions]))
    attributes = _attributes(store, jurisdictions)
    trust, at = _trust(store, jurisdictions), as_of.isoformat()
    order = [names.index(c) for c in CORE_COLUMNS]  # pending.rq selects them too, and ?why
    why = names.index("why")
    for cells in values:
        provision = _core_provision(tuple(cells[i] for i in order), attributes, trust, at, later=True)
        out[by_text[str(cells[order[0]])]].append(replace(provision, why_pending=str(cells[why])))
    return out


def _read_with_attributes(
    store: Store, part: str, jurisdictions: Sequence[URIRef], as_of: date
) -> tuple[list[str], list[tuple[str | None, ...]], dict[str, Attributes]]:
    """A part of in-force.rq for the jurisdictions at a date (VALUES ?j ?at), and the attributes
    of their provisions."""
    at = Literal(as_of.isoformat(), datatype=XSD.date)
    text = bind_values(_part(part), ["j", "at"], [[j, at] for j in jurisdictions])

    # Oxigraph releases the GIL for part of its evaluation: on many jurisdictions the attribute
    # pass runs beside the main query (1.4 times faster on two cores at 50 x 1,000; splitting
    # the main query as well made it slower, as the threads then contend for the GIL), on
    # stores that declare concurrent reads safe (rdflib's SPARQL parser is not thread-safe).
    if getattr(store, "concurrent_reads", False) and len(jurisdictions) >= _WHOLE_STORE_FROM:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending_attributes = pool.submit(_attributes, store, jurisdictions)
            names, rows = select_values(store, text)
            return names, rows, pending_attributes.result()
    attributes = _attributes(store, jurisdictions)
    names, rows = select_values(store, text)
    return names, rows, attributes


# Per store version: each origin jurisdiction's provisions with their dated facts
# (queries/timeline.py), read once; any date is then a filter over them.
_DATED: dict[URIRef, list[timeline.Dated]] = {}
_DATED_VERSION: list[object] = [None]
_DATED_LOCK = threading.Lock()
# Per store version, the sides already filtered, by layer, jurisdiction and the span of dates
# they hold for (`_span`): a date's side is the same list as any date's of its span.
_SIDES: dict[tuple[object, str, URIRef, int, bool], list[Provision]] = {}
_SIDES_MAX = 20_000  # spans kept; past it the memo starts again (each is a list of references)
_TURNS: dict[tuple[object, URIRef], list[str]] = {}


def _from_timeline(
    store: Store, name: str, jurisdictions: Sequence[URIRef], as_of: date
) -> dict[URIRef, list[Provision]]:
    dated, version = _dated_of(store, jurisdictions)
    at = as_of.isoformat()
    out: dict[URIRef, list[Provision]] = {}
    for j in jurisdictions:
        side, rows = str(j), [d for o in lineage(j) for d in dated.get(o, ())]
        key = None
        if version is not None:  # the version's rows, held: the same span gives the same side
            key = (version, name, j, *_span(version, j, rows, at))
            known = _SIDES.get(key)
            if known is not None:
                out[j] = list(known)  # a copy: callers may sort or extend what they get
                continue
        if name == "pending":
            chosen = []
            for d in rows:
                why = timeline.why_pending(d, side, at)
                if why:
                    chosen.append(_variant(d, why, tuple(c for c in d.caveats if c.open_at(at))))
        else:
            keep = timeline.in_force if name == "in-force" else timeline.general_in_force
            chosen = [_at(d, at) for d in rows if keep(d, side, at)]
        chosen.sort(key=lambda p: (p.concept, p.iri))  # the queries' ORDER BY ?concept ?provision
        if key is not None:
            with _DATED_LOCK:
                if len(_SIDES) >= _SIDES_MAX:
                    _SIDES.clear()
                _SIDES[key] = chosen
            chosen = list(chosen)
        out[j] = chosen
    return out


def _span(version: object, j: URIRef, rows: Sequence[timeline.Dated], at: str) -> tuple[int, bool]:
    """Which span of dates `at` falls in for the side `j`: the filters compare a date only with
    the rows' own dates (timeline.turning_dates), so every date strictly between two consecutive
    ones gets the same side, and a date equal to one is a span of its own. An uncached `/compare`
    asks a new date each time, but the law changes on a few hundred days (issue 18)."""
    turns = _TURNS.get((version, j))
    if turns is None:
        turns = sorted({t for d in rows for t in timeline.turning_dates(d)})
        with _DATED_LOCK:
            _TURNS[(version, j)] = turns
    i = bisect_left(turns, at)
    return i, i < len(turns) and turns[i] == at


def _at(d: timeline.Dated, at: str) -> Provision:
    """The provision with the caveats that hold at the date (most have none: no copy then)."""
    if not d.caveats:
        return d.provision  # type: ignore[no-any-return]
    return _variant(d, "", tuple(c for c in d.caveats if c.holds(at)))


def _variant(d: timeline.Dated, why: str, caveats: tuple[Caveat, ...]) -> Provision:
    """The provision pending for `why` ("" when in force) under `caveats`, made once per row."""
    key = (why, caveats)
    made = d.variants.get(key)
    if made is None:
        made = d.variants[key] = replace(d.provision, why_pending=why or None, caveats=caveats)
    return made  # type: ignore[no-any-return]


def _dated(store: Store, jurisdictions: Sequence[URIRef]) -> dict[URIRef, list[timeline.Dated]]:
    """The rows of every origin the jurisdictions have or inherit, read once per store version
    (single flight: concurrent requests wait for one reading)."""
    return _dated_of(store, jurisdictions)[0]


def _dated_of(
    store: Store, jurisdictions: Sequence[URIRef]
) -> tuple[dict[URIRef, list[timeline.Dated]], object | None]:
    """`_dated`, and the store version the rows are held for (None when they are not held: a
    write came in between, or the store does not count its writes)."""
    origins = list(dict.fromkeys(o for j in jurisdictions for o in lineage(j)))
    identity = getattr(store, "cache_key", None)
    with _DATED_LOCK:
        if _DATED_VERSION[0] != identity:
            _DATED.clear()  # one version at a time: an older one is never asked for again
            _SIDES.clear()
            _TURNS.clear()
            _DATED_VERSION[0] = identity
        missing = [o for o in origins if o not in _DATED]
        if not missing:
            return {o: _DATED[o] for o in origins}, identity
        read, version = _read_dated(store, missing)
        if version != identity:  # a write came first or in between: answer from what was read, keep none of it
            return {**{o: _DATED[o] for o in origins if o in _DATED}, **read}, None
        _DATED.update(read)
        return {o: _DATED[o] for o in origins}, identity


def warm(store: Store) -> bool:
    """Read the current store version for every jurisdiction of the vocabulary, as the first
    `compare` of a version would (the provisions with their dated facts, attributes and
    provenance, and the declared coverage), so that no request meets that read. The server calls
    it at start and after each write (api/warm.py). False, reading nothing, on a store that does
    not count its writes (a remote endpoint is asked at each date)."""
    if getattr(store, "cache_key", None) is None:
        return False
    every = list(vocabulary().jurisdictions.members.values())
    _dated(store, every)
    covered_groups_of(store, [])
    return True


def warmed(store: Store, jurisdictions: Sequence[URIRef]) -> bool:
    """Whether the rows of the jurisdictions (and their parents) are held for the store's current
    version: a `compare` of them now reads no provisions from the store."""
    origins = {o for j in jurisdictions for o in lineage(j)}
    with _DATED_LOCK:
        return _DATED_VERSION[0] == getattr(store, "cache_key", None) and origins <= _DATED.keys()


def _read_dated(store: Store, origins: Sequence[URIRef]) -> tuple[dict[URIRef, list[timeline.Dated]], object]:
    """parts/timeline.rq for some origins and timeline-instruments.rq, with the attributes and
    provenance of the provisions, all from one version of the store (EmbeddedStore.reading).
    Returns the rows and the version they hold (None when a write may have come in between)."""
    reading = getattr(store, "reading", None)
    with reading() if reading is not None else nullcontext(store) as view:
        version = getattr(view, "cache_key", None)
        # four independent reads, side by side: Oxigraph releases the GIL for part of each
        pool = _read_pool()
        attributes_read, trust_read = pool.submit(_attributes, view, origins), pool.submit(_trust, view, origins)
        instruments_read = pool.submit(select_values, view, _part("timeline-instruments"))
        names, rows = select_values(view, bind_values(_part("timeline"), ["origin"], [[o] for o in origins]))
        attributes, trust = attributes_read.result(), trust_read.result()
        instrument_names, instruments = instruments_read.result()
        if view is store and getattr(store, "cache_key", None) != version:
            version = None

    def make(cells: tuple[str | None, ...]) -> tuple[Provision, tuple[Caveat, ...]]:
        # made without caveats (none holds at ""); each date picks those that hold then
        return _core_provision(cells, attributes, trust, ""), trust.get(str(cells[1]), _NO_TRUST).caveats

    out: dict[URIRef, list[timeline.Dated]] = {o: [] for o in origins}
    by_text = {str(o): o for o in origins}
    for d in timeline.rows_to_dated(names, rows, instrument_names, instruments, make):
        out[by_text[d.origin]].append(d)
    return out, version


KEY_COLUMNS = ("j", "provision", "concept", "modality", "binding", "origin")


def sides_in_force(store: Store, jurisdictions: Sequence[URIRef], as_of: date, ctx: Context) -> dict[URIRef, Side]:
    """Each jurisdiction's provisions in force, reduced to what the matrix compares: the same
    provisions as `in_force_many` (in-force-keys.rq, held equal to in-force.rq by the tests),
    without the texts that explain a finding, which the matrix never shows."""
    many = _scans(store) and len(jurisdictions) >= _WHOLE_STORE_FROM  # one scan per predicate, joined by hash
    rows: Sequence[Sequence[str | None]]
    if many and matrix_read.usable(store):
        # on disk: the version's rows kept beside the store, or read once and kept (decision 0009)
        dated, attribute_rows = matrix_read.version_rows(store)
        names, rows = list(KEY_COLUMNS), matrix_read.in_force_keys(dated, store, jurisdictions, as_of)
        attributes = {str(p): _attributes_text(str(text)) for p, text in attribute_rows}
    else:
        names, rows, attributes = _read_with_attributes(
            store, "in-force-keys-scan" if many else "in-force-keys", jurisdictions, as_of
        )
    if tuple(names) != KEY_COLUMNS:
        raise QueryError(f"in-force-keys.rq selects {names}, expected {KEY_COLUMNS}")
    entries: dict[str, list[Entry]] = {str(j): [] for j in jurisdictions}
    local: dict[str | None, str] = {}  # the same concepts and makers recur on every row
    keys: dict[tuple[str, bool, int], tuple[object, ...]] = {}  # rule keys made once per distinct kind of row
    measured = measured_by()
    # duties whose enforcement is stopped at the date are not the same rule as enforced ones
    # (rules.rule_key, the equivalence audit's R3); caveats are read once per store version
    at = as_of.isoformat()
    stays = _stays(store, jurisdictions, at)
    for j, provision, concept, modality, binding, origin in rows:
        a = attributes.get(str(provision), _NO_ATTRIBUTES)
        if concept not in local:
            local[concept] = _local(concept)
        if origin not in local:
            local[origin] = _code(origin)
        mod, bound = MODALITY[str(modality)], binding in ("true", "1")
        key = keys.get((mod, bound, id(a)))
        if key is None:
            key = keys[(mod, bound, id(a))] = (mod, bound, a.keys[mod])
        kinds = measured.get(local[concept])
        if kinds and not any(k in kinds for k, _, _ in a.parameters):
            key = ("unmeasured", str(provision))  # as rules.rule_key: it matches only itself
        elif str(provision) in stays and stay_matters(a.sanction, mod, a.roles):
            key += (STAYED,)
        if key[0] != "unmeasured" and len(a.concepts) > 1:
            key += narrower_key(narrower_of(a.concepts, local[concept]))
        held = stays.get(str(provision), ())
        entries[str(j)].append(Entry(local[concept], str(provision), mod, bound, local[origin], a.roles, key, a, held))
    return {j: Side.of(entries[str(j)], ctx, _code(j)) for j in jurisdictions}


@cache
def _part(name: str) -> str:
    return (Path(__file__).parent / "parts" / f"{name}.rq").read_text(encoding="utf-8")


# Per store version: attributes by origin jurisdiction, or (key None) of the whole store. A
# comparison reads only what it needs (two parties and their parents); for more jurisdictions
# (reports, the matrix) one pass over the whole store is cheaper than a join per jurisdiction.
_ATTRIBUTES: dict[URIRef | None, dict[str, Attributes]] = {}
_ATTRIBUTES_VERSION: list[object] = [None]
_ATTRIBUTES_LOCK = threading.Lock()
_WHOLE_STORE_FROM = 4  # measured: 3 of 19 jurisdictions read alone in 5 ms (8 ms whole); 6 of 6, twice as slow


def _attributes(store: Store, jurisdictions: Sequence[URIRef]) -> dict[str, Attributes]:
    """The roles, levels, domains, system types and parameters (attributes.rq) of every provision
    the jurisdictions have or inherit, read once per version of a store that counts its writes
    (on every call otherwise)."""
    origins = list(dict.fromkeys(o for j in jurisdictions for o in lineage(j)))
    whole = len(origins) >= _WHOLE_STORE_FROM
    identity = getattr(store, "cache_key", None)
    if identity is None:
        return _merged(_read_attributes(store, None if whole else origins))
    # Single flight: sides read in parallel (compare) wait for one reading, not one each.
    with _ATTRIBUTES_LOCK:
        if _ATTRIBUTES_VERSION[0] != identity:
            _ATTRIBUTES.clear()  # one version at a time: an older one is never asked for again
            _ATTRIBUTES_VERSION[0] = identity
        if None in _ATTRIBUTES:
            return _ATTRIBUTES[None]
        if whole:
            _ATTRIBUTES[None] = _merged(_read_attributes(store, None))
            return _ATTRIBUTES[None]
        missing = [o for o in origins if o not in _ATTRIBUTES]
        if missing:
            _ATTRIBUTES.update(_read_attributes(store, missing))
        return _merged({o: _ATTRIBUTES[o] for o in origins})


def _scans(store: Store) -> bool:
    """Whether whole-store reads take the shapes written for Oxigraph's joins by hash
    (parts/*-scan.rq): on the embedded store, which counts its writes. Remote engines plan
    queries their own way and read the plain shapes, which they are tested to answer right."""
    return getattr(store, "cache_key", None) is not None


def _merged(by_origin: Mapping[URIRef | None, dict[str, _V]] | Mapping[URIRef, dict[str, _V]]) -> dict[str, _V]:
    """One index of provisions from the indexes read per origin jurisdiction."""
    if len(by_origin) == 1:
        return next(iter(by_origin.values()))
    out: dict[str, _V] = {}
    for part in by_origin.values():
        out.update(part)
    return out


@cache
def _common_roles() -> frozenset[str]:
    """attributes.rq reads every superclass of a bearer and leaves the test "is a common role"
    (rdfs:subClassOf+ xw:ActorRole), a property path costlier than the rest of the query, to us.
    IRIs as text, as attributes.rq gives them."""
    return frozenset(str(r) for r in vocabulary().common_roles.members.values())


def _read_attributes(store: Store, origins: Sequence[URIRef] | None) -> dict[URIRef | None, dict[str, Attributes]]:
    """attributes.rq for some origin jurisdictions, keyed by origin; attributes-all.rq for the
    whole store (origins None), under the key None."""
    if origins is None:
        # the embedded store reads its shape for Oxigraph's joins by hash; remote engines the plain one
        rows = select_values(store, _part("attributes-scan" if _scans(store) else "attributes-all"))[1]
        return {None: {str(p): _attributes_text(str(text)) for p, text in rows}}
    out: dict[URIRef | None, dict[str, Attributes]] = {o: {} for o in origins}
    by_text = {str(o): o for o in origins}
    rows = select_values(store, bind_values(_part("attributes"), ["origin"], [[o] for o in origins]))[1]
    for origin, provision, text in rows:
        out[by_text[str(origin)]][str(provision)] = _attributes_text(str(text))
    return out


def _sides(store: Store, name: str, codes: Sequence[str], as_of: date) -> list[list[Provision]]:
    """Each code's provisions (`name`: in-force, pending or general-law) at a date, in one read."""
    iri = vocabulary().jurisdictions.iri
    fetched = _many(store, name, [iri(c) for c in dict.fromkeys(codes)], as_of)
    return [fetched[iri(c)] for c in codes]


def in_force_of(store: Store, jurisdiction: URIRef, as_of: date) -> list[Provision]:
    """The same for any jurisdiction IRI, including ones outside the shipped vocabulary."""
    rows = store.query(get("in-force").text, {"j": jurisdiction, "at": Literal(as_of.isoformat(), datatype=XSD.date)})
    assert isinstance(rows, Rows)
    return with_narrower([_provision(r) for r in rows.dicts()])


def with_narrower(provisions: list[Provision]) -> list[Provision]:
    """The provisions of in-force.rq (one row per concept) with their narrower concepts filled in
    from their other rows, as the analysis reads them from attributes.rq (rules.narrower_key)."""
    concepts: dict[str, set[str]] = {}
    for p in provisions:
        concepts.setdefault(p.iri, set()).add(p.concept)
    return [replace(p, narrower=narrower_of(frozenset(concepts[p.iri]), p.concept)) for p in provisions]


def general_law(store: Store, code: str, as_of: date) -> list[Provision]:
    """General law in force that reaches AI for a jurisdiction at a date (queries/parts/general-law.rq):
    its own layer, never compared as AI-specific rules."""
    return _sides(store, "general-law", [code], as_of)[0]


def pending(store: Store, code: str, as_of: date) -> list[Provision]:
    """Provisions of a jurisdiction pending at a date (see queries/pending.rq)."""
    return _sides(store, "pending", [code], as_of)[0]


def covered_groups(store: Store, code: str) -> dict[str, str]:
    """Groups whose coverage is declared for `code` and for every jurisdiction it is part of,
    each with the date it is declared complete as of."""
    return covered_groups_of(store, [code])[code]


_VERSIONED: dict[tuple[object, str], object] = {}  # reads with no date, per store version
_VERSIONED_LOCK = threading.Lock()


def _per_version(store: Store, what: str, read: Callable[[], _V]) -> _V:
    """`read()`, kept for the store's current version when it counts its writes (and no write
    came while it was read)."""
    identity = getattr(store, "cache_key", None)
    if identity is None:
        return read()
    with _VERSIONED_LOCK:
        if (identity, what) in _VERSIONED:
            return _VERSIONED[(identity, what)]  # type: ignore[return-value]
    value = read()
    if getattr(store, "cache_key", None) == identity:
        with _VERSIONED_LOCK:
            for key in [k for k in _VERSIONED if k[0] != identity]:
                del _VERSIONED[key]  # an older version is never asked for again
            _VERSIONED[(identity, what)] = value
    return value


def _coverage(store: Store) -> dict[URIRef, dict[str, str]]:
    """Each jurisdiction's declared coverage: the keys of the concept groups it covers, each with
    the latest date a statement declares it complete as of."""
    v = vocabulary()
    rows = store.query(
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> "
        "SELECT DISTINCT ?j ?group ?asOf WHERE { ?c a xw:CoverageStatement ; xw:jurisdiction ?j ; "
        "xw:coversGroup ?group ; xw:coverageAsOf ?asOf }"
    )
    assert isinstance(rows, Rows)
    by_j: dict[URIRef, dict[str, str]] = {}
    keys = {iri: key for key, iri in v.concept_groups.members.items()}
    for j, group, as_of in rows.rows:
        mine = by_j.setdefault(URIRef(str(j)), {})
        key = keys.get(URIRef(str(group)), "")
        mine[key] = max(mine.get(key, ""), str(as_of))
    return by_j


def covered_groups_of(store: Store, codes: Sequence[str]) -> dict[str, dict[str, str]]:
    """`covered_groups` for several codes from one read of the coverage statements (per store
    version): each covered group with the date it is declared complete as of, for the side
    (the earliest over the jurisdiction and those it is part of)."""
    v = vocabulary()
    by_j = _per_version(store, "coverage", lambda: _coverage(store))
    out = {}
    for code in codes:
        dated = [by_j.get(j, {}) for j in lineage(v.jurisdictions.iri(code))]
        groups = set.intersection(*(set(d) for d in dated)) if dated else set()
        out[code] = {g: min(d[g] for d in dated) for g in sorted(groups)}
    return out


def compare(
    store: Store, jurisdictions: Sequence[str], as_of: date | None = None, concepts: Sequence[str] | None = None
) -> Comparison:
    """Compare two jurisdictions at a date (default today), optionally on some concepts only."""
    if len(jurisdictions) != 2:
        raise QueryError(f"compare takes exactly two jurisdictions, got {len(jurisdictions)}")
    a, b = canonical_codes(jurisdictions)
    when = as_of or date.today()
    wanted = _concept_filter(concepts)
    if getattr(store, "cache_key", None) is None and getattr(store, "concurrent_reads", False):
        # Asked of a remote store: the reads run side by side, in one pool kept for the process
        # (a pool per call cost its threads' start on every request).
        pool = _read_pool()
        iri = vocabulary().jurisdictions.iri
        trust = pool.submit(_trust, store, [iri(a), iri(b)])  # joined to each read's provisions
        reads = [pool.submit(_sides, store, name, [a, b], when) for name in ("in-force", "pending", "general-law")]
        forces, pendings, generals = (r.result() for r in reads)
        trust.result()
    else:
        # the embedded store: read once per version (queries/timeline.py), then a filter per date
        forces = _sides(store, "in-force", [a, b], when)
        pendings = _sides(store, "pending", [a, b], when)
        generals = _sides(store, "general-law", [a, b], when)
    sides = list(zip(forces, pendings, generals, strict=True))
    if wanted is not None:
        sides = [tuple([p for p in ps if p.concept in wanted] for ps in side) for side in sides]  # type: ignore[misc]
    declared = covered_groups_of(store, [a, b])
    covered = {"a": declared[a], "b": declared[b]}
    (fa, pa, ga), (fb, pb, gb) = sides
    return compare_sides(a, b, when, fa, fb, covered, context(), pa, pb, ga, gb)


@cache
def _read_pool() -> ThreadPoolExecutor:
    """Threads for reads sent side by side to a remote store. Tasks never wait on other tasks of
    this pool, so a fixed size cannot deadlock; concurrent calls queue for it."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="crosswalk-read")


def _concept_filter(concepts: Sequence[str] | None) -> set[str] | None:
    if not concepts:
        return None
    v = vocabulary()
    wanted: set[str] = set()
    for c in concepts:
        if c in v.concepts:
            wanted.add(c)
        elif c in v.concept_groups:  # a group key selects its concepts
            wanted |= {name for name, grp in context().concept_group.items() if grp == c}
        else:
            raise QueryError(v.concepts.hint(c))
    return wanted


def explain(store: Store, finding_id: str) -> Finding:
    """Recompute the comparison a finding id names and return that finding."""
    parts = finding_id.split(":")
    if len(parts) < 5:
        raise QueryError(f"not a finding id: {finding_id!r} (expected KIND:A:B:DATE:CONCEPT…)")
    try:
        when = date.fromisoformat(parts[3])
    except ValueError:
        raise QueryError(f"finding id {finding_id!r} has a malformed date") from None
    for finding in compare(store, [parts[1], parts[2]], when).findings:
        if finding.id == finding_id:
            return finding
    raise QueryError(f"no finding {finding_id!r} in the comparison of {parts[1]} and {parts[2]} at {parts[3]}")


def baseline(store: Store, jurisdictions: Sequence[str], as_of: date | None = None) -> Baseline:
    """What every jurisdiction regulates (the common baseline) and the union of obligations."""
    if len(jurisdictions) < 2:
        raise QueryError("a baseline needs at least two jurisdictions")
    jurisdictions = canonical_codes(jurisdictions)
    when = as_of or date.today()
    provs = {j: in_force(store, j, when) for j in jurisdictions}
    concept_sets = [{p.concept for p in ps} for ps in provs.values()]
    common = sorted(set.intersection(*concept_sets))
    ctx = context()
    protects = _protects(store)
    entries = tuple(
        BaselineEntry(
            concept=c,
            concept_label=ctx.concept_label.get(c, c),
            group=ctx.concept_group.get(c, ""),
            protects=tuple(
                sorted({v for j in jurisdictions for p in provs[j] if p.concept == c for v in protects.get(p.iri, ())})
            ),
            provisions={j: tuple(p for p in provs[j] if p.concept == c) for j in jurisdictions},
        )
        for c in common
    )
    obligations = sorted({p.concept for ps in provs.values() for p in ps if p.modality == "obligation"})
    return Baseline(tuple(jurisdictions), when, entries, tuple(obligations))


def _protects(store: Store) -> dict[str, tuple[str, ...]]:
    return _per_version(store, "protects", lambda: _read_protects(store))


def _read_protects(store: Store) -> dict[str, tuple[str, ...]]:
    rows = store.query(
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?p ?key WHERE { ?p xw:protects/xw:key ?key }"
    )
    assert isinstance(rows, Rows)
    out: dict[str, list[str]] = {}
    for p, key in rows.rows:
        out.setdefault(str(p), []).append(str(key))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def pairwise(
    store: Store, jurisdictions: Sequence[URIRef], as_of: date
) -> dict[tuple[int, int], tuple[float, int, float]]:
    """The index, conflict count and own-law index of every pair (i < j) of jurisdictions, of the
    vocabulary or not: what `matrix` computes, each side read once."""
    ctx = context()
    with _cyclic_gc_paused():
        read = sides_in_force(store, list(dict.fromkeys(jurisdictions)), as_of, ctx)
        sides = [read[j] for j in jurisdictions]
        full = table(sides, ctx, as_of)
        own = table([s.own(_code(j), ctx) for s, j in zip(sides, jurisdictions, strict=True)], ctx, None)
        return {pair: (index, count, own[pair][0]) for pair, (index, count) in full.items()}


_GC_PAUSES = [0, False]  # callers inside a pause, and whether the collector was on before the first
_GC_LOCK = threading.Lock()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. The matrix makes hundreds of thousands of small
    objects (rows, sets, tuples) that form no cycles; while they are made, each full collection
    walks all of them, and on 50 jurisdictions x 1,000 provisions that was a third of the time.
    Reference counting still frees memory meanwhile; the collector resumes when the last pause
    ends, as it was before the first."""
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0:
            _GC_PAUSES[1] = gc.isenabled()
            gc.disable()
        _GC_PAUSES[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES[0] -= 1
            if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                gc.enable()


def matrix(store: Store, jurisdictions: Sequence[str], as_of: date | None = None) -> Matrix:
    """The interoperability index and conflict count for every pair, fetching each side once."""
    jurisdictions = canonical_codes(jurisdictions)
    when = as_of or date.today()
    v = vocabulary()
    verdict = pairwise(store, [v.jurisdictions.iri(j) for j in jurisdictions], when)
    index: dict[tuple[str, str], float] = {}
    conflicts: dict[tuple[str, str], int] = {}
    own: dict[tuple[str, str], float] = {}
    for (i, j), (value, count, own_value) in verdict.items():
        pair = (jurisdictions[i], jurisdictions[j])
        index[pair], conflicts[pair], own[pair] = value, count, own_value
    return Matrix(tuple(jurisdictions), when, index, conflicts, own)


__all__ = ["XWC", "baseline", "compare", "context", "explain", "in_force", "matrix", "pending"]
