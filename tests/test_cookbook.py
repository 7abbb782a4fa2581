"""The SPARQL cookbook (issue 14): every recipe runs as it stands against the corpus, through the
real endpoint as the editor sends it, and returns rows; the page in docs/ is current."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from crosswalk.graph.store import Rows, Store
from crosswalk.queries.cookbook import recipes, render

RECIPES = recipes()


def test_at_least_twelve_recipes() -> None:
    assert len(RECIPES) >= 12
    assert len({r.title for r in RECIPES}) == len(RECIPES)


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_returns_rows(corpus: Store, recipe) -> None:  # type: ignore[no-untyped-def]
    rows = corpus.query(recipe.text)
    assert isinstance(rows, Rows) and rows.rows, recipe.name


def test_a_recipe_answers_what_it_says(corpus: Store) -> None:
    # the EU's compute threshold is 10^25 FLOP (AI Act Art. 51(2)), California's 10^26 (SB 53)
    thresholds = next(r for r in RECIPES if r.name == "10-compute-thresholds")
    rows = corpus.query(thresholds.text)
    assert isinstance(rows, Rows)
    found = {(str(r["jurisdiction"]), float(str(r["quantity"]))) for r in rows.dicts()}
    assert ("EU", 1e25) in found and ("US-CA", 1e26) in found
    # the concept-with-narrower recipe (skos:broader*) brings more than the concept itself: the
    # deep-fake and AI-generated-text disclosures under synthetic-content labelling
    narrower = next(r for r in RECIPES if r.name == "04-concept-and-narrower")
    labels = {str(r["concept"]) for r in corpus.query(narrower.text).dicts()}  # type: ignore[union-attr]
    assert {"Labelling of synthetic content", "Deep fake disclosure"} <= labels and len(labels) >= 3
    provenance = next(r for r in RECIPES if r.name == "05-provenance")
    row = next(iter(corpus.query(provenance.text).dicts()))  # type: ignore[union-attr]
    assert str(row["method"]) == "official-text"


def test_the_editor_offers_the_recipes_and_the_endpoint_runs_them(server: str) -> None:
    page = httpx.get(f"{server}/sparql", headers={"Accept": "text/html"})
    assert all(r.title in page.text for r in RECIPES)
    answer = httpx.post(
        f"{server}/sparql", data={"query": RECIPES[0].text}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200 and answer.json()["results"]["bindings"]


def test_the_cookbook_page_is_current() -> None:
    page = Path(__file__).parent.parent / "docs" / "cookbook.md"
    assert page.read_text(encoding="utf-8") == render(), "run: crosswalk cookbook-page -o docs/cookbook.md"
