"""Commands that answer "who, where, since when" in one step (issue 14): `concept` (who
regulates X), and the listings a user needs to type the rest: `jurisdictions`, `groups`,
`concepts [GROUP]`. Blocks of text rather than wide tables, so they read at 80 columns."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rdflib import RDFS
from rdflib.namespace import SKOS
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import with_data
from crosswalk.graph.vocabulary import lineage, vocabulary
from crosswalk.ontology import reference_graph
from crosswalk.queries.compare import context
from crosswalk.queries.findings import Provision
from crosswalk.queries.rules import named
from crosswalk.queries.who import ConceptView, who_regulates

from .analysis_cli import AsOf, StoreOption, _date

out = Console()

STATES = {
    "rules": "has its own rules",
    "inherited": "bound by the rules of a jurisdiction it is part of",
    "pending only": "has rules adopted or proposed, not yet applying",
    "no rule": "no rule (its curation of this group is declared complete)",
    "not curated": "not curated (absence proves nothing)",
}


def _line(p: Provision) -> str:
    force = "binding" if p.binding else "voluntary"
    when = f"applies from {p.applies_from}" if p.applies_from else "no application date"
    why = f"; {p.why_pending}" if p.why_pending else ""
    return f"{p.modality}, {force}, {when}{why}: {named(p)} ({p.provenance()})"


def render_concept(view: ConceptView, fmt: str) -> None:
    if fmt == "json":
        out.out(json.dumps(view.to_dict(), indent=2, ensure_ascii=False), highlight=False)
        return
    wider = f" (with its narrower concepts {', '.join(view.narrower)})" if view.narrower else ""
    out.print(f"[bold]{escape(view.concept_label)}[/bold]{escape(wider)}, group {view.group}, at {view.as_of}")
    for state in ("rules", "inherited", "pending only"):
        for h in view.of(state):
            out.print("")
            out.print(f"[bold]{escape(h.label)} ({h.code})[/bold]: {STATES[state]}")
            for p in (*h.in_force, *h.inherited, *h.pending):
                out.print(f"  - {escape(_line(p))}", highlight=False)
                for c in p.caveats:
                    out.print(f"    caveat: {escape(c.text())}", highlight=False)
    for state in ("no rule", "not curated"):
        codes = [h.code for h in view.of(state)]
        if codes:
            out.print("")
            out.print(f"[bold]{STATES[state].capitalize()}[/bold]: {', '.join(codes)}")


def register(app: typer.Typer) -> None:
    @app.command("concept")
    def concept_cmd(
        key: Annotated[str, typer.Argument(help="A concept key, e.g. SocialScoring (see `crosswalk concepts`)")],
        as_of: AsOf = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
        store: StoreOption = None,
    ) -> None:
        """Who regulates a concept: every jurisdiction's provisions on it at a date."""
        if fmt not in ("table", "json"):
            raise QueryError(f"unknown format {fmt!r}; use table or json")
        with with_data(store) as db:
            view = who_regulates(db, key, _date(as_of) or date.today())
        render_concept(view, fmt)

    @app.command("jurisdictions")
    def jurisdictions_cmd() -> None:
        """The jurisdiction codes, with their names and what they are part of."""
        v, graph = vocabulary(), reference_graph()
        table = Table("code", "name", "part of", header_style="bold")
        table.columns[0].no_wrap = True
        for code, iri in sorted(v.jurisdictions.members.items()):
            parents = [str(p).rsplit("/", 1)[-1] for p in lineage(iri)[1:]]
            table.add_row(code, str(graph.value(iri, RDFS.label) or code), ", ".join(parents))
        out.print(table)

    @app.command("groups")
    def groups_cmd() -> None:
        """The concept groups, with the number of concepts in each."""
        ctx = context()
        graph = reference_graph()
        table = Table("group", "label", "concepts", header_style="bold")
        table.columns[0].no_wrap = True
        for key, iri in sorted(vocabulary().concept_groups.members.items()):
            n = sum(1 for g in ctx.concept_group.values() if g == key)
            table.add_row(key, str(graph.value(iri, SKOS.prefLabel) or key), str(n))
        out.print(table)

    @app.command("concepts")
    def concepts_cmd(
        group: Annotated[str | None, typer.Argument(help="A group key (see `crosswalk groups`); default all")] = None,
    ) -> None:
        """The concept keys, with their labels and groups."""
        ctx = context()
        v = vocabulary()
        if group is not None and group not in v.concept_groups:
            raise QueryError(v.concept_groups.hint(group))
        # one group asked for: its name is in the title, not on every row
        columns = ("concept", "label") if group else ("concept", "label", "group")
        table = Table(*columns, header_style="bold", title=f"concepts of {group}" if group else None)
        table.columns[0].no_wrap = True
        for name in sorted(v.concepts.members):
            if group is None or ctx.concept_group.get(name) == group:
                row = (name, ctx.concept_label.get(name, name), ctx.concept_group.get(name, ""))
                table.add_row(*row[: len(columns)])
        out.print(table)
