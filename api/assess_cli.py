"""`crosswalk assess PROFILE.yaml`: one AI system's tiers, duties and crosswalk, market by market.

The table is laid out as blocks, not columns, so it stays readable at 80 columns; JSON is
`Assessment.to_dict()`; Markdown is for pasting into a note.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crosswalk.graph.errors import QueryError
from crosswalk.graph.profile import read_profile
from crosswalk.graph.store import with_data
from crosswalk.queries.assess import Assessment, assess
from crosswalk.queries.assess.model import MarketAssessment, TierHit
from crosswalk.queries.compare import context
from crosswalk.queries.findings import Finding, Provision

out = Console()
FORMATS = ("table", "json", "md", "html", "pdf")


def _date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _tier_line(t: TierHit) -> str:
    level = t.level or "no common level mapped"
    when = f", from {t.pending_from}" if t.pending_from else ""
    return f"{t.label} [{level}{when}]"


def _by_provision(provisions: Sequence[Provision]) -> list[tuple[Provision, list[str]]]:
    """One entry per provision (the analysis has one row per concept it concerns), in order,
    with the labels of its concepts."""
    labels = context().concept_label
    out: dict[str, tuple[Provision, list[str]]] = {}
    for p in provisions:
        out.setdefault(p.iri, (p, []))[1].append(labels.get(p.concept) or p.concept)
    return list(out.values())


def _duty_line(p: Provision, concepts: list[str], condition: str | None = None) -> str:
    mark = " †" if p.caveats else ""
    when = f"; conditional: {condition}" if condition else ""
    return f"{p.named()}{mark} ({p.modality}: {'; '.join(concepts)}{when})"


def _wrap(text: str, indent: int, width: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(text, width=max(width, 40), initial_indent=pad, subsequent_indent=pad + "  ") or [pad]


def table_lines(a: Assessment, width: int = 80) -> list[str]:
    """The assessment as plain lines no wider than `width` (long words aside)."""
    n = len(a.markets)
    head = f"{a.name} ({a.system}) at {a.as_of}: {n} market{'s' if n != 1 else ''}, reasoner {a.reasoner_seconds:.1f} s"
    lines = [*_wrap(head, 0, width), ""]
    for m in a.markets:
        lines += _market_lines(m, width)
    lines.append("Crosswalk of duties in force (verdicts as in `crosswalk compare`)")
    single = []
    for row in a.crosswalk:
        if len(row.markets) < 2:
            single.append(f"{row.label} ({row.markets[0]})")
            continue
        lines += _wrap(f"{row.label}: {', '.join(row.markets)}", 2, width)
        for group in row.met_once:
            lines += _wrap(f"met once for {', '.join(group)} (equivalent)", 4, width)
        for x, y, f in row.findings:
            if f.kind == "equivalent":
                continue
            note = f" ({f.stricter_note})" if f.stricter_note else ""
            who = f", {f.stricter} stricter{note}" if f.stricter and f.stricter != "mixed" else ""
            who = ", each stricter somewhere" if f.stricter == "mixed" else who
            lines += _wrap(f"{x} / {y}: {f.kind}{who}", 4, width)
    if single:
        lines += _wrap("Only in one market: " + "; ".join(single), 2, width)
    if a.index:
        lines += _wrap(
            "Index of the system's duties: " + "; ".join(f"{k.replace('|', '/')} {v:.2f}" for k, v in a.index.items()),
            2,
            width,
        )
    lines.append("")
    if a.misalignment:
        lines.append("Taxonomy misalignment (common levels now)")
        for code, level in a.misalignment.levels.items():
            tiers = "; ".join(a.misalignment.tiers[code]) or "no tier"
            lines += _wrap(f"{code}: {level} ({tiers})", 2, width)
    else:
        lines += _wrap("No taxonomy misalignment: the markets whose tiers are modelled agree on the level.", 0, width)
    caveats = {c.text(): None for m in a.markets for p in m.duties for c in p.caveats}
    for text in caveats:
        lines += _wrap(f"† {text}", 0, width)
    return lines


def _market_lines(m: MarketAssessment, width: int) -> list[str]:
    lines = [f"{m.code} ({', '.join(m.roles)}): level {m.level}"]
    for t in m.tiers:
        lines += _wrap(f"tier: {_tier_line(t)}, {t.article}", 2, width)
        if t.caveat:
            lines += _wrap(f"caveat: {t.caveat}", 4, width)
    if not m.tiers:
        lines += _wrap("tier: none at this date", 2, width)
    for t in m.pending_tiers:
        lines += _wrap(f"pending tier: {_tier_line(t)}, {t.article}", 2, width)
    for note in m.notes:
        lines += _wrap(f"note: {note}", 2, width)
    duties, pending = _by_provision(m.duties), _by_provision(m.pending_duties)
    lines.append(f"  provisions in force for {', '.join(m.roles)}: {len(duties)}")
    for p, concepts in duties:
        lines += _wrap(_duty_line(p, concepts, m.condition(p)), 4, width)
    if pending:
        lines.append(f"  pending: {len(pending)}")
        for p, concepts in pending:
            lines += _wrap(f"{_duty_line(p, concepts, m.condition(p))}, applies from {p.applies_from or '?'}", 4, width)
    lines.append("")
    return lines


def markdown(a: Assessment) -> str:
    """The assessment as Markdown."""
    md = [f"# {a.name} at {a.as_of}", ""]
    for m in a.markets:
        md += [f"## {m.code} ({', '.join(m.roles)}): {m.level}", ""]
        md += ["| tier | article | level | from |", "| --- | --- | --- | --- |"]
        for t in (*m.tiers, *m.pending_tiers):
            md.append(f"| {t.label} | {t.article} | {t.level or '—'} | {t.pending_from or 'now'} |")
        md += ["", "| provision | concepts | modality | applies from |", "| --- | --- | --- | --- |"]
        for p, concepts in _by_provision([*m.duties, *m.pending_duties]):
            when = f" (conditional: {c})" if (c := m.condition(p)) else ""
            md.append(f"| {p.named()} | {'; '.join(concepts)} | {p.modality}{when} | {p.applies_from or ''} |")
        md.append("")
    md += [
        "## Crosswalk",
        "",
        "| concept | markets | met once | divergent or in conflict |",
        "| --- | --- | --- | --- |",
    ]
    for row in a.crosswalk:
        other = "; ".join(f"{x}/{y} {f.kind}{_stricter_words(f)}" for x, y, f in row.findings if f.kind != "equivalent")
        met = "; ".join(", ".join(g) for g in row.met_once)
        md.append(f"| {row.label} | {', '.join(row.markets)} | {met} | {other} |")
    if a.misalignment:
        md += ["", "## Taxonomy misalignment", ""]
        md += [f"- {code}: {level}" for code, level in a.misalignment.levels.items()]
    return "\n".join(md) + "\n"


def _document(a: Assessment, fmt: str) -> bytes:
    """The assessment as the bytes of a file in `fmt`."""
    from .assess_render import render_html, render_pdf

    if fmt == "pdf":
        return render_pdf(a.to_dict())
    if fmt == "html":
        return render_html(a.to_dict()).encode("utf-8")
    if fmt == "json":
        return json.dumps(a.to_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    if fmt == "md":
        return markdown(a).encode("utf-8")
    return ("\n".join(table_lines(a)) + "\n").encode("utf-8")


def render(a: Assessment, fmt: str) -> None:
    if fmt == "json":
        out.out(json.dumps(a.to_dict(), indent=2, ensure_ascii=False), highlight=False)
    elif fmt == "md":
        out.out(markdown(a), highlight=False)
    else:
        for line in table_lines(a, out.width):
            out.out(line, highlight=False)


_WORDS = {"minExclusive": "more than", "minInclusive": "at least"}


def _figure(key: str, value: str) -> str:
    """`trainingCompute minExclusive 1E+26` as "training compute more than 10^26 FLOP"."""
    from decimal import Decimal

    from crosswalk.queries.money import show

    prop, facet = key.split(" ")
    unit = {"trainingCompute": "FLOP", "annualRevenueUSD": "USD"}.get(prop, "")
    name = {"trainingCompute": "training compute", "annualRevenueUSD": "annual revenue"}.get(prop, prop)
    return f"{name} {_WORDS.get(facet, facet)} {show(Decimal(value), unit)}"


def tier_lines(tiers: list[dict[str, object]], width: int = 80) -> list[str]:
    """The tier definitions as plain lines, a block per tier."""
    lines = []
    for t in tiers:
        when = f"from {t['applies_from']}" if t["applies_from"] else "whenever no other EU tier holds"
        if t["applies_until"]:
            when += f" to {t['applies_until']}"
        lines += _wrap(f"{t['jurisdiction']} {t['key']}: {t['label']}", 0, width)
        lines += _wrap(f"{t['article']}; level {t['level'] or 'none mapped'}; {when}", 2, width)
        figures = t["thresholds"]
        if isinstance(figures, dict) and figures:
            for key, value in figures.items():
                lines += _wrap(_figure(key, str(value)), 2, width)
    return lines


def register(app: typer.Typer) -> None:
    @app.command("tiers")
    def tiers_cmd(
        jurisdictions: Annotated[list[str] | None, typer.Argument(help="Jurisdiction codes; default all")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or ttl (the OWL definitions)")] = "table",
    ) -> None:
        """The risk tiers `assess` classifies into (ontology/tiers.ttl), each with its article."""
        from crosswalk.graph.vocabulary import vocabulary
        from crosswalk.ontology.tiers import tier_graph
        from crosswalk.queries.assess.tiers import definitions

        if fmt not in ("table", "json", "ttl"):
            raise QueryError(f"unknown format {fmt!r}; use table, json or ttl")
        found = [t for t in definitions() if not jurisdictions or t["jurisdiction"] in jurisdictions]
        if jurisdictions and not found:
            raise QueryError(f"no tiers for {', '.join(jurisdictions)}; see `crosswalk tiers`")
        if fmt == "json":
            out.out(json.dumps(found, indent=2, ensure_ascii=False), highlight=False)
            return
        if fmt == "ttl":
            codes = sorted({str(t["jurisdiction"]) for t in found})
            graph = tier_graph(vocabulary().jurisdictions.iri(codes[0]))
            for code in codes[1:]:
                graph += tier_graph(vocabulary().jurisdictions.iri(code))
            out.out(graph.serialize(format="turtle"), highlight=False)
            return
        for line in tier_lines(found, out.width):
            out.out(line, highlight=False)

    @app.command("assess")
    def assess_cmd(
        profile: Annotated[Path, typer.Argument(help="System profile (YAML, docs/assess.md)")],
        markets: Annotated[
            list[str] | None,
            typer.Option(
                "--markets", help="Only these markets of the profile (repeat it, or separate codes by commas)"
            ),
        ] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD); default today")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, md, html or pdf")] = "table",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (needed for pdf)")] = None,
        store: Annotated[str | None, typer.Option("--store", envvar="CROSSWALK_STORE", help="Store URL")] = None,
    ) -> None:
        """One AI system's tiers, duties and crosswalk in each market it is placed in."""
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
        if fmt == "pdf" and output is None:
            raise QueryError("--format pdf needs --output FILE")
        when = _date(as_of)
        system = read_profile(profile)  # bad input is said before any store is opened
        with with_data(store) as db:
            result = assess(db, system, when, [c for m in markets or [] for c in m.replace(",", " ").split()])
        if fmt in ("html", "pdf") or output is not None:
            data = _document(result, fmt)
            if output is None:
                out.out(data.decode("utf-8"), highlight=False)
            else:
                output.write_bytes(data)
            return
        render(result, fmt)


def _stricter_words(f: Finding) -> str:
    """ " (US-CO stricter, on paper only)" for a finding with a stricter side, else ""."""
    if not f.stricter or f.stricter == "mixed":
        return ""
    return f" ({f.stricter} stricter{', ' + f.stricter_note if f.stricter_note else ''})"
