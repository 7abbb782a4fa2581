"""What the printed report derives from the report dict so that it says each thing once: every
provision's text where it first appears in the side-by-side section (later mentions point back to
it), every caveat once with a number, the absences of each concept group counted per party, the
pending provisions by instrument and date. It reads only the dict (`crosswalk.queries.report`)
and decides nothing; the HTML template and the Markdown writer both use it.

>>> layout({"provisions": {}, "sections": [], "pending": [], "instruments": [], "parties": []})["caveats"]
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from crosswalk.graph.vocabulary import vocabulary

# what most of the corpus is: a provision read so is not marked, any other reading is said
PLAIN_PROVENANCE = "official text, peer reviewed, high confidence"
STANDINGS = (
    ("binding", "Binding law in force"),
    ("general-law", "General law in force that reaches AI (cited where a party has no AI-specific rule)"),
    ("soft-law", "Soft law (non-binding)"),
    ("pending", "Pending: adopted but not yet applicable, or proposed"),
    ("not-in-force", "Not in force at this date (repealed, lapsed, revoked, not yet applicable)"),
)
# the verdicts a concept's heading line names pair by pair (absences are marked in the table)
PAIR_KINDS = ("conflict", "equivalent", "aligned", "parallel", "divergent", "tension", "shared")


def _caveat_key(c: Mapping[str, Any]) -> tuple[str, ...]:
    return (c["kind"], c["from"], c["until"] or "", c["by"], c["source"])


def layout(r: Mapping[str, Any]) -> dict[str, Any]:
    """The derived pieces, keyed by name (see the module docstring)."""
    provs = r["provisions"]
    codes = [p["code"] for p in r["parties"]]

    # each provision in full once: at its first (concept, party) in section 5
    home: dict[str, dict[str, str]] = {}
    for s in r["sections"]:
        for row in s["rows"]:
            for code in codes:
                for iri in row["provisions"].get(code, []):
                    home.setdefault(
                        iri,
                        {
                            "concept": row["concept"],
                            "concept_label": row["concept_label"],
                            "party": code,
                            "anchor": f"p{len(home) + 1}",
                        },
                    )

    # each caveat once, numbered by party and start date, with the instruments it touches
    caveats: dict[tuple[str, ...], dict[str, Any]] = {}
    for p in sorted(provs.values(), key=lambda p: (p["jurisdiction"], p["instrument_title"], p["iri"])):
        for c in p["caveats"]:
            entry = caveats.setdefault(_caveat_key(c), {**c, "jurisdiction": p["jurisdiction"], "instruments": {}})
            entry["instruments"].setdefault(p["instrument_title"], 0)
            entry["instruments"][p["instrument_title"]] += 1
    numbered = sorted(caveats.values(), key=lambda c: (c["jurisdiction"], c["from"], c["kind"]))
    for n, c in enumerate(numbered, 1):
        c["number"] = n
    caveat_no = {
        iri: [caveats[_caveat_key(c)]["number"] for c in p["caveats"]] for iri, p in provs.items() if p["caveats"]
    }

    # per concept group and party: how many concepts it lacks, by kind of absence
    absences: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in r["sections"]:
        for row in s["rows"]:
            for code, a in row.get("absent", {}).items():
                absences[(s["group"], code)][a["kind"]] += 1

    not_curated = {code: sum(n["not-curated"] for (_, c), n in absences.items() if c == code) for code in codes}

    # pending provisions by party, instrument and the date they apply from
    pending: list[dict[str, Any]] = []
    for e in r["pending"]:
        by: dict[tuple[str, str], list[str]] = defaultdict(list)
        for iri in e["provisions"]:
            p = provs[iri]
            by[(p["instrument_title"], p["applies_from"] or "")].append(iri)
        pending += [
            {"party": e["party"], "instrument": title, "applies_from": when, "provisions": iris}
            for (title, when), iris in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]

    # instruments by standing, then by jurisdiction: section 1 names them, the annex details them
    standings = []
    for standing, heading in STANDINGS:
        rows = [i for i in r["instruments"] if i["standing"] == standing]
        if rows:
            by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for i in rows:
                by_code[i["jurisdiction"]].append(i)
            standings.append({"standing": standing, "heading": heading, "by_jurisdiction": sorted(by_code.items())})

    return {
        "home": home,
        "caveats": numbered,
        "caveat_no": caveat_no,
        "absences": absences,
        "not_curated": not_curated,
        "pending_by_instrument": pending,
        "standings": standings,
    }


def regenerate(r: Mapping[str, Any], fmt: str) -> str:
    """The command that makes this report again, in this format."""
    groups = [g["key"] for g in r["groups"]]
    chosen = (
        "".join(f" --concepts {g}" for g in groups) if len(groups) < len(vocabulary().concept_groups.members) else ""
    )
    changes = f" --changes-to {r['changes']['to']}" if r.get("changes") else ""
    out = " -o report.pdf" if fmt == "pdf" else ""
    return (
        f"crosswalk report {' '.join(p['code'] for p in r['parties'])} --as-of {r['as_of']}{chosen}{changes}"
        f" --format {fmt}{out}"
    )


def applies_from(provs: Mapping[str, Any], iris: list[str]) -> list[str]:
    """The dates a party's adopted provisions on a concept apply from, earliest first."""
    return sorted({provs[i]["applies_from"] for i in iris if provs[i]["applies_from"]})


def conflict_sides(provs: Mapping[str, Any], f: Mapping[str, Any]) -> tuple[str, str]:
    """The party that obliges or permits and the party that prohibits, in a conflict's words."""
    a, b = f["pair"]
    prohibits_a = all(provs[i]["modality"] == "prohibition" for i in f["provisions"][a])
    return (b, a) if prohibits_a else (a, b)


def reasons_shown(provs: Mapping[str, Any], f: Mapping[str, Any]) -> list[str]:
    """A finding's reasons as the printed report says them. Where no provision of either side
    has an equal counterpart (nothing matched), "EU only: <every provision it has on the
    concept>" repeats the list section 5 prints under the concept: one line says how many."""
    if f["matched"]:
        return list(f["reasons"])
    only = {c: f"{c} only: " for c in f["provisions"]}
    left = [c for c, prefix in only.items() if any(x.startswith(prefix) for x in f["reasons"])]
    out = [x for x in f["reasons"] if not any(x.startswith(only[c]) for c in left)]
    if left:
        counts = [(c, len({provs[i]["named"] for i in f["provisions"][c]})) for c in left]
        said = " or ".join(f"{c}'s {n} provision{'s' if n != 1 else ''}" for c, n in counts)
        out.append(f"no equal counterpart for any of {said} on the concept")
    return out


def pair_verdicts(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The pairwise verdicts on one concept, conflicts first (absences are said per party)."""
    return sorted(
        (f for f in row["findings"] if f["kind"] in PAIR_KINDS),
        key=lambda f: (PAIR_KINDS.index(f["kind"]), f["pair"]),
    )


def verdict_text(f: Mapping[str, Any]) -> str:
    """ "EU–CN divergent, EU stricter": a pairwise verdict in words, parties named."""
    if f["kind"] == "parallel":  # institutional: no equivalence claimed (queries/rules.judge)
        return f"{'–'.join(f['pair'])}: both provide for it (not compared rule by rule)"
    if f["kind"] == "aligned":  # agreement at principle level only (queries/rules.judge)
        return f"{'–'.join(f['pair'])} aligned at principle level only"
    text = f"{'–'.join(f['pair'])} {f['kind']}"
    if f["kind"] == "divergent":
        if f["stricter"] == "mixed":
            text += ", each stricter somewhere"
        elif f["stricter"]:
            text += f", {f['stricter']} stricter" + (f" ({f['stricter_note']})" if f.get("stricter_note") else "")
        else:
            text += ", no stricter side"
    return text


__all__ = [
    "PLAIN_PROVENANCE",
    "STANDINGS",
    "applies_from",
    "conflict_sides",
    "layout",
    "pair_verdicts",
    "reasons_shown",
    "regenerate",
    "verdict_text",
]
