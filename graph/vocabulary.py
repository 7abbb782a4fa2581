"""The names a rule file may use, read from the ontology's reference data (never hard-coded).

Keys (`xw:key`) spell closed enumerations; concepts, domains and system types are written as
their local name in the `xwc:` namespace; jurisdictions by `xw:code`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from crosswalk.ontology import XW, XWC, reference_graph


@dataclass(frozen=True)
class Enumeration:
    """One closed list of names, each naming an IRI."""

    what: str
    members: dict[str, URIRef] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.members

    def iri(self, name: str) -> URIRef:
        return self.members[name]

    def hint(self, name: str) -> str:
        """What to say when `name` is not a member: close matches, or the full list if short."""
        close = difflib.get_close_matches(name, list(self.members), n=3, cutoff=0.6)
        if close:
            return f"unknown {self.what} {name!r}; did you mean {', '.join(close)}?"
        if len(self.members) <= 14:
            return f"unknown {self.what} {name!r}; expected one of {', '.join(sorted(self.members))}"
        return f"unknown {self.what} {name!r} (see the ontology's reference files for the list)"


@dataclass(frozen=True)
class Vocabulary:
    modalities: Enumeration
    instrument_types: Enumeration
    statuses: Enumeration
    risk_levels: Enumeration
    common_roles: Enumeration
    values: Enumeration
    parameter_kinds: Enumeration
    value_types: dict[URIRef, URIRef]
    concept_groups: Enumeration
    concepts: Enumeration
    domains: Enumeration
    system_types: Enumeration
    jurisdictions: Enumeration
    qualifiers: Enumeration
    sanctions: Enumeration


def _keyed(graph: Graph, what: str, rdf_type: URIRef | None = None, iris: set[URIRef] | None = None) -> Enumeration:
    members: dict[str, URIRef] = {}
    for subject, key in graph.subject_objects(XW.key):
        if not isinstance(subject, URIRef):
            continue
        if rdf_type is not None and (subject, RDF.type, rdf_type) not in graph:
            continue
        if iris is not None and subject not in iris:
            continue
        members[str(key)] = subject
    return Enumeration(what, members)


def _local(graph: Graph, what: str, scheme: URIRef) -> Enumeration:
    members = {
        str(s)[len(str(XWC)) :]: s
        for s in graph.subjects(SKOS.inScheme, scheme)
        if isinstance(s, URIRef) and str(s).startswith(str(XWC))
    }
    return Enumeration(what, members)


@cache
def lineage(jurisdiction: URIRef) -> tuple[URIRef, ...]:
    """The jurisdiction and every one it is part of, itself first: whose rules it inherits."""
    return tuple(URIRef(str(j)) for j in reference_graph().transitive_objects(jurisdiction, XW.partOf))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary of the shipped ontology (cached: the reference data is immutable)."""
    g = reference_graph()
    roles = {r for r in g.transitive_subjects(RDFS.subClassOf, XW.ActorRole) if isinstance(r, URIRef)}
    modalities = {m for m in g.subjects(RDFS.subClassOf, XW.Provision) if isinstance(m, URIRef)}
    return Vocabulary(
        modalities=_keyed(g, "modality", iris=modalities),
        instrument_types=_keyed(g, "instrument type", XW.InstrumentType),
        statuses=_keyed(g, "status", XW.Status),
        risk_levels=_keyed(g, "risk level", XW.RiskLevel),
        common_roles=_keyed(g, "common role", iris=roles),
        values=_keyed(g, "baseline value", XW.BaselineValue),
        parameter_kinds=_keyed(g, "parameter kind", XW.ParameterKind),
        value_types={
            s: o for s, o in g.subject_objects(XW.valueType) if isinstance(s, URIRef) and isinstance(o, URIRef)
        },
        concept_groups=_keyed(g, "concept group", XW.ConceptGroup),
        concepts=_local(g, "concept", XWC.NormConcepts),
        domains=_local(g, "application domain", XWC.ApplicationDomains),
        system_types=_local(g, "system type", XWC.SystemTypes),
        jurisdictions=Enumeration(
            "jurisdiction",
            {str(code): s for s, code in g.subject_objects(XW.code) if isinstance(s, URIRef)},
        ),
        qualifiers=_keyed(g, "qualifier", XW.Qualifier),
        sanctions=_keyed(g, "sanction", XW.Sanction),
    )
