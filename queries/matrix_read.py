"""The matrix's reads of many jurisdictions, kept on disk per store version (decision 0009).

Cold, at 50 jurisdictions x 1,000 provisions on disk, the matrix spent 2.5 of its 3 s reading
rows through RocksDB (`parts/in-force-keys-scan.rq` and `parts/attributes-scan.rq`, decision
0008). Both are the same for every date but one filter, so they are read once per store
version without it (`parts/in-force-keys-dated-scan.rq`, and the attributes as they are), kept
beside the store (graph/reads.py) and loaded by the next process in a tenth of the time; the
date and the jurisdictions asked are then applied here, as in-force-keys-scan.rq applies them.
tests/test_matrix_read.py holds the rows equal to that query's, and the kept file to a fresh
read, and checks that every write removes it.

Only for the embedded store on disk, opened writable (`EmbeddedStore.kept` says None
elsewhere, and the matrix reads the store as before).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path

from rdflib import URIRef

from crosswalk.graph.binding import bind_values
from crosswalk.graph.store import Store, select_values
from crosswalk.ontology import XW

NAME = "matrix-v1"  # the file's name beside the store: a new shape of the rows needs a new name
DATED_COLUMNS = (
    "provision", "concept", "modality", "binding", "origin", "appliesFrom", "appliesUntil", "status", "repealed",
)  # fmt: skip
IN_FORCE = str(XW.InForce)
# the jurisdictions each asked one inherits from, as in-force-keys-scan.rq joins them
LINEAGE = "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT ?j ?origin WHERE { ?j xw:partOf* ?origin }"

Row = tuple[str | None, ...]


@cache
def _part(name: str) -> str:
    return (Path(__file__).parent / "parts" / f"{name}.rq").read_text(encoding="utf-8")


def usable(store: Store) -> bool:
    """Whether the store keeps reads on disk (an embedded store on disk, opened writable)."""
    return callable(getattr(store, "kept", None)) and getattr(store, "path", None) is not None


def version_rows(store: Store) -> tuple[list[Row], list[Row]]:
    """The version's dated key rows (in-force-keys-dated-scan.rq) and attribute rows
    (attributes-scan.rq): kept on disk by an earlier process, or read now and kept."""
    kept = store.kept(NAME)  # type: ignore[attr-defined]
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    version = store.cache_key  # type: ignore[attr-defined]
    # Oxigraph releases the GIL for part of each read: the two side by side
    with ThreadPoolExecutor(max_workers=1) as pool:
        attributes = pool.submit(select_values, store, _part("attributes-scan"))
        names, keys = select_values(store, _part("in-force-keys-dated-scan"))
        attribute_names, attribute_rows = attributes.result()
    if tuple(names) != DATED_COLUMNS or tuple(attribute_names) != ("provision", "attributes"):
        raise ValueError(f"matrix reads select {names} and {attribute_names}, expected {DATED_COLUMNS}")
    rows = ([tuple(r) for r in keys], [tuple(r) for r in attribute_rows])
    store.keep(NAME, version, rows)  # type: ignore[attr-defined]
    return rows


def keep(store: Store) -> bool:
    """Read and keep the version's rows unless they are kept already (a write's own request
    in the server, api/warm.py, and `crosswalk ingest`): the next matrix, in this process or
    another, then reads none of them from the store. False where nothing is kept."""
    if not usable(store) or store.kept(NAME, peek=True):  # type: ignore[attr-defined]
        return False
    version_rows(store)
    return True


def in_force_keys(keys: Sequence[Row], store: Store, jurisdictions: Sequence[URIRef], as_of: date) -> list[Row]:
    """in-force-keys-scan.rq's rows (?j ?provision ?concept ?modality ?binding ?origin) for the
    jurisdictions at the date, from the version's dated key rows: its filters on the date and
    on the jurisdiction, in Python. Dates are xsd:date (the shapes enforce it), so their ISO
    texts order as the dates do."""
    heirs: dict[str, list[str]] = {}  # origin -> the jurisdictions asked that inherit its law
    lineage = select_values(store, bind_values(LINEAGE, ["j"], [[j] for j in jurisdictions]))[1]
    for j, origin in lineage:
        heirs.setdefault(str(origin), []).append(str(j))
    at = as_of.isoformat()
    out: list[Row] = []
    for provision, concept, modality, binding, origin, start, until, status, repealed in keys:
        asking = heirs.get(str(origin))
        if asking is None or start is None or start > at or (until is not None and until < at):
            continue
        if status != IN_FORCE and (repealed is None or repealed <= at):  # status is InForce or Repealed
            continue
        bound = binding in ("true", "1")
        for j in asking:
            if bound or origin == j:
                out.append((j, provision, concept, modality, binding, origin))
    return out


__all__ = ["DATED_COLUMNS", "NAME", "in_force_keys", "keep", "usable", "version_rows"]
