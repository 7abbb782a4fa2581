"""A checkpoint per store version (graph/snapshots.py): readers in other processes get one whole
version, held ones stay, unheld old ones go, and a reader never opens the live store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from crosswalk.graph import snapshots
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.errors import StoreUnavailable
from crosswalk.graph.store import Rows

G = URIRef("urn:test:g")
P = URIRef("urn:test:p")


def _values(store: EmbeddedStore) -> set[str]:
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert isinstance(rows, Rows)
    return {str(r[0]) for r in rows.rows}


def _write(store: EmbeddedStore, *values: str) -> None:
    store.replace_graph(G, [(URIRef(f"urn:test:s{i}"), P, Literal(v)) for i, v in enumerate(values)])


def _published(path: Path) -> list[str]:
    return sorted(n for n in os.listdir(snapshots.directory(path)) if n.isdigit())


def test_each_version_reads_as_it_was_and_unheld_old_ones_are_deleted(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    _write(writer, "a")
    writer.publish_snapshots()
    first = writer.generation
    reader = EmbeddedStore.snapshot(path, first)  # holds version `first`
    _write(writer, "b")
    _write(writer, "c", "d")
    assert _values(reader) == {"a"}  # the writes after its version are not in it
    later = EmbeddedStore.snapshot(path, writer.generation)
    assert _values(later) == {"c", "d"}
    assert _published(path) == sorted([str(first), str(writer.generation)])  # the unheld middle one went
    reader.close()
    later.close()
    writer.drop_graph(G)
    assert _published(path) == [str(writer.generation)]  # the newest only
    gone = EmbeddedStore.snapshot(path, first)  # deleted: the newest instead, still one whole version
    assert gone.generation == writer.generation and _values(gone) == set()
    gone.close()
    with pytest.raises(StoreUnavailable, match="read-only"):
        gone_writer = EmbeddedStore.snapshot(path, writer.generation)
        try:
            gone_writer.drop_graph(G)
        finally:
            gone_writer.close()
    writer.close()
    assert not snapshots.directory(path).exists()  # closing the writer removes its checkpoints


def test_a_reader_never_falls_back_to_the_live_store_while_versions_are_published(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    writer.publish_snapshots()
    for name in _published(path):  # as if every checkpoint were lost
        checkpoint = snapshots.directory(path) / name
        (checkpoint / snapshots.READERS).unlink()
        checkpoint.rename(snapshots.directory(path) / f".{name}.old")
    with pytest.raises(StoreUnavailable, match="no checkpoint"):
        EmbeddedStore.snapshot(path, writer.generation)
    writer.close()
