"""`crosswalk compare | baseline | matrix | explain`: the analysis on the command line.

Tables for people (rich), stable JSON for scripts (`Comparison.to_dict()` and friends), and
Markdown for pasting into a note.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import with_data
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries.compare import baseline, canonical_codes, compare, explain, matrix
from crosswalk.queries.findings import SOFT_MODALITY, Comparison, Finding, modality_words, provenance_line
from crosswalk.queries.parties import parties

StoreOption = Annotated[str | None, typer.Option("--store", envvar="CROSSWALK_STORE", help="Store URL")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Date the comparison holds at (YYYY-MM-DD); default today")]
Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or md")]
out = Console()


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _format(fmt: str) -> str:
    if fmt not in ("table", "json", "md"):
        raise QueryError(f"unknown format {fmt!r}; use table, json or md")
    return fmt


def _cites(f: Finding, side: str) -> str:
    # a dagger marks a provision under a caveat; the caveats are listed under the table
    return (
        "; ".join(
            f"{p.citation}{' †' if p.caveats else ''} ({modality_words(p.modality, p.binding)})"
            for p in (f.a if side == "a" else f.b)
        )
        or "—"
    )


def _trust_lines(c: Comparison) -> list[str]:
    """The per-party provenance lines and, once each, the caveats on provisions shown."""
    lines = [provenance_line(code, counts) for code, counts in c.provenance().items()]
    seen: dict[str, str] = {}
    for f in c.findings:
        for code, side in ((c.a, f.a), (c.b, f.b)):
            for p in side:
                for cav in p.caveats:
                    seen.setdefault(f"{cav.by}|{cav.start}", f"† {code} {p.instrument_title}: {cav.text()}")
    return lines + list(seen.values())


def _side_name(c: Comparison, side: str | None) -> str:
    return {"a": c.a, "b": c.b}.get(side or "", side or "")


# Below this width a table of seven columns breaks every cell into fragments: each finding is
# printed as a block instead, its verdict and reasons on lines of their own.
WIDE = 120


def render_comparison(c: Comparison, fmt: str, every: bool = False) -> None:
    """Print a comparison; tables list not-curated and pending concepts in one line each unless `every`."""
    if fmt == "json":
        out.out(json.dumps(c.to_dict(), indent=2, ensure_ascii=False), highlight=False)
        return
    counts = ", ".join(f"{n} {k}" for k, n in c.counts().items())
    head = (
        f"{c.a} vs {c.b} at {c.as_of}: index {c.index:.2f} over {c.concepts_regulated} concepts "
        f"(own law only {c.own_index:.2f} over {c.own_concepts_regulated}); {counts}"
    )
    rows = [
        (
            f.kind,
            f.concept_label,
            _cites(f, "a"),
            _cites(f, "b"),
            f.relation or "",
            (_side_name(c, f.stricter) + (f" ({f.stricter_note})" if f.stricter_note else ""))
            or (f.conflict or "")
            or (f"missing in {_side_name(c, f.missing_side)}" if f.missing_side else ""),
            "; ".join(f.reasons),
            f.id,
        )
        for f in c.findings
        if every or f.kind not in ("not-curated", "pending")
    ]
    folded = [
        f"{kind}: " + ", ".join(f.concept_label for f in c.of(kind))
        for kind in ("not-curated", "pending")
        if c.of(kind) and not every
    ]
    columns = ("finding", "concept", c.a, c.b, "scope", "stricter / note", "why", "id")
    trust = _trust_lines(c)
    if fmt == "md":
        out.out(f"**{head}**\n", highlight=False)
        out.out("| " + " | ".join(columns) + " |\n|" + " --- |" * len(columns), highlight=False)
        for row in rows:
            out.out("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |", highlight=False)
        for line in folded:
            out.out(f"\n{line}", highlight=False)
        out.out("", highlight=False)
        for line in trust:
            out.out(f"- {line}", highlight=False)
        return
    if out.width < WIDE:
        _blocks(c, head, [f for f in c.findings if every or f.kind not in ("not-curated", "pending")])
        trust = [line for line in trust if not line.startswith("† ")]  # blocks show caveats inline
    else:
        table = Table(*columns[:-1], title=head, header_style="bold", show_lines=False)
        for row in rows:
            table.add_row(*row[:-1])
        out.print(table)
    for line in folded:
        out.print(line, highlight=False)
    for line in trust:
        out.print(line, highlight=False, markup=False)
    out.print("[dim]Finding ids: crosswalk compare … --format json; details: crosswalk explain ID[/dim]")


def _blocks(c: Comparison, head: str, findings: list[Finding]) -> None:
    """Findings one after another, for narrow terminals: the verdict line, each side's
    provisions named with their instrument and date, then the reasons. Printed at once: a
    comparison is some 500 lines, and a `print` each was a fifth of `crosswalk compare`'s time."""
    from rich.markup import escape

    lines: list[tuple[str, bool]] = []  # (markup, highlighted)
    # wrapped here, keeping each count with its kind ("0 shared", never "0" at a line's end and
    # "shared" on the next): rich wraps at any space
    counts = head.rsplit("; ", 1)
    kept = counts[0] + "; " + counts[1].replace(" ", "\u00a0").replace(",\u00a0", ", ") if len(counts) == 2 else head
    for line in textwrap.wrap(kept, max(out.width, 40)):
        lines.append((f"[bold]{escape(line.replace(chr(0xA0), ' '))}[/bold]", True))
    for f in findings:
        verdict = [f"[bold]{f.kind}[/bold]", escape(f.concept_label)]
        if f.relation:
            verdict.append(f"scope {f.relation}")
        if f.stricter:
            verdict.append(
                f"stricter: {escape(f.stricter)}" + (f" ({escape(f.stricter_note)})" if f.stricter_note else "")
            )
        if f.conflict:
            verdict.append(escape(f.conflict))
        if f.missing_side:
            verdict.append(f"none in force in {_side_name(c, f.missing_side)}")
        if f.institutional:
            verdict.append("institutional, outside the index")
        lines.append(("", True))
        lines.append((" · ".join(verdict), True))
        for code, side in ((c.a, f.a), (c.b, f.b)):
            for p in side:
                when = f", applies from {p.applies_from}" if p.applies_from else ""
                soft = "" if p.binding or p.modality in SOFT_MODALITY else ", voluntary"
                # an inherited row says whose law it is and whom it binds (a federal memo binds
                # federal agencies, not Colorado's deployers)
                who = code if p.jurisdiction == code else f"{code} (from {p.jurisdiction})"
                binds = f", binds {', '.join(sorted(p.bearers))}" if p.jurisdiction != code and p.bearers else ""
                modality = modality_words(p.modality, p.binding)
                lines.append((f"  {escape(who)}: {escape(p.named())} ({modality}{soft}{when}{escape(binds)})", True))
                lines.append((f"    [dim]{escape(p.provenance())}[/dim]", True))
                for cav in p.caveats:
                    lines.append((f"    caveat: {escape(cav.text())}", False))
        for reason in f.reasons:
            lines.append((f"  - {escape(reason)}", False))
    # highlighting only colours: with no colours to write (a pipe, a file) it would change nothing
    # and cost a fifth of printing (regular expressions over every line)
    colours = out.color_system is not None
    out.print(*(out.render_str(text, highlight=highlight and colours) for text, highlight in lines), sep="\n")


def register(app: typer.Typer) -> None:
    @app.command("compare")
    def compare_cmd(
        a: Annotated[str, typer.Argument(help="First jurisdiction code, e.g. EU")],
        b: Annotated[str, typer.Argument(help="Second jurisdiction code, e.g. US-CO")],
        as_of: AsOf = None,
        concept: Annotated[list[str] | None, typer.Option("--concept", help="Concept or concept-group key")] = None,
        fmt: Fmt = "table",
        every: Annotated[bool, typer.Option("--every", help="List not-curated and pending findings in full")] = False,
        store: StoreOption = None,
    ) -> None:
        """Equivalences, divergences, gaps and conflicts between two jurisdictions at a date."""
        fmt = _format(fmt)
        when = _date(as_of)
        codes = parties([a, b], at_least=2, what="compare")  # bad input is said before any store is opened
        with with_data(store) as db:
            result = compare(db, codes, when, concept)
        render_comparison(result, fmt, every)

    @app.command("baseline")
    def baseline_cmd(
        jurisdictions: Annotated[list[str], typer.Argument(help="Two or more jurisdiction codes")],
        as_of: AsOf = None,
        fmt: Fmt = "table",
        store: StoreOption = None,
    ) -> None:
        """The common baseline: concepts every jurisdiction regulates, with their provisions."""
        fmt = _format(fmt)
        jurisdictions = parties(jurisdictions, at_least=2, what="a baseline")
        with with_data(store) as db:
            result = baseline(db, jurisdictions, _date(as_of))
        if fmt == "json":
            out.out(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), highlight=False)
            return
        table = Table(
            "concept",
            "group",
            "protects",
            *jurisdictions,
            header_style="bold",
            title=f"Common baseline of {', '.join(jurisdictions)} at {result.as_of}",
        )
        for e in result.common:
            table.add_row(
                e.concept_label,
                e.group,
                ", ".join(e.protects),
                *("; ".join(p.citation for p in e.provisions[j]) for j in jurisdictions),
            )
        out.print(table)

    @app.command("matrix")
    def matrix_cmd(
        jurisdictions: Annotated[list[str] | None, typer.Argument(help="Jurisdiction codes")] = None,
        all_: Annotated[bool, typer.Option("--all", help="Every jurisdiction in the vocabulary")] = False,
        as_of: AsOf = None,
        fmt: Fmt = "table",
        store: StoreOption = None,
    ) -> None:
        """Pairwise interoperability index (and conflict counts)."""
        fmt = _format(fmt)
        codes = sorted(vocabulary().jurisdictions.members) if all_ else parties(jurisdictions or [])
        if len(codes) < 2:
            raise QueryError("matrix needs at least two different jurisdictions, or --all")
        with with_data(store) as db:
            result = matrix(db, codes, _date(as_of))
        if fmt == "json":
            out.out(json.dumps(result.to_dict(), indent=2), highlight=False)
            return
        table = Table("", *codes, header_style="bold", title=f"Interoperability index at {result.as_of}")
        for a in codes:
            cells = []
            for b in codes:
                key = (a, b) if (a, b) in result.index else (b, a)
                cells.append(
                    "—"
                    if a == b
                    else f"{result.index[key]:.2f}" + (f" ({result.conflicts[key]}⚡)" if result.conflicts[key] else "")
                )
            table.add_row(a, *cells)
        out.print(table)

    @app.command("diff")
    def diff_cmd(
        a: Annotated[str, typer.Argument(help="First jurisdiction code, e.g. EU")],
        b: Annotated[str, typer.Argument(help="Second jurisdiction code, e.g. US-CO")],
        start: Annotated[str, typer.Option("--from", help="Earlier date (YYYY-MM-DD)")],
        end: Annotated[str, typer.Option("--to", help="Later date (YYYY-MM-DD)")],
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
        store: StoreOption = None,
    ) -> None:
        """What changes for a pair between two dates: verdicts that appear, disappear or change,
        with the provisions that start or stop applying."""
        from crosswalk.queries.diff import diff

        if fmt not in ("table", "json"):
            raise QueryError(f"unknown format {fmt!r}; use table or json")
        d1, d2 = _date(start), _date(end)
        assert d1 is not None and d2 is not None
        canonical_codes([a, b])
        with with_data(store) as db:
            result = diff(db, a, b, d1, d2)
        if fmt == "json":
            out.out(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), highlight=False)
            return
        from rich.markup import escape

        out.print(f"[bold]{escape(a)} vs {escape(b)}: what changes from {d1} to {d2}[/bold]")
        if not result.changes:
            out.print("No verdict changes between these dates.")
        for c in result.changes:
            out.print("")
            was, now = escape(c.before or "nothing"), escape(c.after or "nothing")
            out.print(f"[bold]{escape(c.concept_label)}[/bold]: {was} → {now}")
            for e in c.events:
                out.print(f"  - {escape(e)}", highlight=False)

    @app.command("findings")
    def findings_cmd(
        materialize_: Annotated[
            bool, typer.Option("--materialize", help="Write the pairwise findings into their own named graph")
        ] = False,
        jurisdictions: Annotated[list[str] | None, typer.Argument(help="Codes; default every jurisdiction")] = None,
        as_of: AsOf = None,
        store: StoreOption = None,
    ) -> None:
        """Findings as data: compute every pair's findings at a date and store them in the graph
        https://w3id.org/crosswalk/graph/findings (query it at /sparql; see docs/cookbook.md)."""
        from crosswalk.queries.materialize import FINDINGS_GRAPH, materialize

        if not materialize_:
            raise QueryError("say --materialize to write the findings graph (it replaces the previous one)")
        when = _date(as_of) or date.today()
        with with_data(store) as db:
            n = materialize(db, when, jurisdictions or None)
        out.print(f"wrote {n} findings at {when} into <{FINDINGS_GRAPH}>")

    @app.command("explain")
    def explain_cmd(
        finding_id: Annotated[str, typer.Argument(help="A finding id from compare --format json")],
        store: StoreOption = None,
    ) -> None:
        """Show one finding with every provision behind it."""
        with with_data(store) as db:
            finding = explain(db, finding_id)
        out.out(json.dumps(finding.to_dict(), indent=2, ensure_ascii=False), highlight=False)
