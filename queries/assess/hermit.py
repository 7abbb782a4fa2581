"""Running HermiT: the reasoner owlready2 ships, as a process of its own with a deadline, and
reading what it prints (docs/decisions/0006-hermit-for-tiers.md).

It is run directly rather than through owlready2's `sync_reasoner_hermit` to bound its time
(the process is killed at the deadline) and to start the JVM with the quick compiler only
(-XX:TieredStopAtLevel=1), which halves a run this short.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from rdflib import Graph

from crosswalk.graph.errors import CrosswalkError, QueryTimeout


class ReasonerError(CrosswalkError):
    """HermiT could not classify (Java missing or a Java error)."""


class ReasonerTimeout(QueryTimeout):
    """HermiT ran past its time limit and was stopped."""


_TYPE = re.compile(r"^Type\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)
_SUB = re.compile(r"^SubClassOf\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)


def hermit(ontology: Graph | bytes, timeout: float, options: tuple[str, ...] = ("-c", "-I")) -> str:
    """HermiT's output for an ontology (a graph, or N-Triples): by default its classification
    (-c) and realisation (-I)."""
    import owlready2
    from owlready2.reasoning import _HERMIT_CLASSPATH

    with tempfile.TemporaryDirectory(prefix="crosswalk-assess-") as tmp:
        file = Path(tmp) / "assess.nt"
        data = ontology if isinstance(ontology, bytes) else ontology.serialize(format="nt", encoding="utf-8")
        file.write_bytes(data)
        command = [
            owlready2.JAVA_EXE,
            "-Xmx512M",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            _HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine",
            *options,
            file.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError as exc:
            raise ReasonerError(f"cannot run Java for the HermiT reasoner: {exc}") from None
        except subprocess.TimeoutExpired:
            raise ReasonerTimeout(f"the reasoner ran past its time limit of {timeout:g} s") from None
    if done.returncode != 0:
        text = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        if any("InconsistentOntologyException" in line for line in text):
            raise ReasonerError("HermiT: the ontology is inconsistent")
        raise ReasonerError("HermiT failed: " + (text[-1] if text else f"exit code {done.returncode}"))
    return done.stdout.decode("utf-8", "replace")


def tiers_consistent(tiers: Graph, data: Graph, timeout: float = 600.0) -> bool:
    """Whether tier definitions stay consistent with instance data and the reference ontology:
    a consistency check only (-k). Realising every corpus individual against the tiers'
    complements and facets takes many minutes; the check takes seconds. xsd:date literals
    (applies-from dates) are outside OWL 2's datatype map, so HermiT skips them (SHACL checks
    the dates)."""
    from crosswalk.ontology import reference_graph

    try:
        output = hermit(reference_graph() + tiers + data, timeout, ("-k", "--ignoreUnsupportedDatatypes"))
    except ReasonerError as exc:
        if "inconsistent" in str(exc):
            return False
        raise
    return "http://www.w3.org/2002/07/owl#Thing is satisfiable" in output


def types_of(output: str) -> dict[str, set[str]]:
    """Each individual HermiT realised, with every class it is in: the direct types it prints
    (`Type( <i> <C> )`) closed over the hierarchy it prints (`SubClassOf( <C> <D> )`)."""
    parents: dict[str, set[str]] = {}
    for sub, sup in _SUB.findall(output):
        parents.setdefault(sub, set()).add(sup)
    direct: dict[str, set[str]] = {}
    for individual, cls in _TYPE.findall(output):
        direct.setdefault(individual, set()).add(cls)
    out: dict[str, set[str]] = {}
    for individual, classes in direct.items():
        seen: set[str] = set()
        todo = list(classes)
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(parents.get(c, ()))
        out[individual] = seen
    return out
