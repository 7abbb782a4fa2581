"""The named SPARQL queries and `compare()` state the same semantics: on the bundled corpus they
must give the same verdict on every concept, the same matching provisions, conflicts,
tensions, gaps and not-curated concepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crosswalk.graph.store import Rows, Store
from crosswalk.queries.compare import compare
from crosswalk.queries.findings import Provision
from crosswalk.queries.registry import get

PAIRS = [
    ("EU", "US-CO"),
    ("US-CO", "EU"),
    ("EU", "US-CA"),
    ("US-CA", "US-TX"),
    ("EU", "CN"),
    ("EU", "KR"),
    ("CN", "US-TX"),  # a tension between sovereign regimes
    ("US", "US-CO"),  # a state and its federation: shared law, one market
    ("US-IL", "US-NY-NYC"),  # two sub-national parties that inherit the same federal law
]
DATES = ["2026-11-24", "2028-01-01"]


def _local(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


def _rows(store: Store, name: str, a: str, b: str, at: str) -> list[dict[str, object]]:
    result = get(name).run(store, {"a": a, "b": b, "at": at})
    assert isinstance(result, Rows)
    return result.dicts()


@pytest.mark.parametrize("at", DATES)
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_named_queries_agree_with_compare(corpus: Store, a: str, b: str, at: str) -> None:
    result = compare(corpus, [a, b], date.fromisoformat(at))
    # the verdict on every concept both regulate
    verdicts = {_local(r["concept"]): str(r["verdict"]) for r in _rows(corpus, "concept-verdicts", a, b, at)}
    judged = {
        f.concept: f.kind
        for f in result.findings
        if f.kind in ("equivalent", "aligned", "parallel", "divergent", "shared")
    }
    opposed = {c for c, v in verdicts.items() if v == "opposed"}
    assert {c: v for c, v in verdicts.items() if v != "opposed"} == {
        c: k for c, k in judged.items() if c not in opposed
    }
    assert set(verdicts) == {f.concept for f in result.findings if f.a and f.b and f.kind not in ("pending",)} - {
        f.concept for f in result.findings if f.conflict == "incompatible-concepts" and f.concept not in verdicts
    }
    # the pairs that say the same thing
    matched = {(f.concept, pa, pb) for f in result.findings for pa, pb in f.matched}
    assert matched == {
        (_local(r["concept"]), str(r["pa"]), str(r["pb"])) for r in _rows(corpus, "matching-provisions", a, b, at)
    }
    # conflicts and tensions, per concept and kind of opposition
    rows = _rows(corpus, "conflicts", a, b, at)
    per_concept = {
        (_local(r["concept"]), str(r["conflict"]), str(r["kind"]))
        for r in rows
        if str(r["conflict"]) != "incompatible-concepts"
    }
    incompatible: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        if str(r["conflict"]) == "incompatible-concepts":
            incompatible.setdefault((_local(r["concept"]), _local(r["conceptB"])), set()).add(str(r["kind"]))
    expected = per_concept | {
        (ca, "incompatible-concepts", "conflict" if "conflict" in ks else "tension")
        for (ca, _), ks in incompatible.items()
    }
    assert {(f.concept, f.conflict, f.kind) for f in result.of("conflict") + result.of("tension")} == expected
    gaps = _rows(corpus, "gaps", a, b, at)
    for kind in ("gap", "general-law", "not-curated"):
        assert {(f.concept, f.missing_side) for f in result.of(kind)} == {
            (_local(r["concept"]), str(r["missingSide"])) for r in gaps if str(r["kind"]) == kind
        }


@pytest.mark.parametrize("at", ["2024-06-01", *DATES])
def test_analysis_reads_in_force_exactly_as_the_named_query(corpus: Store, at: str) -> None:
    # The analysis reads provisions in force through queries/parts/ (a core query, and the
    # attributes of the jurisdictions asked for, or of the whole store for many at once);
    # in-force.rq is what users run. Both must give the same provisions, attribute for
    # attribute, for every jurisdiction, whichever way the attributes were read.
    from crosswalk.graph.vocabulary import vocabulary
    from crosswalk.queries.compare import _provision, clear_cache, in_force, in_force_many, with_narrower

    clear_cache()
    codes = sorted(vocabulary().jurisdictions.members)
    iris = [vocabulary().jurisdictions.iri(c) for c in codes]
    whole = in_force_many(corpus, iris, date.fromisoformat(at))  # attributes-all.rq
    assert sum(len(v) for v in whole.values()) > (0 if at == "2024-06-01" else 500)
    clear_cache()
    one_by_one = {iri: in_force(corpus, code, date.fromisoformat(at)) for code, iri in zip(codes, iris, strict=True)}

    def key(p: Provision) -> tuple[str, str]:
        return (p.concept, p.iri)

    def read(ps: list[Provision]) -> list[Provision]:
        # provenance and caveats come from their own query (parts/trust.rq), checked below
        return sorted((replace(p, method="", confidence="", review="", caveats=()) for p in ps), key=key)

    for code, iri in zip(codes, iris, strict=True):
        named = sorted(with_narrower([_provision(r) for r in _rows_in_force(corpus, code, at)]), key=key)
        assert read(whole[iri]) == named, code
        assert read(one_by_one[iri]) == named, code
    # every provision in force carries its provenance, as the store records it
    marks = {
        (str(r["p"]), str(r["m"]), str(r["r"]))
        for r in corpus.query(
            "PREFIX xw: <https://w3id.org/crosswalk/ontology#> "
            "SELECT ?p ?m ?r WHERE { ?p xw:curationMethod ?m ; xw:reviewStatus ?r }"
        ).dicts()  # type: ignore[union-attr]
    }
    assert all((p.iri, p.method, p.review) in marks for ps in whole.values() for p in ps)


@pytest.mark.parametrize("at", ["2024-06-01", *DATES])
def test_matrix_reads_in_force_exactly_as_the_named_query(corpus: Store, at: str) -> None:
    # The matrix reads in-force-keys.rq (no texts) and reduces each provision to what the rules
    # compare; its sides must be those built from in-force.rq's rows, for every jurisdiction.
    from crosswalk.graph.vocabulary import vocabulary
    from crosswalk.queries.compare import _provision, _trust, clear_cache, context, sides_in_force, with_narrower
    from crosswalk.queries.verdicts import Side

    clear_cache()
    codes = sorted(vocabulary().jurisdictions.members)
    iris = [vocabulary().jurisdictions.iri(c) for c in codes]
    sides = sides_in_force(corpus, iris, date.fromisoformat(at), context())
    assert sum(len(s.concepts) for s in sides.values()) > (0 if at == "2024-06-01" else 300)
    trust = _trust(corpus, iris)  # the caveats: a stayed duty has a key of its own (rules.rule_key)

    def provision(p: Provision) -> Provision:
        held = trust.get(p.iri)
        return replace(p, caveats=tuple(c for c in held.caveats if c.holds(at))) if held else p

    for code, iri in zip(codes, iris, strict=True):
        rows = with_narrower([_provision(r) for r in _rows_in_force(corpus, code, at)])
        named = Side.of((provision(p) for p in rows), context(), code)
        assert sides[iri] == named, code


def _rows_in_force(store: Store, code: str, at: str) -> list[dict[str, object]]:
    result = get("in-force").run(store, {"j": code, "at": at})
    assert isinstance(result, Rows)
    return result.dicts()


@pytest.mark.parametrize("at", ["2024-06-01", *DATES])
def test_analysis_reads_pending_exactly_as_the_named_query(corpus: Store, at: str) -> None:
    # The analysis reads pending.rq as plain strings and adds each provision's bearers and scope
    # from the attribute index; what is pending, and why, must be what pending.rq says.
    from crosswalk.graph.vocabulary import vocabulary
    from crosswalk.queries.compare import clear_cache, pending

    clear_cache()
    for code in sorted(vocabulary().jurisdictions.members):
        provisions = pending(corpus, code, date.fromisoformat(at))
        fast = {(p.iri, p.concept, p.citation, p.why_pending, p.applies_from) for p in provisions}
        result = get("pending").run(corpus, {"j": code, "at": at})
        assert isinstance(result, Rows)
        named = {
            (str(r["provision"]), _local(r["concept"]), str(r["citation"]), str(r["why"]),
             str(r["appliesFrom"]) if r["appliesFrom"] is not None else None)
            for r in result.dicts()
        }  # fmt: skip
        assert fast == named, code
