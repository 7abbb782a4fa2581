"""The `crosswalk` command line.

Exit codes: 0 success; 1 findings or a failure (store down, validation found problems in
`validate`); 2 bad input (a malformed rule file, query or option). Errors go to stderr as one
readable line per problem, never a traceback.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crosswalk.graph.errors import CrosswalkError, QueryError, RuleFileError, ShapeError
from crosswalk.graph.store import opened, with_data
from crosswalk.queries.registry import named_queries, parse_query

from .output import FORMATS, render

app = typer.Typer(
    help="Crosswalk: compare AI rules across jurisdictions as a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", envvar="CROSSWALK_STORE", help="Store URL: a directory, oxigraph:DIR, memory: or http(s)://…"
    ),
]


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Rule files or folders; default: the bundled corpus")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Validate rule files and load each into its own named graph (one transaction per file).
    Every file is checked first: if any has a problem, every file's problems are listed and
    nothing is written."""
    # imported here, not at the top: every other command starts without pyshacl, or rich's
    # progress bar and live display (issue 18)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files

    files = list(rule_files(paths or [bundled_corpus()]))
    if not files:
        raise QueryError("no rule files found in the given paths")
    with (
        opened(store) as db,
        Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("check", total=2 * len(files))  # check every file, then write
        reports = ingest_all(
            db,
            files,
            on_done=lambda r: progress.update(task, advance=1, description=f"write {r.file.name}"),
            on_checked=lambda f: progress.update(task, advance=1, description=f"check {f.name}"),
        )
        # the matrix's reads of the new version, kept beside the store for the next command
        # (queries/matrix_read.py): the writer pays them once, not the first `crosswalk matrix`
        from crosswalk.queries import matrix_read

        matrix_read.keep(db)
    table = Table("file", "instrument", "outcome", "provisions", "triples", "seconds", header_style="bold")
    for r in reports:
        table.add_row(
            r.file.name,
            r.instrument,
            r.outcome,
            str(r.provisions),
            str(r.triples if r.triples is not None else "-"),
            f"{r.seconds:.2f}",
        )
    out.print(table)
    if reports and reports[0].system_reloaded:
        out.print("system graphs (ontology, reference data, alignments): loaded, as they were missing or out of date")
    out.print(f"store: {db.url}")


@app.command()
def validate(paths: Annotated[list[Path], typer.Argument(help="Rule files or folders to check")]) -> None:
    """Check rule files (schema, vocabulary, dates, SHACL) without writing anything."""
    from crosswalk.graph.ingest import prepare, rule_files

    bad = 0
    for file in rule_files(paths):
        try:
            rules, graph = prepare(file)
        except (RuleFileError, ShapeError) as exc:
            bad += 1
            err.print(exc.details(), markup=False, highlight=False)
            continue
        out.print(f"ok  {file}  ({len(rules.provisions)} provisions, {len(graph)} triples)", highlight=False)
    if bad:
        raise typer.Exit(2)


@app.command()
def query(
    query_or_file: Annotated[str, typer.Argument(help="A named query, a .rq file, or SPARQL text")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a named query")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
    store: StoreOption = None,
) -> None:
    """Run a named query (see `crosswalk queries`), a query file, or SPARQL text."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    values = dict(_pair(p) for p in param or [])
    queries = named_queries()
    if query_or_file in queries:
        named = queries[query_or_file]
    elif _looks_like_a_file(query_or_file):
        text = _read_query_file(Path(query_or_file))
        if not text.lstrip().startswith("# name:"):  # a plain query file: give it a minimal header
            text = f"# name: file\n# title: file\n# description: file\n{text}"
        named = parse_query(text, query_or_file)
    elif re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*(\.rq)?", query_or_file):
        # one bare word is a query's name (or a file) misspelt, never SPARQL text
        close = difflib.get_close_matches(query_or_file.removesuffix(".rq"), list(queries), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `crosswalk queries` lists them"
        raise QueryError(f"no named query or query file {query_or_file!r}{hint}")
    else:
        named = parse_query(f"# name: text\n# title: text\n# description: text\n{query_or_file}", "query text")
    with with_data(store) as db:
        render(named.run(db, values), fmt, out, hide=frozenset(p.name for p in named.params))


def _looks_like_a_file(arg: str) -> bool:
    """A query file, not SPARQL text: one word naming a file, or ending in .rq or .sparql (a
    missing `x.rq` is a missing file, never a query)."""
    if any(c.isspace() for c in arg) or "{" in arg:
        return False
    return arg.endswith((".rq", ".sparql")) or Path(arg).is_file()


def _read_query_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QueryError(f"no query file {str(path)!r}") from None
    except OSError as exc:
        raise QueryError(f"cannot read query file {str(path)!r}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the query as UTF-8"
        ) from None


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise QueryError(f"--param expects NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


@app.command("queries")
def list_queries() -> None:
    """List the named queries with their parameters."""
    table = Table("name", "title", "parameters", "example", header_style="bold")
    table.columns[0].no_wrap = True  # a name is what one types: never broken across lines
    for q in named_queries().values():
        table.add_row(q.name, q.title, ", ".join(f"{p.name} ({p.type})" for p in q.params), q.example)
    out.print(table)


@app.command("cookbook-page")
def cookbook_page(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout")] = None,
) -> None:
    """Generate the SPARQL cookbook (docs/cookbook.md) from queries/cookbook/."""
    from crosswalk.queries.cookbook import render as render_cookbook

    _write_page(render_cookbook(), output)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, nq, trig or jsonld")] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout")] = None,
    store: StoreOption = None,
) -> None:
    """Write every graph in the store as RDF (graph names kept in nq and trig)."""
    from crosswalk.graph.export import export as export_store

    with opened(store) as db:
        data, count = export_store(db, fmt)
    if output:
        output.write_bytes(data)
        err.print(f"wrote {count} quads to {output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
def stats(store: StoreOption = None) -> None:
    """Counts of instruments, jurisdictions, provisions and triples in the store."""
    from crosswalk.queries.stats import collect

    with opened(store) as db:
        figures = collect(db)
    table = Table("jurisdiction", "instruments", "provisions", header_style="bold")
    for row in figures.per_jurisdiction:
        table.add_row(*(str(x) for x in row))
    out.print(table)
    out.print(
        f"{figures.instruments} instruments, {figures.jurisdictions} jurisdictions, "
        f"{figures.provisions} provisions, {figures.triples} triples in {figures.graphs} graphs ({db.url})"
    )


@app.command("corpus-page")
def corpus_page(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout")] = None,
) -> None:
    """Generate the corpus overview page (docs/corpus.md) from the bundled rule files."""
    from crosswalk.graph.corpus_page import render as render_page

    _write_page(render_page(), output)


@app.command("ontology-page")
def ontology_page(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout")] = None,
) -> None:
    """Generate the ontology's documentation (api/static/ontology.html, served at /ontology) with
    pyLODE from ontology/crosswalk.ttl: classes, properties with domain and range, definitions."""
    try:
        from pylode import OntPub  # a test dependency: the page is generated, checked in and shipped
    except ImportError:
        raise QueryError("ontology-page needs pyLODE: pip install pylode==3.2.1") from None
    from crosswalk.ontology import path as ontology_path

    _write_page(OntPub(ontology=str(ontology_path("crosswalk.ttl"))).make_html(), output)


def _write_page(text: str, output: Path | None) -> None:
    """A generated docs page to its file (checked in, held current by a test), or to stdout."""
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    store: StoreOption = None,
) -> None:
    """Serve the REST API and the read-only SPARQL endpoint (ingests the corpus if the store is empty)."""
    import uvicorn

    from .app import create_app
    from .settings import load_settings

    settings = load_settings() if store is None else load_settings(store=store)
    # a store that cannot be opened (locked, not a store), is unreachable or empty: one line, not a traceback
    _ready_to_serve(settings)
    # no access log: at "warning" it prints nothing, but uvicorn would still build its arguments per request
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)


def _ready_to_serve(settings: object) -> None:
    """Before the server starts: reach the store and have data in it, or say why not in one line
    (exit 1) instead of a server that starts with a traceback or answers every page empty."""
    from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
    from crosswalk.graph.store import HAS_DATA, default_store_url

    url = getattr(settings, "store", None) or default_store_url()
    if url == "memory:":
        return  # nothing to reach; the server ingests into its own memory
    with opened(url) as db:
        if db.query(HAS_DATA) is True:
            return
        if not getattr(settings, "ingest_if_empty", True):
            # the operator asked for the store as it is (a SPARQL endpoint over other data, say):
            # say once that no corpus is there, and serve it
            err.print(
                f"note: store holds no instrument ({url}) and CROSSWALK_INGEST_IF_EMPTY is off: "
                "the analysis pages will be empty until `crosswalk ingest`",
                markup=False,
                highlight=False,
            )
            return
        err.print(f"store is empty ({url}): ingesting the bundled corpus", markup=False, highlight=False)
        ingest_all(db, rule_files([bundled_corpus()]))


@app.command()
def reason(
    store: StoreOption = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="An RDF export (nq, trig, ttl, nt, jsonld) instead of the store")
    ] = None,
    ontology_only: Annotated[
        bool, typer.Option("--ontology-only", help="Check the ontology alone, no instances")
    ] = False,
) -> None:
    """Run the HermiT reasoner (needs Java) over the ontology and the store's data (or an export):
    consistent, no unsatisfiable class, no individual inferred into a class it was not given;
    then the tier definitions ingestion copied into the instrument graphs, for consistency with
    the same data."""
    from rdflib import Graph

    from crosswalk.graph import instances
    from crosswalk.ontology import local_name
    from crosswalk.ontology.reasoner import check_ontology
    from crosswalk.queries.assess.hermit import tiers_consistent

    if ontology_only:
        extra, tiers = Graph(), Graph()
    elif data is not None:
        extra, tiers = instances.split(instances.file_graph(data))
    else:
        with with_data(store) as db:
            extra, tiers = instances.split(instances.store_graph(db))
    result = check_ontology(extra)
    out.print(
        f"consistent: {result.consistent}; classes: {result.classes}; unsatisfiable: {result.unsatisfiable or 'none'}"
    )
    out.print(f"individuals: {result.individuals} ({result.instance_triples} instance triples)")
    if result.consistent:
        out.print(f"surprising inferred types: {'none' if not result.surprises else len(result.surprises)}")
    for line in result.clashes:
        out.print(f"  {line}", highlight=False, soft_wrap=True)
    for s in result.surprises:
        given = ", ".join(local_name(a) for a in s.asserted)
        out.print(
            f"  {s.count} x {given} inferred as {local_name(s.inferred)} (e.g. {s.example})",
            highlight=False,
            soft_wrap=True,
        )
    tiers_ok = True
    if len(tiers):
        tiers_ok = tiers_consistent(tiers, extra)
        out.print(f"tier definitions in the instrument graphs: {len(tiers)} triples; consistent: {tiers_ok}")
    if not result.consistent or result.unsatisfiable or result.surprises or not tiers_ok:
        raise typer.Exit(1)


# The commands each module of the command line adds to `app` (its `register`). A command imports
# only its own module: `crosswalk compare` used to import the assessment, report and browsing
# commands' machinery as well, about 50 ms of its 0.5 s of CPU (issue 18). `crosswalk --help`, a
# command of this module and an unknown name register them all, so help and "did you mean" list
# every command. tests/test_imports.py checks this table against what each module registers.
COMMANDS: dict[str, tuple[str, ...]] = {
    "analysis_cli": ("compare", "baseline", "matrix", "diff", "findings", "explain"),
    "assess_cli": ("tiers", "assess"),
    "browse_cli": ("concept", "jurisdictions", "groups", "concepts"),
    "report_cli": ("report",),
}
_registered: set[str] = set()


def _own_commands() -> set[str]:
    """The commands this module defines itself (typer names a command after its function)."""
    return {c.name or c.callback.__name__.lower().replace("_", "-") for c in app.registered_commands if c.callback}


def register(command: str | None = None) -> None:
    """Add to `app` the module that holds `command`; nothing for a command of this module; every
    module for None (help) or a name nobody holds (so "did you mean" sees them all). Each module
    once per process."""
    import importlib

    if command in _own_commands() - {c for names in COMMANDS.values() for c in names}:
        return
    modules = [m for m, names in COMMANDS.items() if command in names] or list(COMMANDS)
    for name in modules:
        if name not in _registered:
            importlib.import_module(f"{__package__}.{name}").register(app)
            _registered.add(name)


def main() -> None:
    """Entry point: run the app, mapping Crosswalk errors to readable lines and an exit code."""
    # the first argument names the command (the app has no options of its own but --help)
    register(sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        app()
    except CrosswalkError as exc:
        text = exc.details() if isinstance(exc, (RuleFileError, ShapeError)) else str(exc)
        err.print(f"error: {text}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
