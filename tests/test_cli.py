"""The `crosswalk` command line end to end, on a real embedded store on disk."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from crosswalk.graph.ingest import bundled_corpus
from crosswalk.queries.registry import named_queries

from .conftest import executable

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture
def store_dir(tmp_path: Path, excerpt: Path, cli) -> Path:
    directory = tmp_path / "store"
    assert cli("ingest", str(excerpt), "--store", str(directory)).code == 0
    return directory


def test_named_query_as_json_and_csv(store_dir: Path, cli) -> None:
    result = cli("query", "provisions", "-p", "j=EU", "--format", "json", "--store", str(store_dir))
    assert result.code == 0, result.err
    rows = json.loads(result.out)["rows"]
    assert {r["citation"] for r in rows} == {"Art. 5(1)(c)", "Art. 73(2)", "Art. 99(3)"}
    result = cli("query", "provisions", "-p", "j=EU", "--format", "csv", "--store", str(store_dir))
    table = list(csv.DictReader(io.StringIO(result.out)))
    assert len(table) == 3 and table[0]["j"] == "https://w3id.org/crosswalk/id/jurisdiction/EU"


def test_sparql_text_and_file(store_dir: Path, tmp_path: Path, cli) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?p <https://w3id.org/crosswalk/ontology#summary> ?c }"
    result = cli("query", text, "--format", "json", "--store", str(store_dir))
    assert json.loads(result.out)["rows"] == [{"n": 3}]
    file = tmp_path / "q.rq"
    file.write_text(text, encoding="utf-8")
    assert json.loads(cli("query", str(file), "-f", "json", "--store", str(store_dir)).out)["rows"] == [{"n": 3}]


def test_bad_query_and_bad_parameter_exit_2(store_dir: Path, cli) -> None:
    result = cli("query", "SELECT ?x WHERE {", "--store", str(store_dir))
    assert result.code == 2 and "SPARQL syntax error" in result.err
    result = cli("query", "provisions", "-p", "j=XX", "--store", str(store_dir))
    assert result.code == 2 and "unknown jurisdiction 'XX'" in result.err
    result = cli("query", "provisions", "--store", str(store_dir))
    assert result.code == 2 and "needs parameter(s) j" in result.err


def test_a_query_file_that_is_missing_or_not_utf8_is_a_clear_error(store_dir: Path, tmp_path: Path, cli) -> None:
    latin = tmp_path / "latin.rq"
    latin.write_bytes('SELECT * WHERE { ?s ?p "caf\xe9" }'.encode("latin-1"))
    folder = tmp_path / "folder.rq"
    folder.mkdir()
    cases = [
        (str(latin), f"error: {latin}: not UTF-8 text (byte 0xe9 at offset 27); save the query as UTF-8"),
        (str(tmp_path / "missing.rq"), f"error: no query file '{tmp_path / 'missing.rq'}'"),
        ("missing.sparql", "error: no query file 'missing.sparql'"),
        (str(folder), f"error: cannot read query file '{folder}': Is a directory"),
    ]
    for arg, message in cases:
        result = cli("query", arg, "--store", str(store_dir))
        assert (result.code, result.err.strip()) == (2, message)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_round_trips(store_dir: Path, tmp_path: Path, cli, fmt: str) -> None:
    out = tmp_path / f"dump.{fmt}"
    assert cli("export", "--format", fmt, "-o", str(out), "--store", str(store_dir)).code == 0
    formats = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }
    parsed = list(ox.parse(path=str(out), format=formats[fmt]))
    assert len(parsed) > 100
    if fmt in ("nq", "trig"):
        names = {q.graph_name.value for q in parsed}
        assert "https://w3id.org/crosswalk/graph/test-excerpt" in names


def test_stats_counts_what_was_ingested(store_dir: Path, cli) -> None:
    result = cli("stats", "--store", str(store_dir))
    assert result.code == 0
    assert "1 instruments, 1 jurisdictions, 3 provisions" in " ".join(result.out.split())


def test_validate_writes_nothing_and_accepts_the_bundled_corpus(tmp_path: Path, cli) -> None:
    result = cli("validate", str(bundled_corpus()))
    assert result.code == 0, result.err
    assert result.out.count("ok ") == len(list(bundled_corpus().rglob("*.yaml")))


def test_every_named_query_is_documented_and_runs(store_dir: Path, cli) -> None:
    listing = cli("queries").out
    for name, query in named_queries().items():
        assert name in listing
        assert query.example.startswith(f"crosswalk query {name}"), f"{name} lacks a runnable example"
        assert query.audience, f"{name} does not say who asks it"
        args = query.example.split()[3:]
        result = cli("query", name, *args, "--store", str(store_dir))
        assert result.code == 0, result.err


def test_readme_gives_the_two_commands_and_ci_runs_the_second() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_console_script_is_installed_and_maps_errors_to_exit_codes(tmp_path: Path) -> None:
    exe = executable("crosswalk")
    assert exe, "the console script is not installed"
    bad = tmp_path / "bad.yaml"
    bad.write_text("[not, a, mapping]\n", encoding="utf-8")
    done = subprocess.run([exe, "validate", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"{bad}:1: (top level): expected a mapping, got a list" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_empty_store_is_an_error_never_zero_findings(tmp_path: Path, cli) -> None:
    # issue 14: after `make demo` a user on another store got "0 concepts" and exit 0
    empty = str(tmp_path / "empty")
    for args in (("compare", "EU", "US-CO"), ("query", "in-force", "-p", "j=EU"), ("report", "EU", "KR")):
        result = cli(*args, "--store", empty)
        assert result.code == 1, args
        assert "store is empty" in result.err and "crosswalk ingest" in result.err


def test_first_contact_errors_say_what_to_do(corpus_dir: Path, tmp_path: Path, cli) -> None:
    # lower-case codes are the same jurisdictions
    lower = cli("compare", "eu", "us-co", "--as-of", "2026-12-02", "-f", "json", "--store", str(corpus_dir))
    assert lower.code == 0 and json.loads(lower.out)["a"] == "EU" and json.loads(lower.out)["b"] == "US-CO"
    # a misspelt code or query name suggests the right one (exit 2: bad input)
    typo = cli("compare", "EU", "us-cx", "--store", str(corpus_dir))
    assert typo.code == 2 and "did you mean" in typo.err and "US-CO" in typo.err
    query = cli("query", "in-forse", "-p", "j=EU", "--store", str(corpus_dir))
    assert query.code == 2 and "did you mean in-force?" in query.err
    # a store held by another opener (a running server) points to the HTTP endpoint
    from crosswalk.graph.embedded import EmbeddedStore

    held = EmbeddedStore(tmp_path / "held")
    try:
        locked = cli("compare", "EU", "KR", "--store", str(tmp_path / "held"))
        assert locked.code == 1 and "in use by another process" in locked.err and "/sparql" in locked.err
    finally:
        held.close()
