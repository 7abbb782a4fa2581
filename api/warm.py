"""Read each store version once before any request needs it: at start, and after each write.

The analysis holds what it reads of a store version (queries/timeline.py, decision 0007): a
comparison at a new date then costs its classification, 1-4 ms. The first comparison of a version
paid the read itself (about 60-100 ms of CPU on disk for one pair, issue 18), and under load every
request that arrived meanwhile queued behind it (the read is single flight). So the server reads
the version for every jurisdiction of the vocabulary, with the dated facts its response cache
keys dates by (api/epochs.py), as it starts and in the write's own request after each write: a
request that comes after the write's answer finds the new version read.

A warm that fails leaves nothing half held (each read keeps only what it read whole from one
version) and is only logged: the next request reads what it needs, as without warming.
"""

from __future__ import annotations

import gc
import logging

from crosswalk.graph.errors import CrosswalkError
from crosswalk.graph.store import Store
from crosswalk.queries import compare, matrix_read

from .epochs import dated_facts

log = logging.getLogger(__name__)


def warm(store: Store) -> bool:
    """Read the store's current version for the analysis and the response cache; False when the
    store does not count its writes (nothing is held for it) or the read failed."""
    try:
        if not compare.warm(store):
            return False
        dated_facts(store)
        # and the matrix's whole-store reads, kept beside an on-disk store for /matrix and the
        # next process (queries/matrix_read.py); at once when an earlier process kept them
        matrix_read.keep(store)
    except (CrosswalkError, OSError):  # a failed warm costs the next request its read, nothing else
        log.exception("reading the store version ahead of requests failed")
        return False
    # What was read lives as long as its version: move it where the cyclic collector never walks
    # (reference counting still frees it when the next version replaces it). Left in the
    # collector's generations, every full collection walked the whole read version again, a
    # pause of tens of milliseconds in the middle of someone's request.
    gc.freeze()
    return True


__all__ = ["warm"]
