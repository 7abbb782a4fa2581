"""Render a harmonization report (the plain dict of `crosswalk.queries.report`) as HTML (Jinja2),
PDF (WeasyPrint, from that HTML), Markdown or JSON. One structure in, four formats out.

>>> sorted(FORMATS)
['html', 'json', 'md', 'pdf']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from crosswalk.graph.errors import QueryError
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.queries.report import SECTIONS

from . import report_svg

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
BASE = "https://w3id.org/crosswalk/"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crosswalk.api", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["native_name"] = native_name
    return env


def native_name(title: str) -> str:
    """An instrument's name in its own script where its title starts with one (Korean, Chinese,
    Japanese): the annex prints it under the short English title, so a reader can find the law."""
    head = title.split(" (", 1)[0]
    return head if any(ord(ch) >= 0x2E80 for ch in head) else ""


def _linker(link_base: str | None) -> Callable[[str], str]:
    """IRIs under w3id.org/crosswalk point at this server's own pages when it serves the report."""
    if link_base is None:
        return lambda iri: iri
    return lambda iri: link_base + iri[len(BASE) :] if iri.startswith(BASE) else iri


def render_html(
    report: Mapping[str, Any] | None,
    *,
    link_base: str | None = None,
    form: Mapping[str, Any] | None = None,
    fmt: str = "html",
) -> str:
    """The report page. With `form` it is the web app's comparison page (a form to pick parties,
    date and groups above the report); `report` may then be None (nothing chosen yet)."""
    link = _linker(link_base)  # a context function, not a filter: the environment is shared by threads
    context: dict[str, Any] = {
        "r": report,
        "web": form is not None,
        "form": form or {},
        "form_group_count": len(vocabulary().concept_groups.members),
        "link": link,
        "concept_base": link(BASE + "concept/"),
        "sections": SECTIONS,
        "fmt": fmt,  # the regenerate command names the format the reader holds
    }
    if report is not None:
        codes = [p["code"] for p in report["parties"]]
        heat = {(c["party"], c["group"]): c for c in report["heatmap"]["cells"]}
        pairs = {(p["a"], p["b"]): p for p in report["summary"]["pairs"]}
        context |= {
            "pair_of": {**pairs, **{(b, a): p for (a, b), p in pairs.items()}},
            "party_codes": codes,
            "heat": heat,
            "heat_svg": report_svg.heatmap(codes, report["groups"], report["heatmap"]["cells"]),
            "index_svg": report_svg.index_matrix(
                codes, {k: p["index"] for k, p in pairs.items()}, {k: p["counts"]["conflict"] for k, p in pairs.items()}
            ),
        }
    else:
        context["party_codes"] = []
    return _environment().get_template("report.html.j2").render(context)


def render_pdf(report: Mapping[str, Any]) -> bytes:
    """The HTML report printed by WeasyPrint (imported here: it costs half a second to load)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(report, fmt="pdf"), base_url=BASE).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _heading(n: int) -> str:
    return f"## {n}. {SECTIONS[n - 1]}"


def _cell(text: object) -> str:
    """One Markdown table cell: pipes escaped, no line breaks."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[object]]) -> list[str]:
    return [_row(list(head)), "|" + "---|" * len(head), *(_row(r) for r in rows), ""]


def _md_link(text: str, href: str) -> str:
    label = text.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}](<{href}>)"


def render_markdown(report: Mapping[str, Any]) -> str:
    r = report
    codes = [p["code"] for p in r["parties"]]
    provs = r["provisions"]

    def cite(iri: str) -> str:
        return _md_link(provs[iri]["citation"], iri)

    def prov(iri: str) -> str:
        p = provs[iri]
        bits = [f"**{p['modality']}** {cite(iri)}"]
        if p["bearers"]:
            bits.append("bearer: " + ", ".join(p["bearers"]))
        scope = p["scope"]["risk_levels"] + p["scope"]["domains"] + p["scope"]["system_types"]
        if scope:
            bits.append("scope: " + ", ".join(scope))
        bits += [f"{x['kind']} {x['display']}" for x in p["parameters"]]
        bits += [f"applies above {x['kind']} {x['display']}" for x in p["thresholds"]]
        if p["qualifiers"]:
            bits.append("qualified: " + ", ".join(p["qualifiers"]))
        if p["applies_from"]:
            bits.append(f"applies from {p['applies_from']}")
        if not p["binding"]:
            bits.append("voluntary")
        bits.append(p["provenance"]["text"])
        bits += [f"**caveat:** {c['text']}" for c in p["caveats"]]
        return "; ".join(bits)

    def sides(f: Mapping[str, Any]) -> str:
        return "; ".join(f"{party}: " + ", ".join(cite(i) for i in iris) for party, iris in f["provisions"].items())

    out = [f"# {r['title']}", ""]
    out += [
        "- **Parties:** " + "; ".join(f"{p['label']} ({p['code']})" for p in r["parties"]),
        f"- **Comparison holds at:** {r['as_of']}",
        f"- **Data curated:** {r['curated']['earliest']} to {r['curated']['latest']}",
        "- **Concept groups:** " + ", ".join(g["label"] for g in r["groups"]),
        f"- **Generated:** {r['generated_on']}, data version `{r['data_version']}`",
        "",
        _heading(1),
        "",
        "How far to trust the law cited:",
        "",
        *(f"- {p['provenance']['line']}" for p in r["parties"]),
        "",
    ]
    for standing, heading in STANDINGS:
        rows = [i for i in r["instruments"] if i["standing"] == standing]
        if rows:
            out += [f"### {heading}", ""]
            out += [
                f"- {_md_link(i['short_title'], i['iri'])} ({i['jurisdiction']}; {i['type']}; status {i['status']})"
                for i in rows
            ]
            out.append("")
    t = r["summary"]["totals"]
    out += [_heading(2), ""]
    out += _table(
        ["equivalent", "divergent", "gap", "conflict", "tension", "shared", "not curated", "pending provisions"],
        [
            [
                t["equivalent"],
                t["divergent"],
                t["gap"],
                t["conflict"],
                t["tension"],
                t["shared"],
                t["not-curated"],
                t["pending"],
            ]
        ],
    )
    out += _table(
        ["pair", "index", "own law", "concepts", "equivalent", "divergent", "gap", "conflict"],
        [
            [
                f"{p['a']}–{p['b']}",
                f"{p['index']:.2f}",
                f"{p['own_index']:.2f}",
                p["concepts_regulated"],
                *(p["counts"][k] for k in ("equivalent", "divergent", "gap", "conflict")),
            ]
            for p in r["summary"]["pairs"]
        ],
    )
    out += ["### Most significant divergences", ""]
    for n, f in enumerate(r["summary"]["most_significant_divergences"], 1):
        out.append(f"{n}. **{f['concept_label']}**, {'–'.join(f['pair'])}: {'; '.join(f['reasons'])} ({sides(f)})")
    out += ["", "### Conflicts", ""]
    out += [
        f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {f['conflict']}. {'; '.join(f['reasons'])}"
        for f in r["summary"]["conflicts"]
    ] or ["No conflicts between the parties' rules in force (one actor, one act, one market)."]
    if r["summary"]["tensions"]:
        out += ["", f"Tensions (opposed rules binding different parties or markets): {len(r['summary']['tensions'])}."]
    heat = {(c["party"], c["group"]): c for c in r["heatmap"]["cells"]}
    out += [
        "",
        _heading(3),
        "",
        "Cells: equivalent/divergent/conflict/lacks/alone/not curated (agreement score).",
        "",
    ]
    out += _table(
        ["party", *(g["label"] for g in r["groups"])],
        [[code, *(_heat_text(heat[(code, g["key"])]) for g in r["groups"])] for code in codes],
    )
    index = {(p["a"], p["b"]): p["index"] for p in r["summary"]["pairs"]}
    out += _table(
        ["", *codes],
        [[a, *("—" if a == b else f"{index.get((a, b), index.get((b, a), 0.0)):.2f}" for b in codes)] for a in codes],
    )
    out += [_heading(4), ""]
    if r["baseline"]["common"]:
        out += [
            f"Values protected by the shared concepts: {', '.join(r['baseline']['values_shared']) or 'none recorded'}.",
            "",
        ]
        out += _table(
            ["concept", "protects", *codes],
            [
                [
                    e["concept_label"],
                    ", ".join(e["protects"]),
                    *(", ".join(cite(i) for i in e["provisions"][c]) for c in codes),
                ]
                for e in r["baseline"]["common"]
            ],
        )
    else:
        out += ["No concept is regulated in force by every party.", ""]
    out += [_heading(5), ""]
    for s in r["sections"]:
        out += [f"### {s['label']}", ""]
        out += _table(
            ["concept", *codes, "findings"],
            [
                [
                    row["concept_label"],
                    *(" · ".join(prov(i) for i in row["provisions"][c]) or "—" for c in codes),
                    "; ".join(_finding_text(f) for f in row["findings"]),
                ]
                for row in s["rows"]
            ],
        )
    out += [
        _heading(6),
        "",
        "### Gaps: AI-specific rules one party has in force and another has not",
        "",
    ]
    any_gap = False
    for g in r["gaps"]:
        if g["gaps"]:
            any_gap = True
            out += [f"#### {g['party']} has none in force; {g['to_match']} has", ""]
            out += [
                f"- **{f['concept_label']}**: "
                + ", ".join(cite(i) for i in f["provisions"][g["to_match"]])
                + (
                    f". {g['party']} has adopted "
                    + ", ".join(f"{cite(i)} (applies from {provs[i]['applies_from']})" for i in f["pending"])
                    if f["pending"]
                    else ""
                )
                for f in g["gaps"]
            ]
            out.append("")
    if not any_gap:
        out += ["No gaps against declared coverage.", ""]
    general = [(g, f) for g in r["gaps"] for f in g["general_law"]]
    if general:
        out += ["#### No AI-specific rule, but general law reaches the matter", ""]
        out += [
            f"- **{f['concept_label']}**: {g['party']} (against {g['to_match']}): "
            + ", ".join(cite(i) for i in f["general_law"])
            for g, f in general
        ]
        out.append("")
    out += ["#### Not curated (absence proves nothing)", ""]
    out += [
        f"- {g['party']} against {g['to_match']}: {len(g['not_curated'])} concepts"
        for g in r["gaps"]
        if g["not_curated"]
    ]
    out += ["", "### Divergences, with the stricter side", ""]
    out += (
        _table(
            ["concept", "pair", "stricter", "scope", "why", "provisions"],
            [
                [
                    f["concept_label"],
                    "–".join(f["pair"]),
                    f["stricter"] or "not defined",
                    f["relation"] or "",
                    "; ".join(f["reasons"]),
                    sides(f),
                ]
                for f in r["divergences"]
            ],
        )
        if r["divergences"]
        else ["No divergences.", ""]
    )
    out += ["### Conflicts, explained", ""]
    out += [
        f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {CONFLICT_TEXT.get(f['conflict'] or '', '')} {sides(f)}"
        for f in r["conflicts"]
    ] or ["No conflicts."]
    out += ["", "### Tensions: opposed rules that bind different parties or markets", ""]
    out += [f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {'; '.join(f['reasons'])}" for f in r["tensions"]] or [
        "No tensions."
    ]
    out += ["", "### Institutional and policy concepts (outside the index)", ""]
    out += [
        f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {f['kind']}. {sides(f)}" for f in r["institutional"]
    ] or ["None."]
    out += ["", "### Pending (not counted as law in force)", ""]
    out += [f"- {e['party']}: " + (", ".join(cite(i) for i in e["provisions"]) or "none") for e in r["pending"]]
    out += ["", _heading(7), "", METHOD_TEXT, ""]
    out += _table(
        ["concept group", "concepts", *codes],
        [
            [
                g["label"],
                g["concepts"],
                *("curated" if g["key"] in r["method"]["coverage"][c] else "not curated" for c in codes),
            ]
            for g in r["method"]["groups"]
        ],
    )
    out += ["### Known omissions", ""]
    for c in codes:
        out += [f"**{c}**", ""]
        out += [
            f"- {'' if o['jurisdiction'] == c else '(' + o['jurisdiction'] + ', inherited) '}"
            f"*{', '.join(o['groups'])}*: {_cell(o['note'])}"
            for o in r["method"]["omissions"][c]
        ] or ["None recorded."]
        out += [""]
    out += [_heading(8), ""]
    out += _table(
        ["instrument", "jurisdiction", "type", "status", "in force since", "curated", "provisions", "source"],
        [
            [
                _md_link(i["title"], i["iri"]),
                i["jurisdiction"],
                i["type"],
                i["status"],
                i["entered_into_force"] or "",
                i["curated"],
                i["provisions"],
                _md_link("official text", i["source"]),
            ]
            for i in r["instruments"]
        ],
    )
    out += [f"Data version: `{r['data_version']}`. Regenerate with: `{regenerate(r, 'md')}`", ""]
    return "\n".join(out)


def regenerate(r: Mapping[str, Any], fmt: str) -> str:
    """The command that makes this report again, in this format."""
    groups = [g["key"] for g in r["groups"]]
    chosen = (
        "".join(f" --concepts {g}" for g in groups) if len(groups) < len(vocabulary().concept_groups.members) else ""
    )
    out = " -o report.pdf" if fmt == "pdf" else ""
    return (
        f"crosswalk report {' '.join(p['code'] for p in r['parties'])} --as-of {r['as_of']}{chosen} --format {fmt}{out}"
    )


STANDINGS = (
    ("binding", "Binding law in force"),
    ("general-law", "General law in force that reaches AI (cited where a party has no AI-specific rule)"),
    ("soft-law", "Soft law (non-binding)"),
    ("pending", "Pending: adopted but not yet applicable, or proposed"),
    ("not-in-force", "Not in force at this date (repealed, lapsed, revoked, not yet applicable)"),
)
CONFLICT_TEXT = {
    "cannot-comply-with-both": "one side obliges what the other prohibits (cannot comply with both).",
    "permits-what-other-prohibits": "one side permits what the other prohibits (a conflict of permissiveness).",
    "incompatible-concepts": "the two sides regulate concepts declared incompatible.",
}
METHOD_TEXT = (
    "Provisions are mapped onto Crosswalk's shared concept scheme and compared concept by concept at the date "
    "above (the rules: queries/rules.py, explained in docs/analysis.md). A concept is *equivalent* only when every "
    "provision on each side has a counterpart with the same modality, binding force, sanction, scope, qualifiers, "
    "thresholds and figures. Binding law outranks voluntary guidance when naming the stricter side. Law both parties "
    "inherit is *shared*, not an agreement between them; institutional concepts are reported apart; both stay out of "
    "the index, which is also given over each party's own law. A gap is reported only where the lacking side "
    "declared coverage of the concept group; otherwise the absence is *not curated*; adopted law that applies later "
    "is named with its date. Money is compared in euros at the ECB reference rate of the date. Scope relations "
    "follow NIST IR 8477. Summaries are the curators' own words, not legal advice; the links lead to the official "
    "texts."
)


def _heat_text(c: Mapping[str, Any]) -> str:
    counts = f"{c['equivalent']}/{c['divergent']}/{c['conflict']}/{c['lacks']}/{c['only_here']}/{c['not_curated']}"
    return counts if c["score"] is None else f"{counts} ({round(c['score'] * 100)}%)"


def _finding_text(f: Mapping[str, Any]) -> str:
    text = f"{'–'.join(f['pair'])} {f['kind']}"
    if f.get("stricter") and f["stricter"] != "mixed":
        text += f" ({f['stricter']} stricter)"
    if f.get("missing"):
        text += f" ({f['missing']} has none)"
    return text


def render_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def render(report: Mapping[str, Any], fmt: str, *, link_base: str | None = None) -> bytes:
    """The report in one of FORMATS, as bytes ready to write or serve."""
    check_format(fmt)
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "html":
        return render_html(report, link_base=link_base).encode()
    if fmt == "md":
        return render_markdown(report).encode()
    return render_json(report).encode()


__all__ = ["FORMATS", "check_format", "render", "render_html", "render_markdown", "render_pdf"]
