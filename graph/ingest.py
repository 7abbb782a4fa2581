"""The ingestion pipeline: parse → check → build RDF → SHACL → replace the named graph.

A file that fails any stage raises before the store is touched, so the store holds exactly
what it held before. A file whose bytes (and the vocabulary it was checked against) are
unchanged since its last ingest is a no-op.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from crosswalk.ontology import GRAPH, XW, alignments_graph, path, reference_files, reference_graph

from .build import build, graph_iri
from .check import check
from .errors import ShapeError
from .model import RuleFile
from .ntriples import Triples
from .rulefile import parse, read_bytes
from .shacl import violations
from .store import Rows, Store

REFERENCE_GRAPH = GRAPH.reference
ALIGNMENTS_GRAPH = GRAPH.alignments


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did: `outcome` is added, replaced or unchanged."""

    file: Path
    instrument: str
    graph: URIRef
    outcome: str
    triples: int | None  # None when unchanged: nothing was built
    provisions: int
    seconds: float


@cache
def vocabulary_hash() -> str:
    """SHA-256 of the shipped reference files: a rule file checked against other ones is re-ingested."""
    digest = hashlib.sha256()
    for name in reference_files():
        digest.update(path(name).read_bytes())
    return digest.hexdigest()


def load(file: Path, data: bytes | None = None) -> RuleFile:
    """Stages 1-2: read and check a rule file."""
    data = read_bytes(file, data)
    return check(file, parse(file, data), hashlib.sha256(data).hexdigest())


def prepare(file: Path, data: bytes | None = None) -> tuple[RuleFile, Triples]:
    """Stages 1-4: everything but the write. `crosswalk validate` stops here."""
    rules = load(file, data)
    return rules, _validated_graph(rules)


def _validated_graph(rules: RuleFile) -> Triples:
    """Stages 3-4: build the instrument's graph and pass it through the SHACL shapes."""
    graph = build(rules)
    graph.add((graph_iri(rules.instrument.id), XW.vocabularyHash, Literal(vocabulary_hash())))
    problems = violations(graph)
    if problems:
        raise ShapeError(str(rules.path), problems)
    return graph


def _stored_hashes(store: Store, name: URIRef) -> tuple[str, str] | None:
    result = store.query(
        f"PREFIX xw: <{XW}> SELECT ?g ?h ?v WHERE {{ GRAPH ?g {{ ?g xw:contentHash ?h "
        "OPTIONAL { ?g xw:vocabularyHash ?v } } }",
        {"g": name},
    )
    assert isinstance(result, Rows)
    if not result.rows:
        return None
    _, h, v = result.rows[0]
    return str(h), str(v) if v is not None else ""


def data_version(store: Store) -> str:
    """A SHA-256 over the content hash of every ingested graph (instruments and reference data):
    two stores with the same version hold the same rule files read against the same vocabulary,
    so a report stamped with it can be regenerated cell for cell."""
    result = store.query(f"PREFIX xw: <{XW}> SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g xw:contentHash ?h }} }}")
    assert isinstance(result, Rows)
    digest = hashlib.sha256()
    for line in sorted(f"{g} {h}" for g, h in result.rows):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def ensure_reference(store: Store) -> bool:
    """Load the ontology and reference data into their own graph if missing or stale."""
    current = vocabulary_hash()
    stored = _stored_hashes(store, REFERENCE_GRAPH)
    if stored is not None and stored[0] == current:
        return False
    graph = Graph()
    graph += reference_graph()
    graph.add((REFERENCE_GRAPH, XW.contentHash, Literal(current)))
    store.replace_graph(REFERENCE_GRAPH, graph)
    store.replace_graph(ALIGNMENTS_GRAPH, alignments_graph())
    return True


def _intact(store: Store, name: URIRef, rules: RuleFile) -> bool:
    """Whether the stored graph is whole. A transactional store never holds half a write; on
    one that is not (a remote engine, `atomic_writes` False) a crash can leave the content hash
    beside half the graph, so its size is checked against a fresh build (0.1 s for the corpus)."""
    size = getattr(store, "graph_size", None)
    if getattr(store, "atomic_writes", True) or size is None:
        return True
    expected = len(build(rules)) + 1  # + the vocabulary hash _validated_graph adds
    return bool(size(name) == expected)


def ingest_file(store: Store, file: Path, data: bytes | None = None) -> IngestReport:
    """Validate one rule file and replace its instrument's graph in one transaction."""
    started = time.perf_counter()
    rules = load(file, data)
    name = graph_iri(rules.instrument.id)
    stored = _stored_hashes(store, name)
    # Same bytes checked against the same vocabulary: nothing to build, validate or write.
    if stored == (rules.sha256, vocabulary_hash()) and _intact(store, name, rules):
        outcome, triples = "unchanged", None
    else:
        graph = _validated_graph(rules)
        ensure_reference(store)
        store.replace_graph(name, graph)
        outcome, triples = ("added" if stored is None else "replaced"), len(graph)
    return IngestReport(
        file, rules.instrument.id, name, outcome, triples, len(rules.provisions), time.perf_counter() - started
    )


def ingest_all(
    store: Store, files: Iterable[Path], on_done: Callable[[IngestReport], None] | None = None
) -> list[IngestReport]:
    """Ingest several files, each in its own transaction; the first bad file stops the run."""
    reports = []
    for file in files:
        report = ingest_file(store, file)
        reports.append(report)
        if on_done:
            on_done(report)
    return reports


def rule_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand folders into the rule files under them, in a stable order."""
    for p in paths:
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*.yaml") if f.is_file())
        else:
            yield p


def bundled_corpus() -> Path:
    """The corpus shipped with the package."""
    return Path(__file__).parent / "corpus"
