"""Reasoning over the ontology with owlready2 and HermiT (Java): consistency and satisfiability.

owlready2 reads RDF/XML or N-Triples, not Turtle, so the Turtle core is converted with rdflib
into a temporary N-Triples file first. Only the reasoning core is loaded: never the alignments
(see DESIGN.md: outside vocabularies would collapse our modalities).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import reference_graph


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    classes: int
    unsatisfiable: list[str]


def check_ontology(extra: Graph | None = None) -> ReasonerResult:
    """Run HermiT over the ontology and reference data, plus `extra` instance data if given."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "crosswalk.nt"
        graph = reference_graph() + extra if extra is not None else reference_graph()
        file.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        onto = world.get_ontology(file.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(False, len(list(onto.classes())), [])
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
        return ReasonerResult(True, len(list(world.classes())), unsatisfiable)
