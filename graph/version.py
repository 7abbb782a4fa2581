"""The version of a store's data: what a report is stamped with so it can be regenerated.

Kept apart from `graph/ingest.py` so that reading a version does not import the ingest
machinery (the SHACL validator and the RDF builder, a third of a second at start-up).
"""

from __future__ import annotations

import hashlib

from crosswalk.ontology import XW

from .store import Rows, Store


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
