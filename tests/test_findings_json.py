"""`Finding.to_dict` is written out by hand for speed (issue 18); it must stay the JSON that
`dataclasses.asdict` gave, key for key and in order, for every finding of real comparisons, and
it must name every field a finding has (a field added later and not written out fails here)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from typing import Any

import orjson

from crosswalk.graph.store import Store
from crosswalk.queries.compare import compare
from crosswalk.queries.findings import Finding

PAIRS = [("EU", "US-CO"), ("EU", "KR"), ("US", "US-CA"), ("CN", "BR"), ("GB", "CoE"), ("US-TX", "US-UT")]


def _by_asdict(f: Finding) -> dict[str, Any]:
    """The implementation it replaced."""
    out = {k: v for k, v in asdict(f).items() if k not in ("a", "b")}
    out["a"] = [p.ref() for p in f.a]
    out["b"] = [p.ref() for p in f.b]
    out["pending"] = [p.ref() for p in f.pending]
    out["related"] = [p.ref() for p in f.related]
    out["general_law"] = [p.ref() for p in f.general_law]
    out["matched"] = [list(m) for m in f.matched]
    out["reasons"] = list(f.reasons)
    return out


def test_every_finding_serialises_as_asdict_did(corpus: Store) -> None:
    kinds, n = set(), 0
    for a, b in PAIRS:
        for when in (date(2025, 8, 2), date(2026, 12, 3)):
            for f in compare(corpus, [a, b], when).findings:
                ours, theirs = f.to_dict(), _by_asdict(f)
                assert json.dumps(ours) == json.dumps(theirs), f.id
                kinds.add(f.kind)
                n += 1
    assert n > 300 and {"divergent", "gap", "pending"} <= kinds


def test_the_answer_as_json_is_its_dict_written_by_orjson(corpus: Store) -> None:
    # /compare sends Comparison.to_json(): each provision's JSON written once, findings' tuples
    # left to orjson; byte for byte what orjson writes of to_dict()
    for a, b in PAIRS:
        for when in (date(2025, 8, 2), date(2026, 12, 3)):
            made = compare(corpus, [a, b], when)
            assert made.to_json() == orjson.dumps(made.to_dict()), (a, b, when)
            assert made.to_json() == made.to_json()  # the provisions' kept JSON is not spent


def test_every_field_is_written() -> None:
    written = set(Finding("i", "gap", "c", "l", "g", (), ()).to_dict())
    assert written == {f.name for f in fields(Finding)}
