"""The rule signature: everything two provisions must share to say the same thing, bar bearers.

Two provisions say the same thing (queries/rules.same_rule) when they have the same modality
and binding force, overlapping bearers, and the same signature: sanction, scope (risk levels,
domains and system types in canonical form), qualifiers (a sole intent is an intent),
applicability thresholds and figures (days counted as hours, so 72 hours = 3 days; months,
working days and money kept in their own units). The builder stores it as one literal per
provision (`xw:ruleSignature`), so SPARQL tests "the same rule" with one comparison
(queries/concept-verdicts.rq), and the analysis computes the very same string from what it
reads (tests hold the two equal).

>>> sig = rule_signature("FineSanction", frozenset({"HighRisk"}), frozenset(), frozenset(),
...                      frozenset({"SoleIntentQualifier"}), (), (("Deadline", Decimal(3), "days"),))
>>> sig.split(";")[4:]
['qualifiers=IntentQualifier,SoleIntentQualifier', 'thresholds=', 'figures=Deadline 72 hours']
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from crosswalk.ontology.hierarchy import canonical

# A qualifier that implies another: what needs sole intent also needs intent.
IMPLIED_QUALIFIERS = {"SoleIntentQualifier": "IntentQualifier"}

# Scope values that restrict nothing. "Any AI system" is every system. The unacceptable-risk
# tier is the class of what is banned: tagging a ban with it names the ban's consequence, it does
# not narrow whom the ban reaches (a ban tagged so and one not tagged reach the same systems).
NON_RESTRICTING = frozenset({"AnyAISystem", "UnacceptableRisk"})


def weighed_sanction(sanction: str, modality: str, roles: frozenset[str]) -> str:
    """The sanction as the rules weigh it: only behind a duty that binds someone other than the
    state itself (an act's fines punish those it regulates, not the public bodies it organises);
    for rights, permissions and the state's own duties it plays no part. `modality` is the
    modality's key or local name, `roles` the common roles of the bearers."""
    if modality.lower() in ("obligation", "prohibition") and roles and roles != frozenset({"PublicAuthority"}):
        return sanction
    return "n/a"


def restricting(values: frozenset[str]) -> frozenset[str]:
    """The scope values that narrow a provision's reach."""
    return values - NON_RESTRICTING if values & NON_RESTRICTING else values


Figure = tuple[str, Decimal, str]  # (kind local name, exact value, unit)


def implied(qualifiers: frozenset[str]) -> frozenset[str]:
    """The qualifiers with those they imply."""
    return qualifiers | {IMPLIED_QUALIFIERS[q] for q in qualifiers if q in IMPLIED_QUALIFIERS}


def normal_figure(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A figure in the form where equal figures are equal: days become hours (exactly 24)."""
    if unit == "days":
        value, unit = value * 24, "hours"
    return value.normalize(), unit


def _figures(figures: Iterable[Figure]) -> str:
    items = set()
    for kind, value, unit in figures:
        v, u = normal_figure(value, unit)
        items.add(f"{kind} {format(v, 'f')} {u}".strip())
    return ",".join(sorted(items))


@lru_cache(maxsize=65536)
def rule_signature(
    sanction: str,
    levels: frozenset[str],
    domains: frozenset[str],
    system_types: frozenset[str],
    qualifiers: frozenset[str],
    thresholds: tuple[Figure, ...],
    figures: tuple[Figure, ...],
) -> str:
    """The signature of a provision, from local names and exact figures."""
    return ";".join(
        (
            f"sanction={sanction}",
            f"levels={','.join(sorted(restricting(levels)))}",
            f"domains={','.join(sorted(canonical(domains)))}",
            f"types={','.join(sorted(canonical(restricting(system_types))))}",
            f"qualifiers={','.join(sorted(implied(qualifiers)))}",
            f"thresholds={_figures(thresholds)}",
            f"figures={_figures(figures)}",
        )
    )
