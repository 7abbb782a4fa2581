"""Which findings a report's executive summary carries: the *firm* ones.

This module decides no verdict. The rules (queries/rules.py) have already said equivalent,
divergent, gap or conflict, and who is stricter; here a finding is only *selected* for the first
pages when the fields the rules filled in leave nothing to qualify it, so that a minister can
repeat it without a footnote. Everything else stays in the body of the report, labelled with
why it was held back (docs/reports.md, "The executive summary carries firm findings only").

A finding is firm when:

1. it is an equivalence, a divergence, a gap or a conflict, on a concept counted in the index
   (not institutional or policy): tensions, shared (inherited) law, general law, not-curated
   absences and pending law are never firm;
2. every provision it cites (both sides; for a gap, the side that has the rule) is binding law in
   force at the date: no voluntary guidance, nothing that applies later;
3. no provision it cites carries a caveat still open at the date (a court stay, an undertaking
   not to enforce, a grace period before fines, a sunset);
4. a divergence names one stricter party: not "mixed" (each stricter somewhere), not undecided;
5. a gap is a plain one: the lacking side regulates no broader or narrower concept instead
   (a partial match) and no general law reaches the matter.

>>> from crosswalk.queries.findings import Finding
>>> held_back(Finding("x", "divergent", "C", "C", "g", (), (), stricter="mixed"), ("EU", "KR"), "2026-12-03")
('EU and KR each stricter somewhere (mixed)',)
"""

from __future__ import annotations

from collections.abc import Sequence

from .findings import Finding, Provision
from .rules import instrument_name, named

FIRM_KINDS = ("conflict", "divergent", "gap", "equivalent")  # the order the summary lists them in
NEVER = {
    "tension": "a tension: opposed rules that bind different parties or markets",
    "shared": "law both parties inherit, not an agreement between them",
    "aligned": "agreement at principle level only, not the same obligation",
    "parallel": "an institutional or policy concept both provide for, not compared rule by rule",
    "general-law": "only general law reaches the matter on the lacking side",
    "not-curated": "an absence nobody declared coverage for (not curated)",
    "pending": "pending law, not in force",
}


def held_back(f: Finding, parties: tuple[str, str], as_of: str) -> tuple[str, ...]:
    """Why the finding stays out of the executive summary, naming the parties; () when it is firm."""
    if f.kind not in FIRM_KINDS:
        return (NEVER.get(f.kind, f.kind),)
    why: list[str] = []
    if f.institutional:
        why.append("an institutional or policy concept, outside the index")
    sides = ((parties[0], f.a), (parties[1], f.b))
    for code, provisions in sides:
        soft = [p for p in provisions if not p.binding]
        if soft:
            why.append(f"{code} cites voluntary guidance ({_titles(soft)})")
        later = [p for p in provisions if p.why_pending or (p.applies_from or "") > as_of]
        if later:
            why.append(f"{code} cites law not yet in force ({_cites(later)})")
        for kind, under in _open_caveats(provisions, as_of).items():
            why.append(f"{code}: {kind.replace('-', ' ')} open ({_titles(under)})")
    if f.kind == "divergent" and f.stricter == "mixed":
        why.append(f"{parties[0]} and {parties[1]} each stricter somewhere (mixed)")
    elif f.kind == "divergent" and f.stricter is None:
        why.append("no stricter party defined")
    if f.kind == "gap":
        lacking = parties[0] if f.missing_side == "a" else parties[1]
        if f.related:
            why.append(f"{lacking} regulates a broader or narrower concept instead (partial match)")
        if f.general_law:
            why.append(f"general law of {lacking} reaches the matter")
    return tuple(why)


def _open_caveats(provisions: Sequence[Provision], as_of: str) -> dict[str, list[Provision]]:
    out: dict[str, list[Provision]] = {}
    for p in provisions:
        for kind in dict.fromkeys(c.kind for c in p.caveats if c.open_at(as_of)):
            out.setdefault(kind, []).append(p)
    return out


def _cites(provisions: Sequence[Provision]) -> str:
    return ", ".join(dict.fromkeys(named(p) for p in provisions))


def _titles(provisions: Sequence[Provision]) -> str:
    """The instruments of the provisions cited: a caveat or a code of practice covers an act, not
    one article, so its name says enough."""
    return ", ".join(dict.fromkeys(instrument_name(p) or p.jurisdiction for p in provisions))


__all__ = ["FIRM_KINDS", "held_back"]
