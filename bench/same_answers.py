"""Digests of what the analysis answers, to hold a performance change to the same output.

`python bench/same_answers.py --out before.txt` (then again with the change, `--out after.txt`,
and `diff` the two) writes one line per answer: what was asked and the SHA-256 of its JSON as
`/compare` and `/matrix` send it (orjson over `to_dict()`, byte for byte):

- every pair of the bundled corpus's jurisdictions that have provisions, compared at three dates
  (before the EU AI Act applied, between its application dates, and the session's day), both
  orders of the parties being the same answer (`compare` takes them in canonical order);
- the matrix of all those jurisdictions at the same dates;
- with `--synthetic PATH`, the pairwise matrix of the generated 50 x 1,000 store on disk
  (bench/synthetic.py; built at PATH on first use, reused after), cold.

The corpus is ingested into a fresh on-disk store (as `crosswalk serve` runs) unless `--store`
names one. Each answer is computed in a cold process state (caches cleared once per date), as
the CLI meets it; the server's warmed path is held equal to it by tests/test_timeline.py.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import orjson
import synthetic

from crosswalk.graph.build import build, graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ensure_reference, ingest_all, rule_files
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import JUR
from crosswalk.queries.compare import clear_cache, compare, matrix, pairwise

DATES = [date(2024, 6, 1), date(2025, 8, 2), date(2026, 12, 3)]
SYNTHETIC = (50, 1000)
SYNTHETIC_WHEN = date(2026, 11, 24)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def codes_with_provisions(store: EmbeddedStore) -> list[str]:
    rows = store.select_values(
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> SELECT DISTINCT ?j WHERE { ?p xw:jurisdiction ?j }"
    )[1]
    made = {str(j) for (j,) in rows}
    return sorted(c for c, iri in vocabulary().jurisdictions.members.items() if str(iri) in made)


def corpus_answers(store: EmbeddedStore) -> list[str]:
    codes = codes_with_provisions(store)
    lines = []
    for when in DATES:
        clear_cache()
        for a, b in itertools.combinations(codes, 2):
            made = compare(store, [a, b], when)
            body = orjson.dumps(made.to_dict())
            if hasattr(made, "to_json") and made.to_json() != body:  # what /compare sends
                raise SystemExit(f"{a} {b} {when}: to_json() differs from orjson over to_dict()")
            lines.append(f"compare {a} {b} {when} {digest(body)}")
        lines.append(f"matrix {len(codes)} {when} {digest(orjson.dumps(matrix(store, codes, when).to_dict()))}")
    return lines


def synthetic_store(path: Path) -> EmbeddedStore:
    fresh = not path.exists()
    store = EmbeddedStore(path)
    if fresh:
        ensure_reference(store)
        for f in synthetic.corpus(*SYNTHETIC):
            store.replace_graph(graph_iri(f.instrument.id), build(f))
    return store


def synthetic_answer(store: EmbeddedStore) -> str:
    codes = [synthetic.jurisdiction_code(i) for i in range(SYNTHETIC[0])]
    clear_cache()
    start = time.perf_counter()
    table = pairwise(store, [JUR[c] for c in codes], SYNTHETIC_WHEN)
    seconds = time.perf_counter() - start
    print(f"synthetic matrix {SYNTHETIC[0]} x {SYNTHETIC[1]}: {seconds:.2f} s", file=sys.stderr)
    return f"pairwise {SYNTHETIC[0]}x{SYNTHETIC[1]} {SYNTHETIC_WHEN} {digest(repr(sorted(table.items())).encode())}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--store", type=Path, help="an on-disk store holding the bundled corpus (else a fresh one)")
    parser.add_argument("--synthetic", type=Path, help="the generated 50 x 1,000 store on disk (built if missing)")
    args = parser.parse_args()
    work = None
    if args.store is None:
        work = Path(tempfile.mkdtemp(prefix="crosswalk-same-answers-"))
        args.store = work / "store"
    try:
        start = time.perf_counter()
        store = EmbeddedStore(args.store)
        if work is not None:
            ingest_all(store, rule_files([bundled_corpus()]))
        lines = corpus_answers(store)
        store.close()
        print(f"{len(lines)} corpus answers in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        if args.synthetic:
            syn = synthetic_store(args.synthetic)
            lines.append(synthetic_answer(syn))
            syn.close()
        args.out.write_text("\n".join(lines) + "\n")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
