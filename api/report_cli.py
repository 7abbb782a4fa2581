"""`crosswalk report`: a harmonization report for two or more parties, written as HTML, PDF,
Markdown or JSON (docs/reports.md)."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import with_data
from crosswalk.queries.parties import parties
from crosswalk.queries.report import build_report, check_request

from .analysis_cli import AsOf, StoreOption, _date
from .report_render import FORMATS, check_format, render

err = Console(stderr=True, soft_wrap=True)


def _groups(values: list[str] | None) -> list[str] | None:
    """`--concepts a --concepts b` and `--concepts a,b` both work."""
    groups = [g.strip() for v in values or [] for g in v.split(",") if g.strip()]
    return groups or None


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        jurisdictions: Annotated[list[str], typer.Argument(help="Two or more jurisdiction codes, e.g. EU US-CO KR")],
        as_of: AsOf = None,
        concepts: Annotated[
            list[str] | None,
            typer.Option("--concepts", help="Concept-group key(s) to cover, repeated or comma-separated; default all"),
        ] = None,
        changes_to: Annotated[
            str | None,
            typer.Option(
                "--changes-to",
                metavar="YYYY-MM-DD",
                help="Also say what changes for each pair between the report's date and this later one",
            ),
        ] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help=" | ".join(FORMATS))] = "html",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout")] = None,
        store: StoreOption = None,
    ) -> None:
        """A harmonization report: agreements, divergences, gaps and conflicts, every claim cited."""
        check_format(fmt)
        if output is None and fmt == "pdf" and sys.stdout.isatty():
            raise QueryError("a PDF is not for the terminal: give -o FILE.pdf (or redirect stdout)")
        started = time.perf_counter()
        # bad input is said as such before any store is opened (an empty store is another error)
        when, groups = _date(as_of), _groups(concepts)
        until = _date(changes_to) if changes_to else None
        if until is not None and until <= (when or date.today()):
            raise QueryError(f"--changes-to {until} must be after the report's date ({when or date.today()})")
        jurisdictions = check_request(parties(jurisdictions), groups)
        with with_data(store) as db:
            report = build_report(db, jurisdictions, when, groups, changes_to=until)
        body = render(report, fmt)
        if output is None:
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
            return
        output.write_bytes(body)
        err.print(
            f"wrote {output} ({fmt}, {len(body):,} bytes) in {time.perf_counter() - started:.1f} s; "
            f"data version {report['data_version'][:12]}",
            highlight=False,
        )
