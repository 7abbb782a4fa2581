"""The harmonization report as Markdown (GitHub-flavoured tables), written from the report dict
with the same derived pieces as the HTML (api/report_layout.py): firm findings only in the
summary, every provision's text once, absences as marks in one table per concept group.

>>> _cell(_text("a | b\\nc <script>"))
'a \\\\| b c \\\\<script\\\\>'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crosswalk.queries.findings import modality_words
from crosswalk.queries.report import SECTIONS

from .report_layout import (
    PLAIN_PROVENANCE,
    conflict_sides,
    layout,
    pair_verdicts,
    reasons_shown,
    regenerate,
    verdict_text,
)

MARK = {"gap": "gap", "general-law": "general law", "not-curated": "not curated"}
METHOD_TEXT = (
    "Provisions are mapped onto Crosswalk's shared concept scheme and compared concept by concept at the date "
    "above (the rules: queries/rules.py, explained in docs/analysis.md). A concept is *equivalent* only when every "
    "provision on each side has a counterpart with the same modality, binding force, sanction, scope, qualifiers, "
    "thresholds and figures; on a principle, or between recommendations, the same is *aligned* (at principle level "
    "only, never called equivalent; it counts as agreement in the index). Binding law outranks voluntary guidance "
    "when naming the stricter side. Law both parties "
    "inherit is *shared*, not an agreement between them; institutional concepts are reported apart (both "
    "providing for one is *parallel*, never equivalent); both stay out of the index, which is also given over "
    "each party's own law. A gap is reported only where the lacking side "
    "declared coverage of the concept group; otherwise the absence is *not curated*; adopted law that applies later "
    "is named with its date. Money is compared in euros at the ECB reference rate of the date. Scope relations "
    "follow NIST IR 8477. *Firm* findings, the only ones in the executive summary, are selected from what the rules "
    "said, never re-judged: every provision cited binding, in force and free of open caveats; a divergence with one "
    "stricter party; a gap with no broader, narrower or general law on the lacking side (docs/reports.md). "
    "Summaries are the curators' own words, not legal advice; the links lead to the official texts."
)


def _heading(n: int) -> str:
    return f"## {n}. {SECTIONS[n - 1]}"


def _cell(text: object) -> str:
    """One Markdown table cell, on one line. Its text is escaped already (`_escaped`), links
    included: escaping again here undid a link's escapes."""
    return " ".join(str(text).split())


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[object]]) -> list[str]:
    return [_row(list(head)), "|" + "---|" * len(head), *(_row(r) for r in rows), ""]


def _md_link(text: str, href: str) -> str:
    """A link: the label is escaped text (`_escaped`); the target an http(s) IRI, else no link."""
    if not _LINKABLE.match(href):
        return text
    target = "".join(f"%{ord(c):02X}" if c in "<>\\ " or ord(c) < 0x20 else c for c in href)
    return f"[{text}](<{target}>)"


# Text from rule files and vocabularies is data, never Markdown or HTML: every character that
# could start markup inline (emphasis, code, links, raw HTML, entities, table pipes,
# strikethrough) is backslash-escaped, and line breaks are folded, so no text can begin a block
# (a heading, a list, an HTML block). IRIs (no space, none of <>"{}|\\^`) stay as they are: they
# are link targets. CommonMark lets any ASCII punctuation be escaped so.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_LINKABLE = re.compile(r"https?://[^\s]+")


def _text(value: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _escaped(value: Any) -> Any:
    """The report with every text escaped for Markdown (keys and IRIs kept as they are)."""
    if isinstance(value, str):
        return value if _IRI.fullmatch(value) else _text(value)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def _standing(f: Mapping[str, Any]) -> str:
    return (
        "*firm: in the summary*"
        if not f["held_back"]
        else "*held back from the summary: " + "; ".join(f["held_back"]) + "*"
    )


def render_markdown(report: Mapping[str, Any]) -> str:
    r = _escaped(report)
    codes = [p["code"] for p in r["parties"]]
    provs = r["provisions"]
    lay = layout(r)

    def cite(iri: str) -> str:
        return _md_link(provs[iri]["citation"], iri)

    def prov(iri: str) -> str:
        p = provs[iri]
        bits = [
            f"**{modality_words(p['modality'], p['binding'])}** {cite(iri)}" + ("" if p["binding"] else " (voluntary)"),
            p["summary"],
        ]
        detail = [f"bearer: {', '.join(p['bearers'])}"] if p["bearers"] else []
        scope = p["scope"]["risk_levels"] + p["scope"]["domains"] + p["scope"]["system_types"]
        if scope:
            detail.append("scope: " + ", ".join(scope))
        detail += [f"{x['kind']} {x['display']}" for x in p["parameters"]]
        detail += [f"applies above {x['kind']} {x['display']}" for x in p["thresholds"]]
        if p["qualifiers"]:
            detail.append("qualified: " + ", ".join(p["qualifiers"]))
        if p["applies_from"]:
            detail.append(f"applies from {p['applies_from']}")
        if p["provenance"]["text"] != PLAIN_PROVENANCE:
            detail.append(p["provenance"]["text"])
        detail += [f"caveat {n}" for n in lay["caveat_no"].get(iri, [])]
        return " ".join(bits) + (f" ({'; '.join(detail)})" if detail else "")

    def sides(f: Mapping[str, Any]) -> str:
        return "; ".join(
            f"{party}: " + ", ".join(cite(i) for i in iris) for party, iris in f["provisions"].items() if iris
        )

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
    ]
    for st in lay["standings"]:
        named = "; ".join(
            f"{code}: " + ", ".join(_md_link(i["short_title"], i["iri"]) for i in rows)
            for code, rows in st["by_jurisdiction"]
        )
        out += [f"**{st['heading']}.** {named}", ""]
    out += ["How far to trust the law cited:", "", *(f"- {p['provenance']['line']}" for p in r["parties"]), ""]
    for c in lay["caveats"]:
        until = f"until {c['until']}" if c["until"] else "no end date"
        touched = ", ".join(f"{n} of the {title}" for title, n in c["instruments"].items())
        out.append(
            f"- **Caveat {c['number']}** ({c['jurisdiction']}): {c['kind'].replace('-', ' ')} from {c['from']}, "
            f"{until} ({_md_link(c['by'], c['source'])}), on {touched}: {c['summary']}"
        )
    out.append("")

    s = r["summary"]
    t, ft = s["totals"], s["firm_totals"]
    out += [_heading(2), ""]
    out += [
        "Only **firm** findings here: every provision cited binding law in force at the date with no caveat open on "
        "it; a divergence with one stricter party; a gap against declared coverage with no broader, narrower or "
        f"general law on the lacking side. {len(s['firm'])} of the "
        f"{t['equivalent'] + t['divergent'] + t['gap'] + t['conflict']} equivalences, divergences, gaps and conflicts "
        "are firm; the others are in sections 5 and 6, each with why it was held back (an agreement at principle "
        "level only, *aligned*, is never firm).",
        "",
    ]
    kinds = ["equivalent", "divergent", "gap", "conflict"]
    out += _table(
        [
            "",
            "equivalent",
            "aligned",
            "divergent",
            "gap",
            "conflict",
            "tension",
            "shared",
            "not curated",
            "pending provisions",
        ],
        [
            [
                "all",
                t["equivalent"],
                t["aligned"],
                *(t[k] for k in kinds[1:]),
                t["tension"],
                t["shared"],
                t["not-curated"],
                t["pending"],
            ],
            ["firm", ft["equivalent"], "–", *(ft[k] for k in kinds[1:]), "–", "–", "–", "–"],
        ],
    )
    out += _table(
        ["pair", "index", "own law", "concepts", "equivalent", "aligned", "divergent", "gap", "conflict"],
        [
            [
                f"{p['a']}–{p['b']}",
                f"{p['index']:.2f}",
                f"{p['own_index']:.2f}",
                p["concepts_regulated"],
                p["counts"]["equivalent"],
                p["counts"]["aligned"],
                *(p["counts"][k] for k in kinds[1:]),
            ]
            for p in s["pairs"]
        ],
    )
    out += ["### Conflicts", ""]
    out += [
        f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {f['conflict']}. {'; '.join(f['reasons'])}"
        for f in s["conflicts"]
    ] or ["No firm conflict between the parties' rules in force (one actor, one act, one market)."]
    held = len(r["conflicts"]) - len(s["conflicts"])
    if held:
        out += ["", f"{held} more conflict{'s' if held != 1 else ''} held back (section 6)."]
    if s["tensions"]:
        out += ["", f"Tensions (opposed rules binding different parties or markets): {len(s['tensions'])} (section 6)."]
    out += ["", "### Most significant firm divergences", ""]
    for n, f in enumerate(s["most_significant_divergences"], 1):
        out.append(
            f"{n}. **{f['concept_label']}**, {'–'.join(f['pair'])}: {'; '.join(reasons_shown(provs, f))} ({sides(f)})"
        )
    if not s["most_significant_divergences"]:
        out.append("No firm divergence.")
    rest = [f for f in s["firm"] if f not in s["most_significant_divergences"]]
    if rest:
        out += ["", "### The other firm findings", ""]
        out += _table(
            ["concept", "pair", "finding", "why", "provisions"],
            [
                [
                    f["concept_label"],
                    "–".join(f["pair"]),
                    f"{f['stricter']} stricter" + (f" ({f['stricter_note']})" if f.get("stricter_note") else "")
                    if f["kind"] == "divergent"
                    else f"gap: {f['missing']} has none"
                    if f["kind"] == "gap"
                    else f["kind"],
                    (f["reasons"][0] if f["reasons"] else "").replace(f"{f['stricter']} stricter: ", "", 1),
                    sides(f),
                ]
                for f in rest
            ],
        )
    heat = {(c["party"], c["group"]): c for c in r["heatmap"]["cells"]}
    out += [
        "",
        _heading(3),
        "",
        "Agreement score per concept group and party (equivalent or aligned 1, divergent ½, over every other party "
        "and concept either regulates); !n marks n conflicts; – nothing regulated.",
        "",
    ]
    out += _table(
        ["concept group", *codes],
        [[g["label"], *(_heat_text(heat[(code, g["key"])]) for code in codes)] for g in r["groups"]],
    )
    index = {(p["a"], p["b"]): p["index"] for p in s["pairs"]}
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
    out += [
        _heading(5),
        "",
        "Marks: *n* provisions in force; *gap*: none though the party declared the group curated; *general law*: no "
        "AI-specific rule, general law reaches it; *not curated*: none and the group not declared curated (absence "
        "proves nothing); *from D*: adopted law applies from D. Each provision's text is given once, under the first "
        "concept it concerns.",
        "",
    ]
    for sec in r["sections"]:
        out += [f"### {sec['label']}", ""]
        out += _table(["concept", *codes], [[row["concept_label"], *_marks(row, codes, provs)] for row in sec["rows"]])
        for row in sec["rows"]:
            verdicts = "; ".join(verdict_text(f) + ("" if f["held_back"] else " (summary)") for f in pair_verdicts(row))
            out += [f"#### {row['concept_label']}", "", verdicts or "No pair of parties both regulate it in force.", ""]
            for code in codes:
                iris = row["provisions"][code]
                if not iris:
                    continue
                here = [
                    i for i in iris if (lay["home"][i]["concept"], lay["home"][i]["party"]) == (row["concept"], code)
                ]
                out += [f"- **{code}**: {prov(i)}" for i in here[:1]] + [f"  - {prov(i)}" for i in here[1:]]
                again = [i for i in iris if i not in here]
                if again:
                    lead = "  - also" if here else f"- **{code}**:"
                    out.append(
                        f"{lead} "
                        + "; ".join(f"{cite(i)} (text under {lay['home'][i]['concept_label']})" for i in again)
                    )
            out.append("")
    out += [_heading(6), "", "### Gaps: AI-specific rules one party has in force and another has not", ""]
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
                + f". {_standing(f)}"
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
    out += ["#### Not curated (absence proves nothing): concepts per group; each is marked in section 5", ""]
    out += _table(
        ["concept group", *codes],
        [
            [sec["label"], *(lay["absences"][(sec["group"], c)]["not-curated"] or "" for c in codes)]
            for sec in r["sections"]
        ]
        + [["all groups", *(lay["not_curated"][c] for c in codes)]],
    )
    out += ["### Divergences, with the stricter side", ""]
    for f in r["divergences"]:
        stricter = (
            f"{f['stricter']} stricter" + (f" ({f['stricter_note']})" if f.get("stricter_note") else "")
            if f["stricter"] not in (None, "mixed")
            else "each stricter somewhere"
            if f["stricter"] == "mixed"
            else "no stricter side defined"
        )
        out += [f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {stricter}; scope {f['relation']}. {_standing(f)}"]
        out += [f"  - {x}" for x in reasons_shown(provs, f)]
    out += [] if r["divergences"] else ["No divergences."]
    out += ["", "### Conflicts, explained", ""]
    out += [
        f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {_conflict_text(provs, f)} {sides(f)}. {_standing(f)}"
        for f in r["conflicts"]
    ] or ["No conflicts."]
    out += ["", "### Tensions: opposed rules that bind different parties or markets", ""]
    out += [f"- **{f['concept_label']}**, {'–'.join(f['pair'])}: {'; '.join(f['reasons'])}" for f in r["tensions"]] or [
        "No tensions."
    ]
    out += ["", "### Institutional and policy concepts (outside the index)", ""]
    out += [f"- **{f['concept_label']}**: {verdict_text(f)}. {sides(f)}" for f in r["institutional"]] or ["None."]
    out += ["", "### Pending (not counted as law in force)", ""]
    if lay["pending_by_instrument"]:
        out += _table(
            ["party", "instrument", "applies from", "provisions"],
            [
                [
                    e["party"],
                    e["instrument"],
                    e["applies_from"] or "not fixed",
                    ", ".join(cite(i) for i in e["provisions"]),
                ]
                for e in lay["pending_by_instrument"]
            ],
        )
    out += [f"{e['party']}: no pending provisions." for e in r["pending"] if not e["provisions"]]
    if r.get("changes"):
        out += _changes(r["changes"])
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
                _md_link(i["short_title"], i["iri"]),
                i["jurisdiction"],
                i["type"],
                i["status"],
                i["entered_into_force"] or "",
                i["curated"],
                i["provisions"],
                _md_link(i["source"].split("/")[2] if "://" in i["source"] else "official text", i["source"]),
            ]
            for i in r["instruments"]
        ],
    )
    out += [f"Data version: `{r['data_version']}`. Regenerate with: `{regenerate(r, 'md')}`", ""]
    return "\n".join(out)


def _marks(row: Mapping[str, Any], codes: list[str], provs: Mapping[str, Any]) -> list[str]:
    """One concept's marks per party: its provisions in force, or how it lacks the concept."""
    out = []
    for code in codes:
        if row["provisions"][code]:
            out.append(str(len(row["provisions"][code])))
        elif code in row["absent"]:
            a = row["absent"][code]
            dates = sorted({provs[i]["applies_from"] for i in a["pending"] if provs[i]["applies_from"]})
            out.append(MARK[a["kind"]] + (f", from {dates[0]}" if dates else ""))
        else:
            out.append("")
    return out


def _conflict_text(provs: Mapping[str, Any], f: Mapping[str, Any]) -> str:
    enables, prohibits = conflict_sides(provs, f)
    if f["conflict"] == "cannot-comply-with-both":
        return f"{enables} obliges what {prohibits} prohibits (cannot comply with both)."
    if f["conflict"] == "permits-what-other-prohibits":
        return f"{enables} permits what {prohibits} prohibits (a conflict of permissiveness)."
    return f"{' and '.join(f['pair'])} regulate concepts declared incompatible."


def _changes(ch: Mapping[str, Any]) -> list[str]:
    """ "What changes between D1 and D2": per pair, the verdicts that differ and the dated events
    behind them (queries/diff.py)."""
    out = ["", f"### What changes between {ch['from']} and {ch['to']}", ""]
    for pair in ch["pairs"]:
        out += [f"**{pair['a']}–{pair['b']}**", ""]
        if not pair["changes"]:
            out += ["No verdict changes.", ""]
            continue
        out += _table(
            ["concept", f"on {ch['from']}", f"on {ch['to']}", "because"],
            [
                [c["concept_label"], c["before"] or "nothing", c["after"] or "nothing", "; ".join(c["events"]) or "—"]
                for c in pair["changes"]
            ],
        )
    return out


def _heat_text(c: Mapping[str, Any]) -> str:
    score = "–" if c["score"] is None else f"{round(c['score'] * 100)}%"
    return score + (f" !{c['conflict']}" if c["conflict"] else "")


__all__ = ["render_markdown"]
