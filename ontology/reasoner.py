"""Reasoning with owlready2 and HermiT (Java): consistency, satisfiability, and what HermiT infers
about the instance data.

owlready2 reads RDF/XML or N-Triples, not Turtle, so the graph is converted with rdflib into a
temporary N-Triples file first. Only the reasoning core and instance data are loaded: never the
alignments (see DESIGN.md: outside vocabularies would collapse our modalities).

Besides consistency, the report lists *surprising* inferred types: an individual HermiT puts in a
class that is not one of its asserted classes or their superclasses. They are almost always a
domain or range axiom that is too narrow (`xw:summary` once had the domain xw:Provision, so every
status change was classified as a provision), so `crosswalk reason` fails on them.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from . import XW, reference_graph

#: The XML Schema datatypes of the OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps).
#: HermiT refuses a literal of any other datatype, and rule files use xsd:date, xsd:duration and
#: xsd:gYear. The ontology gives no property a range in those types (SHACL checks them instead),
#: so such a literal is handed to HermiT as an xsd:string with the same lexical form: every
#: assertion (and so every domain axiom) still takes part, and nothing is lost for the reasoner.
OWL2_XSD = frozenset(
    str(XSD[name])
    for name in (
        *("decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger"),
        *("long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
        *("double", "float", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN"),
        *("boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp"),
    )
)
#: Types that say what kind of term an IRI is (a class, a property), not what it is an instance of.
_META = frozenset({OWL.Class, RDFS.Class, OWL.NamedIndividual, OWL.ObjectProperty, OWL.DatatypeProperty})


@dataclass(frozen=True)
class Surprise:
    """Individuals of `asserted` (their asserted classes) that HermiT also put in `inferred`."""

    asserted: tuple[str, ...]
    inferred: str
    count: int
    example: str


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    classes: int
    unsatisfiable: list[str]
    #: Individuals of the instance data: IRIs it gives a type that is not a class or property
    #: declaration (0 when only the ontology was checked; the reference data's are not counted).
    individuals: int = 0
    #: Triples of instance data handed to HermiT beside the ontology and reference data.
    instance_triples: int = 0
    surprises: list[Surprise] = field(default_factory=list)
    #: When inconsistent: individuals asserted (directly or through superclasses) in two disjoint
    #: classes, the usual cause. HermiT says only that the whole is inconsistent.
    clashes: list[str] = field(default_factory=list)


def _for_hermit(graph: Graph) -> Graph:
    """The graph with literals outside the OWL 2 datatype map retyped as strings (see OWL2_XSD)."""
    out = Graph()
    for s, p, o in graph:
        datatype = str(o.datatype or "") if isinstance(o, Literal) else ""
        if datatype.startswith(str(XSD)) and datatype not in OWL2_XSD:
            o = Literal(str(o), datatype=XSD.string)
        out.add((s, p, o))
    return out


def check_ontology(extra: Graph | None = None) -> ReasonerResult:
    """Run HermiT over the ontology and reference data, plus `extra` instance data if given.

    With instance data, HermiT also realises the individuals (finds their most specific classes),
    and the result lists the surprising ones (see the module's docstring)."""
    import owlready2

    reference = reference_graph()
    extra = extra if extra is not None else Graph()
    graph = _for_hermit(reference + extra)
    asserted = _asserted_classes(graph, reference)
    individuals = sum(1 for i in asserted if (i, RDF.type, None) in extra)
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "crosswalk.nt"
        file.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        onto = world.get_ontology(file.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            clashes = _disjoint_clashes(asserted, reference)
            return ReasonerResult(False, len(list(onto.classes())), [], individuals, len(extra), [], clashes)
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
        inferred = world.as_rdflib_graph()
        surprises = _surprises(asserted, inferred, reference)
        return ReasonerResult(True, len(list(world.classes())), unsatisfiable, individuals, len(extra), surprises)


def _asserted_classes(graph: Graph, reference: Graph) -> dict[URIRef, set[URIRef]]:
    """Each individual → its asserted classes (class and property declarations left out)."""
    classes = set(reference.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, OWL.Class))
    out: dict[URIRef, set[URIRef]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and o not in _META and s not in classes:
            out.setdefault(s, set()).add(o)
    return out


def _surprises(asserted: dict[URIRef, set[URIRef]], inferred: Graph, reference: Graph) -> list[Surprise]:
    """Inferred types of each individual outside its asserted classes and their superclasses."""
    counts: Counter[tuple[tuple[str, ...], str]] = Counter()
    examples: dict[tuple[tuple[str, ...], str], str] = {}
    for individual, types in asserted.items():
        expected = {up for t in types for up in reference.transitive_objects(t, RDFS.subClassOf)}
        for t in inferred.objects(individual, RDF.type):
            # HermiT reports only named classes of the ontology; owl:Thing and declarations are noise
            if not isinstance(t, URIRef) or not str(t).startswith(str(XW)) or t in expected:
                continue
            key = (tuple(sorted(str(a) for a in types)), str(t))
            counts[key] += 1
            examples[key] = min(examples.get(key, str(individual)), str(individual))
    return [Surprise(k[0], k[1], n, examples[k]) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _disjoint_clashes(asserted: dict[URIRef, set[URIRef]], reference: Graph) -> list[str]:
    """Lines naming each individual whose asserted classes include two declared disjoint."""
    groups: list[list[URIRef]] = []
    for node in reference.subjects(RDF.type, OWL.AllDisjointClasses):
        members = reference.value(node, OWL.members)
        if members is not None:
            groups.append([m for m in reference.items(members) if isinstance(m, URIRef)])
    groups += [[a, b] for a, b in reference.subject_objects(OWL.disjointWith) if isinstance(a, URIRef)]  # type: ignore[list-item]
    lines = []
    for individual, types in sorted(asserted.items()):
        closed = {up for t in types for up in reference.transitive_objects(t, RDFS.subClassOf)}
        for group in groups:
            both = sorted(str(c) for c in group if c in closed)
            if len(both) > 1:
                lines.append(f"{individual} is in disjoint classes {' and '.join(both)}")
    return lines
