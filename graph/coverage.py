"""Where each jurisdiction stands on the groups negotiators ask about first.

For each of five key groups a jurisdiction with binding AI law ends in one of two states
(docs/methodology.md, Coverage): *declared covered* (every AI-specific rule on the group is
curated, and the statement says what was searched) or a *known omission* (the rule file names
what is missing). Anything else is *undeclared*, which the corpus tests refuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import URIRef

from crosswalk.ontology import XW

from .model import RuleFile

# The five questions, each answered by one or two of the concept scheme's groups.
KEY_GROUPS: dict[str, tuple[str, ...]] = {
    "prohibited practices": ("prohibited-practices",),
    "transparency and labelling": ("transparency",),
    "general-purpose and frontier models": ("gpai-frontier",),
    "high-risk and automated-decision duties": ("provider-duties", "deployer-duties"),
    "penalties": ("enforcement",),
}


@dataclass(frozen=True)
class State:
    state: str  # covered | omission | partial | undeclared
    as_of: str = ""


def binding_ai_law(files: Iterable[RuleFile]) -> bool:
    """Whether a jurisdiction has AI-specific binding law adopted or in force (the ones that must
    say where they stand on every key group)."""
    return any(
        r.instrument.binding and not r.instrument.general_law and r.instrument.status in (XW.InForce, XW.Adopted)
        for r in files
    )


def key_states(files: list[RuleFile], group_key: Mapping[URIRef, str]) -> dict[str, State]:
    """The state of each key group for one jurisdiction's rule files (`group_key` maps a group
    IRI to its key)."""
    declared: dict[str, str] = {}
    for r in files:
        for c in r.coverage:
            for g in c.groups:
                declared[group_key[g]] = c.as_of.isoformat()
    omitted = {group_key[g] for r in files for o in r.known_omissions for g in o.groups}
    out: dict[str, State] = {}
    for label, groups in KEY_GROUPS.items():
        if all(g in declared for g in groups):
            out[label] = State("covered", max(declared[g] for g in groups))
        elif all(g in declared or g in omitted for g in groups):
            out[label] = State("omission" if not any(g in declared for g in groups) else "partial")
        else:
            out[label] = State("undeclared")
    return out
