"""Bad rule files: a clear error naming file, line and field; exit code 2; the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.store import Rows


def _snapshot(store_dir: Path) -> set[tuple[str, ...]]:
    db = EmbeddedStore(store_dir)
    try:
        rows = db.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, Rows)
        return {tuple(str(t) for t in row) for row in rows.rows}
    finally:
        db.close()


@pytest.fixture
def loaded_store(tmp_path: Path, excerpt: Path, cli) -> Path:
    store_dir = tmp_path / "store"
    assert cli("ingest", str(excerpt), "--store", str(store_dir)).code == 0
    return store_dir


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture no longer contains {old!r}"
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# Each case: (name, mutation of the excerpt, the line marker to expect, the field to expect, words in the message)
CASES = [
    (
        "yaml-syntax",
        lambda t: _replace_once(t, "    citation: Art. 73(2)", "    citation: [Art. 73(2)"),
        "citation: [Art. 73(2)\n",
        "(yaml)",
        "parsing a flow sequence on line",
    ),
    (
        "unknown-concept",
        lambda t: _replace_once(t, "[SocialScoring]", "[SocialScorring]"),
        "[SocialScorring]",
        "provisions[0] (art5-1-c).concepts[0]",
        "did you mean SocialScoring",
    ),
    (
        "unknown-modality",
        lambda t: _replace_once(t, "modality: prohibition", "modality: forbidden"),
        "modality: forbidden",
        "provisions[0] (art5-1-c).modality",
        "unknown modality 'forbidden'",
    ),
    (
        "missing-citation",
        lambda t: _replace_once(t, "    citation: Art. 73(2)\n", ""),
        "  - id: art73-2",
        "provisions[1] (art73-2).citation",
        "required field is missing",
    ),
    (
        "malformed-date",
        lambda t: _replace_once(t, "applies_from: 2026-08-02", "applies_from: 2026-02-30"),
        "applies_from: 2026-02-30",
        "provisions[1] (art73-2).applies_from",
        "malformed date",
    ),
    (
        "until-before-from",
        lambda t: _replace_once(
            t, "    applies_from: 2025-02-02\n", "    applies_from: 2025-02-02\n    applies_until: 2024-01-01\n"
        ),
        "applies_until: 2024-01-01",
        "provisions[0] (art5-1-c).applies_until",
        "must be after applies_from",
    ),
    (
        "duplicate-id",
        lambda t: _replace_once(t, "id: art99-3", "id: art73-2"),
        "id: art73-2\n    citation: Art. 99(3)",
        "provisions[2].id",
        "duplicate id 'art73-2'",
    ),
    (
        "unknown-tier",
        lambda t: _replace_once(t, "risk_tiers: [high-risk]", "risk_tiers: [very-high-risk]"),
        "risk_tiers: [very-high-risk]",
        "provisions[1] (art73-2).scope.risk_tiers[0]",
        "unknown risk tier",
    ),
    (
        "tier-unknown-level",
        lambda t: _replace_once(t, "level: high", "level: extreme"),
        "level: extreme",
        "risk_tiers[0].level",
        "unknown risk level 'extreme'",
    ),
    (
        "source-not-http",
        lambda t: _replace_once(t, "source: https://eur-lex", "source: ftp://eur-lex"),
        "source: ftp://eur-lex",
        "instrument.source",
        "not an http(s) IRI",
    ),
    ("not-a-mapping", lambda t: "- just\n- a list\n", "- just", "(top level)", "expected a mapping"),
    (
        "coverage-empty-groups",
        lambda t: _replace_once(t, "groups: [prohibited-practices]", "groups: []"),
        "groups: []",
        "coverage[0].groups",
        "name at least one concept group",
    ),
    (
        "omission-without-note",
        lambda t: _replace_once(
            t, "provisions:\n", "known_omissions:\n  - groups: [transparency]\n    as_of: 2026-11-24\nprovisions:\n"
        ),
        "known_omissions:\n",
        "known_omissions[0].note",
        "required field is missing",
    ),
    (
        "omission-unknown-group",
        lambda t: _replace_once(
            t,
            "provisions:\n",
            "known_omissions:\n  - groups: [transparancy]\n    as_of: 2026-11-24\n    note: x\nprovisions:\n",
        ),
        "groups: [transparancy]",
        "known_omissions[0].groups[0]",
        "transparancy",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "marker", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_with_file_line_field_and_store_unchanged(
    name: str,
    mutate,
    marker: str,
    field: str,
    words: str,
    loaded_store: Path,
    excerpt_text: str,
    tmp_path: Path,
    cli,
) -> None:
    before = _snapshot(loaded_store)
    bad_text = mutate(excerpt_text)
    bad = tmp_path / f"{name}.yaml"
    bad.write_text(bad_text, encoding="utf-8")
    # A marker "A\nB" means the line before B; "A\n" the line after A (where a parser notices).
    first, _, last = marker.partition("\n")
    expected_line = _line_of(bad_text, last) - 1 if last else _line_of(bad_text, first) + marker.count("\n")

    result = cli("ingest", str(bad), "--store", str(loaded_store))

    assert result.code == 2, result.err
    assert f"{bad}:{expected_line}: {field}: " in result.err, result.err
    assert words in result.err
    assert "Traceback" not in result.err
    assert _snapshot(loaded_store) == before


def test_alias_bomb_is_refused_without_expanding(loaded_store: Path, tmp_path: Path, cli) -> None:
    before = _snapshot(loaded_store)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)
    ]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("ingest", str(bomb), "--store", str(loaded_store))
    assert result.code == 2
    assert f"{bomb}:1: (yaml): YAML anchors and aliases are not allowed" in result.err
    assert _snapshot(loaded_store) == before


def test_file_over_the_size_limit_is_refused_unread(
    loaded_store: Path,
    excerpt_text: str,
    tmp_path: Path,
    cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _snapshot(loaded_store)
    monkeypatch.setenv("CROSSWALK_MAX_RULE_FILE_BYTES", "1000")
    big = tmp_path / "big.yaml"
    big.write_text(excerpt_text, encoding="utf-8")
    result = cli("ingest", str(big), "--store", str(loaded_store))
    assert result.code == 2
    assert f"{big}:0: (file): file is {len(excerpt_text.encode())} bytes, over the limit of 1000 bytes" in result.err
    assert _snapshot(loaded_store) == before


def test_every_problem_in_a_file_is_reported_at_once(excerpt_text: str, tmp_path: Path, cli) -> None:
    text = excerpt_text.replace("[SocialScoring]", "[Nope]").replace("level: high", "level: extreme")
    bad = tmp_path / "two.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("validate", str(bad))
    assert result.code == 2
    assert "unknown concept 'Nope'" in result.err and "unknown risk level 'extreme'" in result.err


def test_remote_store_down_is_one_clear_line(excerpt: Path, cli) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cli("ingest", str(excerpt), "--store", f"http://127.0.0.1:{port}/query")
    assert result.code == 1
    assert result.err.strip().startswith(f"error: cannot reach the SPARQL endpoint at http://127.0.0.1:{port}/query")
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("name", "text", "line", "field", "words"),
    [
        ("nul", "format: 1\ninstrument:\n  id: a\x00b\n", 3, "(file)", "character #x0000 is not allowed"),
        ("bell", "format: 1\ntitle: \x07\n", 2, "(file)", "character #x0007 is not allowed"),
        ("deep-flow", "a: " + "[" * 400 + "]" * 400 + "\n", 1, "(yaml)", "nested more than 32 levels deep"),
        (
            "deep-block",
            "a:\n" + "".join("  " * (i + 1) + "b:\n" for i in range(400)) + "  " * 401 + "c\n",
            32,
            "(yaml)",
            "nested more than 32 levels deep",
        ),
        ("anchor", "a: &x 1\nb: 2\n", 1, "(yaml)", "YAML anchors and aliases are not allowed"),
    ],
)
def test_hostile_file_is_file_line_field_exit_2(
    name: str, text: str, line: int, field: str, words: str, loaded_store: Path, tmp_path: Path, cli
) -> None:
    before = _snapshot(loaded_store)
    bad = tmp_path / f"{name}.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("ingest", str(bad), "--store", str(loaded_store))
    assert result.code == 2, result.err
    assert f"{bad}:{line}: {field}: {words}" in result.err
    assert "Traceback" not in result.err
    assert _snapshot(loaded_store) == before


def test_a_folder_with_bad_files_writes_nothing_and_names_every_problem(excerpt_text: str, tmp_path: Path, cli) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    # sorted: a (good) is read before b and d (bad), c (good) between them
    (folder / "a.yaml").write_text(excerpt_text, encoding="utf-8")
    (folder / "b.yaml").write_text(excerpt_text.replace("modality: prohibition", "modality: forbidden"), "utf-8")
    other = excerpt_text.replace("id: test-excerpt", "id: test-other", 1)
    (folder / "c.yaml").write_text(other, encoding="utf-8")
    (folder / "d.yaml").write_text(other.replace("id: test-other", "id: test-fourth", 1) + "\x00", "utf-8")
    store_dir = tmp_path / "store"
    result = cli("ingest", str(folder), "--store", str(store_dir))
    assert result.code == 2, result.err
    assert f"{folder / 'b.yaml'}:" in result.err and "modality: unknown modality 'forbidden'" in result.err
    assert f"{folder / 'd.yaml'}:" in result.err and "character #x0000 is not allowed" in result.err
    assert "2 of 4 rule files have problems; nothing was written" in result.err
    assert "Traceback" not in result.err
    assert _snapshot(store_dir) == set()  # not even the good files, nor the ontology
    # fixed, the same folder goes in whole
    (folder / "b.yaml").write_text(excerpt_text.replace("id: test-excerpt", "id: test-b", 1), "utf-8")
    (folder / "d.yaml").write_text(other.replace("id: test-other", "id: test-fourth", 1), "utf-8")
    result = cli("ingest", str(folder), "--store", str(store_dir))
    assert result.code == 0, result.err
    assert result.out.count("added") == 4
