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
