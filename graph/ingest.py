"""The ingestion pipeline: parse → check → build RDF → SHACL → replace the named graph.

A file that fails any stage raises before the store is touched, so the store holds exactly
what it held before; so does a run over several files when any one of them fails (every
file's problems are reported at once). A file whose bytes (and the vocabulary it was checked against) are
unchanged since its last ingest is a no-op.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from crosswalk.ontology import GRAPH, XW, alignments_graph, local_name, path, reference_files, reference_graph
from crosswalk.ontology.tiers import TIERS_FILE

from .build import build, graph_iri
from .check import check
from .errors import Problem, RuleFileError, RuleFilesError, ShapeError
from .model import RuleFile
from .ntriples import Triples
from .rulefile import parse, read_bytes
from .shacl import violations
from .store import Rows, Store
from .version import data_version as data_version  # re-exported: tests and callers import it from here

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
    system_reloaded: bool = False  # the ontology and alignments were missing or changed, and reloaded


@cache
def vocabulary_hash() -> str:
    """SHA-256 of the shipped reference files and tier definitions: a rule file checked against
    other ones, or built with other tiers, is re-ingested."""
    digest = hashlib.sha256()
    for name in (*reference_files(), TIERS_FILE):
        digest.update(path(name).read_bytes())
    return digest.hexdigest()


def load(file: Path, data: bytes | None = None) -> RuleFile:
    """Stages 1-2: read and check a rule file."""
    return _load(file, data)[0]


def _load(file: Path, data: bytes | None = None) -> tuple[RuleFile, int]:
    """Stages 1-2, and the line of the file's instrument id (for problems found later)."""
    data = read_bytes(file, data)
    root = parse(file, data)
    rules = check(file, root, hashlib.sha256(data).hexdigest())
    instrument = root.value["instrument"].value
    return rules, instrument["id"].line


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


def _stored_jurisdiction(store: Store, name: URIRef) -> str | None:
    """The jurisdiction of the instrument graph `name` holds (None: no such instrument)."""
    result = store.query(
        f"PREFIX xw: <{XW}> SELECT ?g ?j WHERE {{ GRAPH ?g {{ ?i a xw:Instrument ; xw:jurisdiction ?j }} }} LIMIT 1",
        {"g": name},
    )
    assert isinstance(result, Rows)
    return str(result.rows[0][1]) if result.rows else None


def _system_graphs() -> dict[URIRef, Graph]:
    """The ontology with its reference data, and the alignments, each stamped with the hash of
    the shipped files so a missing, stale or replaced system graph is noticed."""
    current = Literal(vocabulary_hash())
    reference, alignments = Graph(), Graph()
    reference += reference_graph()
    alignments += alignments_graph()
    reference.add((REFERENCE_GRAPH, XW.contentHash, current))
    alignments.add((ALIGNMENTS_GRAPH, XW.contentHash, current))
    return {REFERENCE_GRAPH: reference, ALIGNMENTS_GRAPH: alignments}


@cache
def _system_sizes() -> dict[URIRef, int]:
    return {name: len(graph) for name, graph in _system_graphs().items()}


def _system_graphs_current(store: Store) -> bool:
    """Whether both system graphs hold exactly what this version ships (hash and triple count)."""
    result = store.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ <{REFERENCE_GRAPH}> <{ALIGNMENTS_GRAPH}> }} "
        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    assert isinstance(result, Rows)
    sizes = {row[0]: int(str(row[1])) for row in result.rows}
    current = vocabulary_hash()
    if not all(
        sizes.get(name) == size and (_stored_hashes(store, name) or ("",))[0] == current
        for name, size in _system_sizes().items()
    ):
        return False
    holds = getattr(store, "holds", None)  # a remote store: content and recorded digest (see _intact)
    return holds is None or all(holds(name, graph) for name, graph in _system_graphs().items())


def ensure_reference(store: Store) -> bool:
    """Load the ontology, reference data and alignments (one transaction) if missing, stale or
    changed by anything but this function. True if they were (re)loaded."""
    with store.writing():
        if _system_graphs_current(store):
            return False
        store.replace_graphs(_system_graphs())
    return True


def _intact(store: Store, name: URIRef, rules: RuleFile) -> bool:
    """Whether the stored graph is whole. A transactional store never holds half a write; on
    one that is not (a remote engine, `atomic_writes` False) a crash can leave the content hash
    beside half the graph, and a graph can be changed on the engine behind Crosswalk's back, so
    its content is checked against a fresh build, and against the digest Crosswalk recorded when
    it wrote it (`RemoteStore.holds`; what a verified copy checks, graph/remote_copy.py). A
    build is 0.1 s for the corpus; reading the corpus back about 2 s on Virtuoso."""
    holds = getattr(store, "holds", None)
    if getattr(store, "atomic_writes", True) or holds is None:
        return True
    expected = build(rules)
    expected.add((name, XW.vocabularyHash, Literal(vocabulary_hash())))  # as _validated_graph adds it
    return bool(holds(name, expected))


@dataclass(frozen=True)
class _Checked:
    """A rule file through stages 1-4, not yet written; `graph` is None when it is unchanged."""

    file: Path
    rules: RuleFile
    graph: Triples | None
    stored: tuple[str, str] | None
    started: float


def ingest_file(store: Store, file: Path, data: bytes | None = None) -> IngestReport:
    """Validate one rule file and replace its instrument's graph in one transaction."""
    return ingest_all(store, [file], data={file: data} if data is not None else None)[0]


def ingest_all(
    store: Store,
    files: Iterable[Path],
    on_done: Callable[[IngestReport], None] | None = None,
    *,
    data: Mapping[Path, bytes] | None = None,
    on_checked: Callable[[Path], None] | None = None,
) -> list[IngestReport]:
    """Ingest several files all or nothing: every file is read, checked and validated first, and
    if any has a problem, every file's problems are raised at once (`RuleFilesError` when more
    than one file has them) and nothing is written. Then each changed file is written in its own
    transaction. The whole run holds the store's write lock, so "is this id taken" stays true
    until the write."""
    files = list(files)
    with store.writing():
        checked: list[_Checked] = []
        failures: list[RuleFileError | ShapeError] = []
        owners: dict[str, tuple[Path, int]] = {}
        for file in files:
            started = time.perf_counter()
            try:
                rules, id_line = _load(file, (data or {}).get(file))
                _check_id_is_free(store, rules, id_line, owners)
                owners[rules.instrument.id] = (file, id_line)
                name = graph_iri(rules.instrument.id)
                stored = _stored_hashes(store, name)
                # Same bytes checked against the same vocabulary: nothing to build, validate or write.
                unchanged = stored == (rules.sha256, vocabulary_hash()) and _intact(store, name, rules)
                checked.append(_Checked(file, rules, None if unchanged else _validated_graph(rules), stored, started))
            except (RuleFileError, ShapeError) as exc:
                failures.append(exc)
            if on_checked:
                on_checked(file)
        if failures:
            raise failures[0] if len(failures) == 1 else RuleFilesError(failures, len(files))
        reloaded = ensure_reference(store)  # also when every file is unchanged: a dropped ontology comes back
        reports = []
        for item in checked:
            name = graph_iri(item.rules.instrument.id)
            if item.graph is None:
                outcome, triples = "unchanged", None
            else:
                store.replace_graph(name, item.graph)
                outcome, triples = ("added" if item.stored is None else "replaced"), len(item.graph)
            report = IngestReport(
                item.file,
                item.rules.instrument.id,
                name,
                outcome,
                triples,
                len(item.rules.provisions),
                time.perf_counter() - item.started,
                reloaded,
            )
            reports.append(report)
            if on_done:
                on_done(report)
    return reports


def _check_id_is_free(store: Store, rules: RuleFile, id_line: int, owners: dict[str, tuple[Path, int]]) -> None:
    """An instrument id names one graph across all jurisdictions: refuse a file whose id another
    file of this run, or another jurisdiction's instrument in the store, already uses (it would
    silently replace it)."""
    ins = rules.instrument
    if ins.id in owners:
        other, line = owners[ins.id]
        raise RuleFileError(
            [Problem(str(rules.path), id_line, "instrument.id", f"id {ins.id!r} is also used by {other}:{line}")]
        )
    held = _stored_jurisdiction(store, graph_iri(ins.id))
    if held is not None and held != str(ins.jurisdiction):
        raise RuleFileError(
            [
                Problem(
                    str(rules.path),
                    id_line,
                    "instrument.id",
                    f"id {ins.id!r} is taken by an instrument of {local_name(held)} in the store; "
                    "ids are unique across jurisdictions, so choose another (or drop that one first)",
                )
            ]
        )


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
