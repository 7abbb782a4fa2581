"""The SPARQL 1.1 Service Description of `/sparql`, with VoID statistics of the dataset."""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID, XSD

from crosswalk.graph.store import Rows, Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
STATS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?g) AS ?graphs)
WHERE { GRAPH ?g { ?s ?p ?o } }
"""
CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


def describe(store: Store, endpoint: str) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service, dataset = BNode(), URIRef(endpoint + "#dataset")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        g.add((service, SD.resultFormat, FORMATS[fmt]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    stats = store.query(STATS)
    assert isinstance(stats, Rows)
    triples, subjects, properties, objects, graphs = (int(x.toPython()) for x in stats.rows[0])  # type: ignore[union-attr]
    for prop, value in (
        (VOID.triples, triples),
        (VOID.distinctSubjects, subjects),
        (VOID.properties, properties),
        (VOID.distinctObjects, objects),
    ):
        g.add((dataset, prop, Literal(value, datatype=XSD.integer)))
    g.add((dataset, VOID.documents, Literal(graphs, datatype=XSD.integer)))
    classes = store.query(CLASSES)
    assert isinstance(classes, Rows)
    for cls, n in classes.rows:
        partition = BNode()
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))  # type: ignore[arg-type]
        g.add((partition, VOID.entities, Literal(int(n.toPython()), datatype=XSD.integer)))  # type: ignore[union-attr]
    return g
