"""Rendering query results for the terminal (rich tables) and for scripts (JSON, CSV)."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rich.console import Console
from rich.table import Table

from crosswalk.graph.store import QueryResult, Rows
from crosswalk.ontology import PREFIXES

from .sparql_results import to_csv

FORMATS = ("table", "json", "csv")


def plain(term: Any) -> Any:
    """A JSON-friendly value: IRIs as strings, literals as their Python value where lossless."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (bool, int, float, str)):
            return value
        return str(term)
    return str(term)


def short(term: Any) -> str:
    """A compact label for a table cell: prefixed IRIs, bare literal text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, base in PREFIXES.items():
            if text.startswith(base):
                return f"{prefix}:{text[len(base) :]}"
        return text
    return str(term)


def render(result: QueryResult, fmt: str, console: Console, hide: frozenset[str] = frozenset()) -> None:
    """Print a result; `hide` drops constant columns (bound parameters) from tables only."""
    if isinstance(result, bool):
        console.print_json(json.dumps({"boolean": result})) if fmt == "json" else console.print(str(result).lower())
        return
    if isinstance(result, Graph):
        console.out(result.serialize(format="json-ld" if fmt == "json" else "turtle"), highlight=False)
        return
    if fmt == "json":
        console.out(to_json(result), highlight=False)
    elif fmt == "csv":
        console.out(to_csv(result), highlight=False, end="")
    else:
        keep = [i for i, name in enumerate(result.vars) if name not in hide]
        table = Table(show_lines=False, header_style="bold")
        for i in keep:
            table.add_column(result.vars[i], overflow="fold")
        for row in result.rows:
            table.add_row(*(short(row[i]) for i in keep))
        console.print(table)
        console.print(f"[dim]{len(result.rows)} row(s)[/dim]")


def to_json(result: Rows) -> str:
    return json.dumps(
        {"vars": result.vars, "rows": [{k: plain(v) for k, v in row.items()} for row in result.dicts()]},
        indent=2,
        ensure_ascii=False,
    )
