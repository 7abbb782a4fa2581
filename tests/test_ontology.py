"""The ontology: HermiT finds it consistent, and its terms carry what a person needs to read them."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import XW, XWC, alignments_graph, path, reference_graph
from crosswalk.ontology.reasoner import check_ontology


@pytest.fixture(scope="module")
def hermit():
    return check_ontology()


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(hermit) -> None:
    assert hermit.consistent
    assert hermit.unsatisfiable == []
    assert hermit.classes >= 30


def test_hermit_catches_a_provision_with_two_modalities() -> None:
    # The four modality classes are disjoint: one provision cannot be an obligation and a prohibition.
    bad = Graph()
    node = URIRef("https://w3id.org/crosswalk/id/test/both")
    bad.add((node, RDF.type, XW.Obligation))
    bad.add((node, RDF.type, XW.Prohibition))
    assert check_ontology(bad).consistent is False


def test_concept_scheme_has_at_least_60_concepts_each_defined_and_grouped() -> None:
    g = reference_graph()
    concepts = list(g.subjects(SKOS.inScheme, XWC.NormConcepts))
    assert len(concepts) >= 60
    groups = Counter()
    for c in concepts:
        assert g.value(c, SKOS.definition), f"{c} has no definition"
        assert g.value(c, SKOS.prefLabel), f"{c} has no label"
        group_list = list(g.objects(c, XW.inGroup))
        assert len(group_list) == 1, f"{c} must sit in exactly one group"
        groups[group_list[0]] += 1
    keys = {str(g.value(group, XW.key)) for group in groups}
    assert {
        "prohibited-practices",
        "provider-duties",
        "deployer-duties",
        "transparency",
        "rights-redress",
        "gpai-frontier",
        "content-data",
        "enforcement",
        "innovation",
        "principles",
    } <= keys
    assert min(groups.values()) >= 3
    # groups are SKOS collections listing their members, exactly the concepts that sit in them
    members = {(grp, c) for grp, c in g.subject_objects(SKOS.member) if (grp, XW.key, None) in g}
    assert members == {(grp, c) for c in concepts for grp in g.objects(c, XW.inGroup)}


def test_every_ontology_class_and_property_has_label_and_definition() -> None:
    core = Graph().parse(path("crosswalk.ttl"))
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in core.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(str(XW)):
                assert core.value(term, RDFS.label), f"{term} lacks rdfs:label"
                assert core.value(term, SKOS.definition), f"{term} lacks skos:definition"
    assert (URIRef("https://w3id.org/crosswalk/ontology"), OWL.versionIRI, None) in core


def test_national_roles_map_under_neutral_roles_and_levels_are_ranked() -> None:
    v = vocabulary()
    g = reference_graph()
    for key in ("developer", "deployer", "model-provider", "importer"):
        role = v.common_roles.iri(key)
        assert XW.ActorRole in set(g.transitive_objects(role, RDFS.subClassOf))
    ranks = {key: int(g.value(iri, XW.rank)) for key, iri in v.risk_levels.members.items()}
    assert ranks["unacceptable"] > ranks["high"] > ranks["limited"] > ranks["minimal"]


def test_baseline_values_cover_the_human_rights_baseline() -> None:
    assert {
        "privacy",
        "data-protection",
        "data-sovereignty",
        "non-discrimination",
        "transparency",
        "explanation",
        "redress",
        "human-oversight",
    } <= set(vocabulary().values.members)


def test_alignments_live_apart_and_are_never_imported() -> None:
    core = reference_graph()
    assert not list(core.objects(None, OWL.imports))
    aligned = alignments_graph()
    assert (XW.Deployer, SKOS.exactMatch, None) in aligned
    assert (None, OWL.imports, None) not in aligned
    # No alignment may equate two of our modalities with one outside term (the LKIF trap).
    targets = Counter(
        o
        for s, p, o in aligned.triples((None, SKOS.exactMatch, None))
        if s in (XW.Obligation, XW.Prohibition, XW.Permission, XW.Right)
    )
    assert all(n == 1 for n in targets.values())


def test_jurisdictions_have_codes_and_us_states_are_part_of_the_us() -> None:
    v = vocabulary()
    g = reference_graph()
    assert g.value(v.jurisdictions.iri("US-CO"), XW.partOf) == v.jurisdictions.iri("US")
    assert g.value(v.jurisdictions.iri("EU"), XW.code) == Literal("EU")


def test_ontology_page_is_generated_by_pylode_and_current() -> None:
    # the page /ontology serves: pyLODE's documentation of crosswalk.ttl, regenerated with
    # `crosswalk ontology-page -o api/static/ontology.html` (run apart: pyLODE configures logging
    # at import and leaves a file open)
    import subprocess
    import sys
    from pathlib import Path

    shipped = Path(__file__).parent.parent / "api" / "static" / "ontology.html"
    fresh = subprocess.run(
        [sys.executable, "-c", "from crosswalk.api.cli import main; main()", "ontology-page"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert fresh == shipped.read_text(encoding="utf-8"), "run: crosswalk ontology-page -o api/static/ontology.html"
    # every class's definition is on the page, e.g. the jurisdiction's and the caveat's
    assert "A polity or body whose rules the corpus records" in fresh and "In Domain Of" in fresh
    assert "A dated fact that changes the practical picture of provisions" in fresh


# ---------------------------------------------------------------- HermiT over the instance data
STATUS_CHANGE = URIRef("https://w3id.org/crosswalk/id/test/change-1")


def test_a_status_change_with_a_summary_is_not_inferred_to_be_a_provision() -> None:
    # xw:summary once had the domain xw:Provision: HermiT then classified every status change as
    # a provision. Its domain is now the union of the two.
    g = Graph()
    g.add((STATUS_CHANGE, RDF.type, XW.StatusChange))
    g.add((STATUS_CHANGE, XW.summary, Literal("Delayed the application dates by a year.")))
    result = check_ontology(g)
    assert result.consistent and result.individuals == 1
    assert result.surprises == []


def test_the_reasoner_reports_an_individual_inferred_into_a_class_it_was_not_given() -> None:
    # xw:concerns has the domain xw:Provision: said of a status change, it makes one a provision
    g = Graph()
    g.add((STATUS_CHANGE, RDF.type, XW.StatusChange))
    g.add((STATUS_CHANGE, XW.concerns, XWC.HumanOversight))
    result = check_ontology(g)
    assert result.consistent
    assert [(s.asserted, s.inferred, s.count, s.example) for s in result.surprises] == [
        ((str(XW.StatusChange),), str(XW.Provision), 1, str(STATUS_CHANGE))
    ]


def test_crosswalk_reason_loads_the_stores_instances_and_finds_nothing_surprising(corpus_dir, corpus, cli) -> None:
    # the count of individuals is computed here independently, by SPARQL over the same data
    typed = corpus.query(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?t } "
        "FILTER (?g NOT IN (<https://w3id.org/crosswalk/graph/reference>, "
        "<https://w3id.org/crosswalk/graph/alignments>)) "
        # the tier definitions ingestion copies into instrument graphs are classes, not instances
        "FILTER (?t NOT IN (owl:Class, owl:NamedIndividual, owl:ObjectProperty, owl:DatatypeProperty, "
        "owl:Restriction, rdfs:Datatype)) "
        "FILTER NOT EXISTS { GRAPH ?h { ?s a owl:Class } } }"
    )
    individuals = int(typed.rows[0][0])
    assert individuals > 2000
    result = cli("reason", "--store", str(corpus_dir))
    assert result.code == 0, result.out + result.err
    assert "consistent: True" in result.out and "unsatisfiable: none" in result.out
    assert f"individuals: {individuals} (" in result.out
    assert "surprising inferred types: none" in result.out


def test_crosswalk_reason_finds_a_broken_instance_in_an_export(corpus, cli, tmp_path) -> None:
    # a provision of the corpus typed as both an obligation and a prohibition (disjoint classes)
    from crosswalk.graph.export import export

    data, _ = export(corpus, "nq")
    some = corpus.query(f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p a <{XW.Obligation}> }} }} LIMIT 1")
    provision = some.rows[0][0]
    broken = tmp_path / "broken.nq"
    broken.write_bytes(data + f"<{provision}> <{RDF.type}> <{XW.Prohibition}> <urn:x:broken> .\n".encode())
    result = cli("reason", "--data", str(broken))
    assert result.code == 1
    assert "consistent: False" in result.out
    # and names the likely cause
    assert f"{provision} is in disjoint classes {XW.Obligation} and {XW.Prohibition}" in result.out
    # the same export without the broken triple is consistent, so it was that triple
    whole = tmp_path / "whole.nq"
    whole.write_bytes(data)
    assert cli("reason", "--data", str(whole)).code == 0


def test_crosswalk_reason_refuses_an_unknown_export_format(cli, tmp_path) -> None:
    bad = tmp_path / "data.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    result = cli("reason", "--data", str(bad))
    assert result.code == 2 and "unknown RDF format" in result.err


def test_the_shipped_files_read_by_oxigraph_are_what_rdflibs_parser_reads() -> None:
    # ontology._parse reads with Oxigraph for speed (issue 18); rdflib's own Turtle parser is the reference
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from crosswalk.ontology import ALIGNMENTS_FILE, SHAPES_FILE, _parse, path, reference_files

    for names in (reference_files(), (SHAPES_FILE,), (ALIGNMENTS_FILE,)):
        ours, theirs = _parse(*names), Graph()
        for name in names:
            theirs.parse(path(name), format="turtle")
        assert len(ours) == len(theirs) > 20
        assert isomorphic(ours, theirs), names
