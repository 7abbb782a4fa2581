"""`crosswalk compare | baseline | matrix | explain` on a real embedded store of the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_compare_json_is_stable_and_explained(corpus_dir: Path, cli) -> None:
    result = cli("compare", "EU", "US-CO", "--as-of", "2028-01-01", "--format", "json", "--store", str(corpus_dir))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["a"], data["b"], data["as_of"]) == ("EU", "US-CO", "2028-01-01")
    assert set(data["counts"]) == {
        "equivalent",
        "aligned",
        "parallel",
        "divergent",
        "conflict",
        "tension",
        "shared",
        "gap",
        "general-law",
        "not-curated",
        "pending",
    }
    assert 0 <= data["own_index"] <= 1 and data["own_concepts_regulated"] <= data["concepts_regulated"]
    finding = next(f for f in data["findings"] if f["concept"] == "DeployerRecordKeeping")
    assert finding["kind"] == "divergent" and finding["stricter"] == "US-CO"
    assert {p["citation"] for p in finding["a"]} == {"Art. 26(6)"}
    assert all(p["source"].startswith("http") and p["summary"] for p in finding["a"] + finding["b"])


def test_compare_table_and_markdown(corpus_dir: Path, cli) -> None:
    table = cli("compare", "EU", "KR", "--as-of", "2026-11-24", "--store", str(corpus_dir))
    assert table.code == 0 and "EU vs KR at 2026-11-24" in " ".join(table.out.split())
    md = cli("compare", "EU", "KR", "--as-of", "2026-11-24", "-f", "md", "--store", str(corpus_dir))
    assert "| finding | concept | EU | KR |" in md.out
    # the EU declares its prohibited practices curated; Korea has banned election deep fakes
    # since 29 Jan 2024 (Election Act Art. 82-8(1)), the EU has no AI-specific rule on them
    assert "gap:EU:KR:2026-11-24:ElectionDeepfakeRestriction" in md.out


def test_compare_concept_filter_takes_concepts_and_groups(corpus_dir: Path, cli) -> None:
    result = cli(
        "compare",
        "EU",
        "CN",
        "--as-of",
        "2026-11-24",
        "--concept",
        "SyntheticContentLabelling",
        "-f",
        "json",
        "--store",
        str(corpus_dir),
    )
    concepts = {f["concept"] for f in json.loads(result.out)["findings"]}
    assert concepts == {"SyntheticContentLabelling"}
    grouped = cli("compare", "EU", "CN", "--concept", "prohibited-practices", "-f", "json", "--store", str(corpus_dir))
    assert {f["group"] for f in json.loads(grouped.out)["findings"]} == {"prohibited-practices"}


def test_explain_recomputes_a_finding(corpus_dir: Path, cli) -> None:
    fid = "gap:EU:KR:2026-11-24:ElectionDeepfakeRestriction"
    result = cli("explain", fid, "--store", str(corpus_dir))
    assert result.code == 0, result.err
    finding = json.loads(result.out)
    assert finding["id"] == fid and finding["missing_side"] == "a"
    assert any(p["citation"] == "Art. 82-8(1)" for p in finding["b"])


def test_baseline_and_matrix(corpus_dir: Path, cli) -> None:
    base = cli("baseline", "EU", "KR", "CN", "--as-of", "2026-11-24", "-f", "json", "--store", str(corpus_dir))
    data = json.loads(base.out)
    assert "SyntheticContentLabelling" in {e["concept"] for e in data["common"]}
    matrix = cli("matrix", "EU", "US-CO", "KR", "--as-of", "2026-11-24", "-f", "json", "--store", str(corpus_dir))
    pairs = json.loads(matrix.out)["pairs"]
    assert len(pairs) == 3 and all(0 <= p["index"] <= 1 for p in pairs)
    everyone = cli("matrix", "--all", "--store", str(corpus_dir))
    assert everyone.code == 0 and "Interoperability index" in everyone.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["compare", "EU", "XX"], "unknown jurisdiction 'XX'"),
        (["compare", "EU", "KR", "--as-of", "2026-13-01"], "is not a date"),
        (["compare", "EU", "KR", "--format", "pdf"], "unknown format 'pdf'"),
        (["compare", "EU", "KR", "--concept", "Nonsense"], "unknown concept 'Nonsense'"),
        (["baseline", "EU"], "at least two jurisdictions"),
        (["explain", "not-an-id"], "not a finding id"),
    ],
)
def test_bad_analysis_input_exits_2(corpus_dir: Path, cli, args: list[str], words: str) -> None:
    result = cli(*args, "--store", str(corpus_dir))
    assert result.code == 2, (result.out, result.err)
    assert words in result.err


def test_compare_at_80_columns_names_instruments_and_whom_inherited_rows_bind(corpus_dir: Path) -> None:
    """What a negotiator sees in a narrow terminal (a real process, COLUMNS=80): no line wider
    than the terminal, nothing cut off, citations named with their instrument (not the long
    title's bracket), and a federal row under US-CO says it is federal law and whom it binds."""
    import os
    import subprocess

    from .conftest import executable

    exe = executable("crosswalk")
    assert exe
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    run = subprocess.run(
        [exe, "compare", "EU", "US-CO", "--as-of", "2026-12-02", "--store", str(corpus_dir)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    lines = run.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "…" not in run.stdout.replace("crosswalk compare … --format json", "")  # nothing cut off
    text = " ".join(run.stdout.split())  # words a wrap split over two lines, joined again
    # OMB M-25-21 binds federal agencies: under US-CO it is inherited from US, and says so
    assert "US-CO (from US): OMB M-25-21 Sec. 4(b)(iv)" in text
    assert "binds covered agency using AI" in text
    # the instrument's short name, not "Colorado AI Act (C.R.S. 6-1-1701 et seq.) C.R.S. ..."
    assert "US-CO: Colorado AI Act C.R.S. 6-1-1704 (SB 24-205 text)" in text
    assert "et seq.) C.R.S." not in text
