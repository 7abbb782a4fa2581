"""The SPARQL cookbook: recipes a researcher runs as they stand (`queries/cookbook/*.rq`, each
with its parameters written in), shown in `docs/cookbook.md` and as the query editor's
examples. Every recipe is run against the corpus by the tests, so none returns nothing.

>>> [r.name for r in recipes()][:2]
['01-prohibitions-in-force', '02-fine-ceilings']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "cookbook"


@dataclass(frozen=True)
class Recipe:
    name: str
    title: str
    description: str
    text: str


def _header(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    raise ValueError(f"a cookbook recipe needs a '# {key}:' line")


@cache
def recipes() -> tuple[Recipe, ...]:
    out = []
    for path in sorted(FOLDER.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append(Recipe(path.stem, _header(text, "title"), _header(text, "description"), text))
    return tuple(out)


def render() -> str:
    """docs/cookbook.md, generated from the recipes (`crosswalk cookbook-page`)."""
    lines = [
        "# SPARQL cookbook",
        "",
        "Generated from `queries/cookbook/` by `crosswalk cookbook-page -o docs/cookbook.md`; do not edit",
        "by hand. Each recipe runs as it stands against the bundled corpus (`crosswalk query FILE`, the",
        "`/sparql` endpoint, or the editor at `/sparql`, where they are the examples); the tests run",
        "every one and require rows. Parameters (dates, jurisdictions, concepts) are written in: edit",
        "them in place.",
        "",
        "Two facts about the data model make most recipes short: every provision is typed both",
        "`xw:Provision` and its modality class (`xw:Obligation`, `xw:Prohibition`, `xw:Permission`,",
        "`xw:Right`), and each instrument's roles are OWL classes under the common roles",
        "(`rdfs:subClassOf xw:Deployer`…), so `?role rdfs:subClassOf xw:Deployer` finds every",
        "regime's deployers.",
        "",
    ]
    for r in recipes():
        lines += [f"## {r.title}", "", r.description, "", "```sparql"]
        lines += [line for line in r.text.rstrip().splitlines() if not line.startswith(("# title:", "# description:"))]
        lines += ["```", "", f"File: `queries/cookbook/{r.name}.rq`", ""]
    lines += [
        "## Findings as data",
        "",
        "`crosswalk findings --materialize [--as-of DATE] [CODES…]` computes every pair's findings and",
        "writes them into the graph `https://w3id.org/crosswalk/graph/findings` (stamped with the data",
        "version it describes; run it again after an ingest). Each `xw:Finding` has its kind, concept,",
        "parties, date, STRM scope relation (`xw:StrmSubsetOf`…), stricter party, reasons and",
        "`prov:wasDerivedFrom` its provisions. Every equivalence involving Korea is then one query",
        "(tested in `tests/test_findings_graph.py`):",
        "",
        "```sparql",
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#>",
        "PREFIX j: <https://w3id.org/crosswalk/id/jurisdiction/>",
        "SELECT ?other ?concept WHERE {",
        "  GRAPH <https://w3id.org/crosswalk/graph/findings> {",
        '    ?f a xw:Finding ; xw:findingKind "equivalent" ; xw:findingConcept ?concept ;',
        "       xw:partyA|xw:partyB j:KR ; xw:partyA|xw:partyB ?other FILTER(?other != j:KR)",
        "  }",
        "}",
        "```",
        "",
    ]
    return "\n".join(lines)


__all__ = ["Recipe", "recipes", "render"]
