"""Named queries: `queries/<name>.rq`, each opening with a header the registry reads.

    # name: shared-concepts
    # audience: negotiator
    # title: Concepts two jurisdictions both regulate
    # description: One line on what it answers.
    # param: a jurisdiction  First jurisdiction code, e.g. EU
    # param: at date default=today  Optional parameters carry a default
    # example: crosswalk query shared-concepts -p a=EU -p b=US-CO
    # copy-on: Virtuoso  An engine this query is known to answer wrongly (docs/deploy.md)

Parameters are typed (`jurisdiction`, `jurisdictions`, `concept`, `date`, `iri`, `string`),
converted to RDF terms here, and bound as a VALUES block of serialised terms (decision 0002):
user text never becomes SPARQL text. Queries project their parameters, so each row says what it
was computed for. On an engine named by `copy-on`, the query runs on a verified in-memory copy of
Crosswalk's graphs read from that engine (graph/remote_copy.py, decision 0010), not on the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import XSD, Literal, URIRef

from crosswalk.graph.binding import bind_values
from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import QueryResult, Store, Term
from crosswalk.graph.vocabulary import vocabulary

from .parties import parties

AUDIENCES = ("negotiator", "researcher", "analyst")
PARAM_TYPES = ("jurisdiction", "jurisdictions", "concept", "date", "iri", "string")
_HEADER = re.compile(r"^#\s*([\w-]+):\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None  # `today` for a date means the day the query runs


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str
    audience: tuple[str, ...] = ()  # who asks it: negotiator, researcher, analyst
    # Engines (graph/remote_write.Engine.name) whose SPARQL compiler answers this query wrongly
    # or rejects it (docs/deploy.md): there it runs on a verified copy of our graphs
    copy_on: tuple[str, ...] = ()

    def bind(self, values: dict[str, str]) -> dict[str, Term | list[Term]]:
        """Convert text values to typed terms, refusing unknown or missing parameters."""
        known = {p.name: p for p in self.params}
        for name in values:
            if name not in known:
                raise QueryError(
                    f"query {self.name!r} has no parameter {name!r}; it takes {', '.join(known) or 'none'}"
                )
        missing = [p.name for p in self.params if p.name not in values and p.default is None]
        if missing:
            raise QueryError(f"query {self.name!r} needs parameter(s) {', '.join(missing)} (use -p NAME=VALUE)")
        filled = {p.name: _default(p) for p in self.params if p.default is not None} | values
        return {name: to_term(known[name], value) for name, value in filled.items()}

    def run(self, store: Store, values: dict[str, str] | None = None) -> QueryResult:
        bound = self.bind(values or {})
        engine = getattr(store, "engine", None)  # remote stores only
        if engine is not None and engine.name in self.copy_on:
            store = getattr(store, "verified_copy")()  # noqa: B009 (a remote store's, graph/remote.py)
        text = self.text
        scalars: dict[str, Term] = {}
        for name, term in bound.items():
            if isinstance(term, list):  # one VALUES row per member
                text = bind_values(text, [name], [[t] for t in term])
            else:
                scalars[name] = term
        return store.query(text, scalars)


def _default(param: Param) -> str:
    return date.today().isoformat() if param.type == "date" and param.default == "today" else str(param.default)


def to_term(param: Param, value: str) -> Term | list[Term]:
    """The RDF term (or, for a list type, terms) a text value denotes for a parameter."""
    v = vocabulary()
    if param.type == "jurisdictions":
        codes = [c.strip() for c in value.split(",") if c.strip()]
        if not codes:
            raise QueryError(f"parameter {param.name}: give one or more comma-separated jurisdiction codes")
        try:  # each party once: 1,000 copies of one code made a 1,000-row VALUES block (5.2 s)
            codes = parties(codes)
        except QueryError as exc:
            raise QueryError(f"parameter {param.name}: {exc}") from None
        return [to_term(Param(param.name, "jurisdiction", ""), code) for code in codes]  # type: ignore[misc]
    if param.type == "jurisdiction":
        if value not in v.jurisdictions:
            raise QueryError(f"parameter {param.name}: {v.jurisdictions.hint(value)}")
        return v.jurisdictions.iri(value)
    if param.type == "concept":
        if value not in v.concepts:
            raise QueryError(f"parameter {param.name}: {v.concepts.hint(value)}")
        return v.concepts.iri(value)
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if param.type == "iri":
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
        return URIRef(value)
    return Literal(value)


def parse_query(text: str, origin: str) -> NamedQuery:
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not line.startswith("#"):
            break
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            name, type_, *rest = value.split(maxsplit=2)
            if type_ not in PARAM_TYPES:
                raise QueryError(f"{origin}: parameter {name} has unknown type {type_!r}")
            description = rest[0] if rest else ""
            default = None
            if description.startswith("default="):
                default, _, description = description[len("default=") :].partition(" ")
            params.append(Param(name, type_, description.strip(), default))
        else:
            fields[key] = value
    for required in ("name", "title", "description"):
        if required not in fields:
            raise QueryError(f"{origin}: header lacks '# {required}:'")
    audience = tuple(a.strip() for a in fields.get("audience", "").split(",") if a.strip())
    unknown = set(audience) - set(AUDIENCES)
    if unknown:
        raise QueryError(f"{origin}: unknown audience {', '.join(sorted(unknown))}; use {', '.join(AUDIENCES)}")
    return NamedQuery(
        fields["name"],
        fields["title"],
        fields["description"],
        tuple(params),
        fields.get("example", ""),
        text,
        audience,
        tuple(fields.get("copy-on", "").split(maxsplit=1)[:1]),
    )


def _folder() -> Path:
    return Path(str(resources.files("crosswalk.queries")))


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name (the file stem)."""
    out = {}
    for file in sorted(_folder().glob("*.rq")):
        query = parse_query(file.read_text(encoding="utf-8"), file.name)
        if query.name != file.stem:
            raise QueryError(f"{file.name}: header name {query.name!r} differs from the file name")
        out[query.name] = query
    return out


def get(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]
