"""docs/corpus.md is generated from the rule files and must be current."""

from __future__ import annotations

from pathlib import Path

from crosswalk.graph.corpus_page import render

PAGE = Path(__file__).parent.parent / "docs" / "corpus.md"


def test_checked_in_corpus_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/corpus.md is stale: run `crosswalk corpus-page -o docs/corpus.md`"
    )


def test_page_lists_every_instrument_with_status_and_source() -> None:
    page = render()
    assert "| EU (European Union) | EU AI Act | regulation | yes | in-force |" in page
    assert "<https://eur-lex.europa.eu/eli/reg/2024/1689/oj>" in page
