"""Every outside IRI the ontology and the shipped RDF use is a term its vocabulary publishes.

The published term lists are pinned in tests/data/vocab/ (IRIs only, each with a header naming
the namespace and the repository, commit and file it was read from; tools/vocab_terms.py writes
them from a snapshot, nothing is fetched here). An IRI in a pinned namespace that is not on its
list is a term that does not exist (issue 15 found five: ai:AIDeveloper, ai:AIDeployer,
ai:AISubject, eu-aiact:AIAuthorisedRepresentative, dpv:RiskManagementPlan). A property, class
or alignment target in a namespace with no pinned list is a vocabulary nobody has checked.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from crosswalk.ontology import alignments_graph, path

VOCAB = Path(__file__).parent / "data" / "vocab"
OURS = "https://w3id.org/crosswalk/"
ONTOLOGY_FILES = sorted(Path(path("crosswalk.ttl")).parent.glob("*.ttl"))


@cache
def pinned() -> dict[str, frozenset[str]]:
    """Namespace → the IRIs its pinned list holds."""
    lists: dict[str, frozenset[str]] = {}
    for file in sorted(VOCAB.glob("*.txt")):
        lines = file.read_text(encoding="utf-8").splitlines()
        namespace = next(line.split(": ", 1)[1] for line in lines if line.startswith("# namespace: "))
        lists[namespace] = frozenset(line for line in lines if line and not line.startswith("#"))
    return lists


def namespace_of(iri: str) -> str | None:
    """The pinned namespace an IRI is a term of (its local name has no further / or #)."""
    for namespace in sorted(pinned(), key=len, reverse=True):
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and "/" not in rest and "#" not in rest:
            return namespace
    return None


def unknown_terms(iris: set[str]) -> list[str]:
    """IRIs of a pinned namespace that its published term list does not hold."""
    return sorted(i for i in iris if (ns := namespace_of(i)) is not None and i not in pinned()[ns])


def _iris(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


def test_every_pinned_list_names_its_namespace_and_source() -> None:
    assert len(pinned()) >= 15
    for file in sorted(VOCAB.glob("*.txt")):
        lines = file.read_text(encoding="utf-8").splitlines()
        header = [line for line in lines if line.startswith("#")]
        terms = [line for line in lines if line and not line.startswith("#")]
        namespace = next(line.split(": ", 1)[1] for line in header if line.startswith("# namespace: "))
        source = " ".join(line for line in header if line.startswith("# source: "))
        assert source, f"{file.name}: no '# source:' line"
        if "hand-checked" not in source:
            # generated lists: github:OWNER/REPO commit <40 hex> file PATH
            assert re.search(r"github:[\w.-]+/[\w.-]+ commit [0-9a-f]{40} file \S+", source), file.name
        assert terms == sorted(set(terms)), f"{file.name}: terms not sorted or not unique"
        assert all(namespace_of(t) == namespace for t in terms), f"{file.name}: a term outside {namespace}"


def test_every_outside_iri_of_the_ontology_files_is_a_published_term() -> None:
    graph = Graph()
    for file in ONTOLOGY_FILES:
        graph.parse(file, format="turtle")
    assert unknown_terms(_iris(graph)) == []


def test_every_outside_iri_of_the_shipped_rdf_is_a_published_term(corpus) -> None:
    # the build output of the whole bundled corpus, every named graph, as the store holds it
    rows = corpus.query(
        "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } } FILTER isIRI(?t) }"
    )
    iris = {str(row[0]) for row in rows.rows}
    assert len(iris) > 1000
    assert unknown_terms(iris) == []


def test_every_property_and_class_is_ours_or_from_a_pinned_vocabulary(corpus) -> None:
    rows = corpus.query("SELECT DISTINCT ?p ?c WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s a ?c } } }")
    terms = {str(t) for row in rows.rows for t in row if t is not None}
    graph = Graph()
    for file in ONTOLOGY_FILES:
        graph.parse(file, format="turtle")
    terms |= {str(p) for p in graph.predicates()} | {str(c) for c in graph.objects(None, RDF.type)}
    unchecked = sorted(t for t in terms if not t.startswith(OURS) and namespace_of(t) is None)
    assert unchecked == []


def test_alignments_map_only_onto_terms_of_pinned_vocabularies() -> None:
    aligned = alignments_graph()
    targets = {
        str(o)
        for s, p, o in aligned
        if isinstance(o, URIRef) and str(s).startswith(OURS) and p != RDF.type and not str(o).startswith(OURS)
    }
    assert len(targets) >= 30
    assert [t for t in sorted(targets) if namespace_of(t) is None] == []
    assert unknown_terms(targets) == []
    # mapping strengths are SKOS mapping properties (or RDFS sub-class/-property), never owl:sameAs
    used = {str(p) for s, p, o in aligned if str(s).startswith(OURS) and str(o) in targets}
    assert "http://www.w3.org/2002/07/owl#sameAs" not in used
    assert {str(SKOS.exactMatch), str(SKOS.closeMatch), str(SKOS.broadMatch), str(SKOS.narrowMatch)} <= used


@pytest.mark.parametrize(
    "iri",
    [
        # the five IRIs issue 15 found in no DPV release (dpv:RiskManagementPlan was in DPV 1.0 only)
        "https://w3id.org/dpv/ai#AIDeveloper",
        "https://w3id.org/dpv/ai#AIDeployer",
        "https://w3id.org/dpv/ai#AISubject",
        "https://w3id.org/dpv/legal/eu/aiact#AIAuthorisedRepresentative",
        "https://w3id.org/dpv#RiskManagementPlan",
        # the EU's entry in the Publications Office's corporate-body table is EURUN, not EU
        "http://publications.europa.eu/resource/authority/corporate-body/EU",
        # a LegalRuleML metamodel term nobody has checked
        "http://docs.oasis-open.org/legalruleml/ns/v1.0/metamodel#bearer",
    ],
)
def test_the_check_reports_terms_their_vocabulary_does_not_publish(iri: str) -> None:
    assert unknown_terms({iri}) == [iri]


def test_the_check_knows_the_terms_that_replaced_them() -> None:
    assert (
        unknown_terms(
            {
                "https://w3id.org/airo#AIProvider",
                "https://w3id.org/airo#AIDeveloper",
                "https://w3id.org/airo#AIDeployer",
                "https://w3id.org/airo#AISubject",
                "https://w3id.org/dpv/legal/eu/aiact#AuthorisedRepresentative",
                "https://w3id.org/dpv/legal/eu/aiact#RiskManagementSystem",
                "http://publications.europa.eu/resource/authority/corporate-body/EURUN",
            }
        )
        == []
    )
    # LegalRuleML's XML namespace is not the RDF metamodel's: no pinned list, so unchecked
    assert namespace_of("http://docs.oasis-open.org/legalruleml/ns/v1.0/Obligation") is None
