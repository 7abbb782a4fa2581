"""The tier definitions (ontology/tiers.ttl): they agree with the corpus they cite, HermiT finds
them consistent, and the reasoner classifies the golden profiles as tests/data/profiles/golden.yaml
says a lawyer would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import OWL, RDF, XSD, Graph, URIRef

from crosswalk.graph.ingest import bundled_corpus
from crosswalk.graph.profile import read_profile
from crosswalk.ontology import XW, local_name
from crosswalk.ontology.reasoner import check_ontology
from crosswalk.ontology.tiers import tier_classes, tiers_graph
from crosswalk.queries.assess.classify import classify
from crosswalk.queries.assess.tiers import hits

PROFILES = Path(__file__).parent / "data" / "profiles"
GOLDEN = yaml.safe_load((PROFILES / "golden.yaml").read_text(encoding="utf-8"))
ID = "https://w3id.org/crosswalk/id/"


def _corpus() -> dict[str, dict[str, Any]]:
    """Every rule file of the bundled corpus, by instrument IRI."""
    out = {}
    for file in sorted(Path(bundled_corpus()).rglob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        out[ID + data["instrument"]["id"]] = data
    return out


CORPUS = _corpus()


def _provision(iri: str) -> dict[str, Any]:
    instrument, pid = iri.rsplit("/", 1)
    return next(p for p in CORPUS[instrument]["provisions"] if p["id"] == pid)


def _corpus_tier(iri: str) -> dict[str, Any]:
    instrument, tid = iri.split("/tier/")
    return next(t for t in CORPUS[instrument]["risk_tiers"] if t["id"] == tid)


def _facets(tier: URIRef, prop: URIRef) -> dict[str, str]:
    """The datatype facets a tier puts on a property, following named classes it intersects."""
    rows = tiers_graph().query(
        """SELECT ?facet ?value WHERE {
             ?tier (owl:equivalentClass/(owl:intersectionOf/rdf:rest*/rdf:first))+ ?r .
             ?r owl:onProperty ?prop ; owl:someValuesFrom/owl:withRestrictions/rdf:rest*/rdf:first ?f .
             ?f ?facet ?value . }""",
        initBindings={"tier": tier, "prop": prop},
    )
    return {local_name(f): str(v) for f, v in rows}  # type: ignore[misc]


@pytest.mark.parametrize("tier", tier_classes(), ids=local_name)
def test_every_tier_cites_an_article_and_what_it_points_at_exists(tier: URIRef) -> None:
    g = tiers_graph()
    assert g.value(tier, XW.tierArticle), "a tier cites the article that defines it"
    assert g.value(tier, XW.tierJurisdiction) is not None
    instrument = str(g.value(tier, XW.tierInstrument))
    assert instrument in CORPUS, f"{instrument} is not a corpus instrument"
    for provision in (*g.objects(tier, XW.tierProvision), *g.objects(tier, XW.dutyProvision)):
        assert _provision(str(provision)), provision
    levels = {str(_corpus_tier(str(t))["level"]) for t in g.objects(tier, XW.tierCorpusTier)}
    level = g.value(tier, XW.tierLevel)
    if levels:
        # the common level is the corpus's own mapping of the tier, copied, never chosen here
        assert len(levels) == 1 and level is not None
        assert str(g.value(level, XW.key)) in levels or levels == {_key(level)}
    else:
        assert level is None, "no corpus tier, so no level may be claimed"


def _key(level: object) -> str:
    from crosswalk.graph.vocabulary import vocabulary

    return next(k for k, v in vocabulary().risk_levels.members.items() if v == level)


@pytest.mark.parametrize("tier", tier_classes(), ids=local_name)
def test_every_start_date_is_the_corpus_date_of_the_provision_the_tier_rests_on(tier: URIRef) -> None:
    g = tiers_graph()
    facets = _facets(tier, XW.assessedOn)
    provision = g.value(tier, XW.tierProvision)
    if "minInclusive" not in facets:
        assert local_name(tier) == "EU-Minimal", "only the residual tier has no start date"
        return
    start = date.fromisoformat(facets["minInclusive"][:10])
    if provision is not None and (p := _provision(str(provision))).get("applies_from"):
        assert start == p["applies_from"]
    else:
        data = CORPUS[str(g.value(tier, XW.tierInstrument))]["instrument"]["dates"]
        assert start == data["entry_into_force"]
    if "maxInclusive" in facets:
        assert provision is not None
        assert date.fromisoformat(facets["maxInclusive"][:10]) == _provision(str(provision))["applies_until"]


# Each threshold: the tier, the property, the facet the article's words give ("greater than",
# "more than", "in excess of" are exclusive; "at least" inclusive), and the corpus file,
# threshold citation and value it must equal.
THRESHOLDS = [
    ("EU-GPAI-Systemic", XW.trainingCompute, "minExclusive", "eu-ai-act", "Art. 51(2)"),
    ("CA-FrontierModel", XW.trainingCompute, "minExclusive", "us-ca-sb53", "Bus. & Prof. Code 22757.11(h)-(i)"),
    ("CA-LargeFrontierDeveloper", XW.annualRevenueUSD, "minExclusive", "us-ca-sb53", "Bus. & Prof. Code 22757.11(j)"),
    ("NY-FrontierModel", XW.trainingCompute, "minExclusive", "us-ny-raise-act", "Gen. Bus. Law § 1420(8)-(9)"),
    ("NY-LargeFrontierDeveloper", XW.annualRevenueUSD, "minExclusive", "us-ny-raise-act", "Gen. Bus. Law § 1420(10)"),
    ("KR-ComputeThreshold", XW.trainingCompute, "minInclusive", "kr-ai-basic-act-decree", "Decree Art. 24(1)(i)"),
]


def _thresholds(instrument: str) -> list[dict[str, Any]]:
    data = CORPUS[ID + instrument]
    found = list(data.get("thresholds", []))
    for t in data.get("risk_tiers", []):
        found += t.get("thresholds", [])
    return found


@pytest.mark.parametrize(
    ("tier", "prop", "facet", "instrument", "citation"), THRESHOLDS, ids=[t[0] for t in THRESHOLDS]
)
def test_thresholds_are_datatype_restrictions_equal_to_the_corpus(
    tier: str, prop: URIRef, facet: str, instrument: str, citation: str
) -> None:
    from crosswalk.ontology.tiers import TIER

    facets = _facets(TIER[tier], prop)
    assert set(facets) & {"minInclusive", "minExclusive"} == {facet}
    corpus = next(t for t in _thresholds(instrument) if t["citation"] == citation)
    value = corpus.get("quantity", corpus.get("amount"))
    assert Decimal(facets[facet]) == Decimal(str(value))
    if "currency" in corpus:
        assert corpus["currency"] == "USD"  # the property is in US dollars


def test_thresholds_are_typed_decimal_and_dates_datetime_in_owl() -> None:
    g = tiers_graph()
    types = {o.datatype for s, p, o in g if p in (XSD.minInclusive, XSD.minExclusive, XSD.maxInclusive)}
    assert types == {XSD.decimal, XSD.dateTime}


def test_hermit_finds_the_tiers_consistent_with_no_unsatisfiable_tier() -> None:
    result = check_ontology(tiers_graph())
    assert result.consistent
    assert result.unsatisfiable == []


def test_hermit_finds_the_tiers_consistent_with_the_corpus_loaded(corpus) -> None:  # type: ignore[no-untyped-def]
    from crosswalk.graph.export import export
    from crosswalk.ontology import reference_graph
    from crosswalk.queries.assess.hermit import hermit

    data = Graph()
    data.parse(data=export(corpus, "nt")[0], format="nt")
    # a consistency check (-k): classifying every corpus role class as well takes HermiT over
    # a minute here. xsd:date literals (applies-from dates) are outside OWL 2's datatype map;
    # HermiT is told to skip them (SHACL checks the dates, not the reasoner).
    output = hermit(reference_graph() + tiers_graph() + data, 120, ("-k", "--ignoreUnsupportedDatatypes"))
    assert "http://www.w3.org/2002/07/owl#Thing is satisfiable" in output


def _expected(entry: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, dict[str, date]]]:
    return {m: sorted(v) for m, v in entry["tiers"].items()}, entry.get("pending", {})


@pytest.mark.parametrize("entry", GOLDEN, ids=[f"{e['profile']}@{e['as_of']}" for e in GOLDEN])
def test_the_reasoner_classifies_each_golden_profile_as_the_golden_file_says(entry: dict[str, Any]) -> None:
    profile = read_profile(PROFILES / f"{entry['profile']}.yaml")
    result = hits(classify(profile, list(profile.markets), entry["as_of"]), entry["as_of"])
    tiers, pending = _expected(entry)
    assert {m: sorted(t.key for t in now) for m, (now, _) in result.items()} == tiers
    # pending tiers are compared whole: a tier the file does not list as pending must not be
    found = {m: {t.key: t.pending_from for t in later} for m, (_, later) in result.items()}
    assert found == {m: dict(pending.get(m, {})) for m in tiers}
    assert set(entry["reasons"]) <= set(entry["tiers"]), "a reason for each market it names"


def test_golden_file_covers_the_issue_s_cases() -> None:
    names = {e["profile"] for e in GOLDEN}
    assert len(names) >= 15
    markets = {m for e in GOLDEN for m in e["tiers"]}
    assert {"EU", "US-CO", "US-NY-NYC", "US-IL", "KR", "CN", "US-CA", "US-NY", "US-TX", "US-UT"} <= markets
    assert all(e["reasons"] for e in GOLDEN)


def test_no_tier_class_is_typed_as_an_individual_by_mistake() -> None:
    g = tiers_graph()
    for tier in tier_classes():
        assert (tier, RDF.type, OWL.Class) in g
        assert (tier, RDF.type, OWL.NamedIndividual) not in g


def test_the_consistency_check_can_fail() -> None:
    from crosswalk.ontology import reference_graph
    from crosswalk.queries.assess.hermit import ReasonerError, hermit

    bad = Graph()
    node = URIRef("https://w3id.org/crosswalk/id/test/both")
    bad.add((node, RDF.type, XW.Obligation))
    bad.add((node, RDF.type, XW.Prohibition))
    with pytest.raises(ReasonerError, match="inconsistent"):
        hermit(reference_graph() + tiers_graph() + bad, 60, ("-k", "--ignoreUnsupportedDatatypes"))


def test_each_jurisdiction_s_tiers_stand_as_a_graph_of_their_own() -> None:
    from crosswalk.ontology import JUR
    from crosswalk.ontology.tiers import tier_graph

    whole = tiers_graph()
    for code in ("EU", "US-CA", "KR"):
        g = tier_graph(JUR[code])
        own = {t for t in tier_classes() if (t, XW.tierJurisdiction, JUR[code]) in whole}
        assert own and all((t, OWL.equivalentClass, None) in g or local_name(t) == "EU-Minimal" for t in own)
        others = {t for t in tier_classes() if (t, XW.tierJurisdiction, None) in g} - own
        assert not others, others
        # every datatype facet of the jurisdiction's tiers travels with them
        facets = {(p, o) for _, p, o in g if p in (XSD.minInclusive, XSD.minExclusive)}
        assert facets and facets <= {(p, o) for _, p, o in whole if p in (XSD.minInclusive, XSD.minExclusive)}


def test_after_ingest_each_jurisdiction_s_named_graphs_hold_its_tier_definitions(corpus) -> None:  # type: ignore[no-untyped-def]
    from crosswalk.graph.store import Rows
    from crosswalk.ontology.tiers import tier_graph

    prefixes = f"PREFIX xw: <{XW}> PREFIX owl: <{OWL}> PREFIX xsd: <{XSD}> "
    rows = corpus.query(
        prefixes + "SELECT ?tier ?j WHERE { GRAPH ?g { ?tier a owl:Class ; owl:equivalentClass ?e ; "
        "xw:tierJurisdiction ?tj . ?g xw:describes ?i . ?i xw:jurisdiction ?j } }"
    )
    assert isinstance(rows, Rows)
    placed: dict[str, set[str]] = {}
    for tier, j in rows.rows:
        placed.setdefault(str(tier), set()).add(str(j))
    g = tiers_graph()
    # every tier sits in a graph of its own jurisdiction, and in no other jurisdiction's
    assert placed == {str(t): {str(g.value(t, XW.tierJurisdiction))} for t in tier_classes()}
    for j in {g.value(t, XW.tierJurisdiction) for t in tier_classes()}:
        facets = corpus.query(
            prefixes + "SELECT DISTINCT ?p ?v WHERE { GRAPH ?g { ?g xw:describes ?i . ?i xw:jurisdiction ?j . "
            "?f ?p ?v FILTER(?p IN (xsd:minInclusive, xsd:minExclusive, xsd:maxInclusive)) } }",
            {"j": j},
        )
        assert isinstance(facets, Rows)
        stored = {(str(p), str(v)) for p, v in facets.rows}
        own = tier_graph(j)  # type: ignore[arg-type]
        shipped = {(str(p), str(v)) for _, p, v in own if p in (XSD.minInclusive, XSD.minExclusive, XSD.maxInclusive)}
        assert stored == shipped and stored, j


def test_crosswalk_reason_checks_the_tier_definitions_copied_into_the_instrument_graphs(corpus, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crosswalk.graph.export import export

    data, _ = export(corpus, "nq")
    whole = tmp_path / "whole.nq"
    whole.write_bytes(data)
    ok = cli("reason", "--data", str(whole))
    assert ok.code == 0, ok.out + ok.err
    assert "tier definitions in the instrument graphs:" in ok.out and "consistent: True" in ok.out.splitlines()[-1]
    # a broken copy of a building block in an instrument graph (the instance check leaves it out)
    block = "https://w3id.org/crosswalk/assess/Manipulation"
    graph = "https://w3id.org/crosswalk/graph/eu-ai-act"
    broken = tmp_path / "broken.nq"
    broken.write_bytes(data + f"<{block}> <{RDF.type}> <{OWL.Nothing}> <{graph}> .\n".encode())
    bad = cli("reason", "--data", str(broken))
    assert bad.code == 1
    assert "consistent: True; classes" in bad.out, "the instance data itself is fine"
    assert bad.out.splitlines()[-1].endswith("consistent: False")
