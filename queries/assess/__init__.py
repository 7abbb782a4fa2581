"""Assessment: one AI system placed in several markets, classified by a real OWL reasoner
against each regime's tier definitions, with the duties that follow and a crosswalk of those
duties across the markets by the same verdict rules as `crosswalk compare` (docs/assess.md).

    profile ──classify (HermiT)──▶ tiers per market ──duties──▶ provisions per market
                                                              └─crosswalk──▶ verdicts per concept
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from functools import cache

from crosswalk.graph.errors import QueryError
from crosswalk.graph.profile import Profile
from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import XW, reference_graph

from ..classify import Context
from ..compare import context, in_force_many, pending_many
from ..findings import Provision
from .classify import classify, served_domains, tier_market
from .crosswalk import NOT_MODELLED, crosswalk, index, misalignment
from .duties import exempt, only_through_lifted, scope_tiers, select
from .model import Assessment, MarketAssessment, TierHit
from .tiers import Lift, defined_markets, duty_conditions, hits, lifts, stated_only_domains

__all__ = ["Assessment", "assess"]


@cache
def _ranks() -> dict[str, int]:
    """Each common risk level key with its rank on the common scale (xw:rank)."""
    g = reference_graph()
    return {key: int(str(g.value(iri, XW.rank))) for key, iri in vocabulary().risk_levels.members.items()}


def _level(tiers: Sequence[TierHit]) -> str:
    """The highest common level of the tiers; "unmapped" where none has one; "none" for no tier."""
    levels = [t.level for t in tiers if t.level]
    if levels:
        return max(levels, key=lambda k: (_ranks().get(k, 0), k))
    return "unmapped" if tiers else "none"


def _has(in_force: Sequence[Provision], pending: Sequence[Provision], instrument: str) -> bool:
    """Whether the market's law, in force or pending, includes the instrument."""
    return any(p.instrument == instrument for p in (*in_force, *pending))


def _by_later_tiers(
    in_force: Sequence[Provision],
    binding: Sequence[Provision],
    now: Sequence[TierHit],
    later: Sequence[TierHit],
    roles: Sequence[str],
    domains: frozenset[str],
    types: frozenset[str],
    scopes: dict[str, frozenset[str]],
    ctx: Context,
    stated: frozenset[str],
) -> list[Provision]:
    """Law already in force that binds this system only once a pending tier starts (Arts. 43(4),
    47, 48, 72 for an Annex I product from 2 Aug 2028; tiers fifth reading S-H): listed as
    coming, from the tier's start. Only duties that bind without a condition: a permission, or a
    duty with an xw:dutyCondition (real-world testing, Art. 61; a device's incident reports, Art.
    73(10)), is listed once the tier holds, with its condition (eighth reading, must-fixes 1-2)."""
    seen = {(p.iri, p.concept) for p in binding}
    conditional = duty_conditions()
    out = []
    for t in sorted(later, key=lambda t: (t.pending_from or date.max, t.key)):
        for p in select(in_force, [*now, t], roles, domains, types, scopes, ctx, stated):
            key = (p.iri, p.concept)
            if key in seen or t.pending_from is None or p.modality not in ("obligation", "prohibition"):
                continue
            if p.written in conditional:
                continue  # said with its condition once the tier holds
            seen.add(key)
            out.append(
                replace(
                    p, applies_from=t.pending_from.isoformat(), why_pending=f"binds this system once it is in {t.label}"
                )
            )
    return out


def _ban_notes(
    binding: Sequence[Provision],
    pending_duties: Sequence[Provision],
    duties: Sequence[Provision],
    coming: Sequence[Provision],
    roles: Sequence[str],
    lifted: Sequence[Lift],
    ctx: Context,
) -> list[str]:
    """What an exemption does to bans, in the tier file's words: a ban kept only through the role
    it lifts gets the better reading, not a decision (tiers fourth reading S6); a ban it lifts
    outright is said (M1)."""
    listed = {p.iri for p in (*duties, *coming)}
    notes = []
    for x in lifted:
        kept = sorted(
            {
                p.citation
                for p in (*duties, *coming)
                if p.modality == "prohibition"
                and p.instrument == x.instrument
                and only_through_lifted(p, roles, lifted, ctx)
            }
        )
        if kept and x.kept_note:
            notes.append(f"{', '.join(kept)} kept for the use of the system: {x.kept_note}")
        dropped = sorted(
            {
                p.citation
                for p in (*binding, *pending_duties)
                if p.modality == "prohibition" and p.iri not in listed and p.written in x.bans
            }
        )
        if dropped and x.lifted_note:
            notes.append(f"{', '.join(dropped)} not listed: {x.lifted_note}")
    return notes


def assess(
    store: Store,
    profile: Profile,
    as_of: date,
    markets: Sequence[str] | None = None,
    timeout: float = 30.0,
) -> Assessment:
    """Classify the system in each of its markets (or the `markets` named) at `as_of`, and
    gather the duties and the crosswalk."""
    chosen = list(profile.markets)
    if markets:
        unknown = [m for m in markets if m not in {x.code for x in profile.markets}]
        if unknown:
            raise QueryError(
                f"market {', '.join(unknown)} is not in the profile; it names {', '.join(m.code for m in chosen)}"
            )
        chosen = [m for m in chosen if m.code in markets]
    # The reasoner (a JVM of its own) runs while the store is read: neither needs the other.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reasoning = pool.submit(classify, profile, chosen, as_of, timeout)
        ctx = context()
        iri = vocabulary().jurisdictions.iri
        js = [iri(m.code) for m in chosen]
        in_force, pending = in_force_many(store, js, as_of), pending_many(store, js, as_of)
        scopes = scope_tiers(store, (p.iri for ps in (*in_force.values(), *pending.values()) for p in ps))
        result = reasoning.result()
    found = hits(result, as_of)
    domains, types = frozenset(served_domains(profile)), frozenset(profile.system_types)
    # a broader domain marked as a product category places tiers but brings no tier-less duties
    stated = domains - (stated_only_domains() - frozenset(profile.domains))
    defined = defined_markets()
    out = []
    for m, j in zip(chosen, js, strict=True):
        now, later = found[m.code]
        notes = []
        placed_in = tier_market(m.code)
        if placed_in not in defined:
            notes.append(f"ontology/tiers.ttl defines no tiers for {m.code}; duties are read by scope alone")
        elif placed_in != m.code:
            notes.append(
                f"{m.code} is placed by the tiers of {placed_in}, whose law binds there; "
                f"{m.code}'s own law adds the duties its scope tags reach"
            )
        level = _level(now) if placed_in in defined else NOT_MODELLED
        lifted = [x for x in lifts((*profile.exemptions, *m.exemptions)) if _has(in_force[j], pending[j], x.instrument)]
        for x in lifted:
            act = next(p.instrument_name() for p in (*in_force[j], *pending[j]) if p.instrument == x.instrument)
            notes.append(f"{x.article} ({x.label}): the {x.role}'s duties under the {act} are lifted")
        binding = select(in_force[j], now, m.roles, domains, types, scopes, ctx, stated)
        pending_duties = select(pending[j], [*now, *later], m.roles, domains, types, scopes, ctx, stated)
        pending_duties += _by_later_tiers(
            in_force[j], binding, now, later, m.roles, domains, types, scopes, ctx, stated
        )
        duties = exempt(binding, now, m.roles, lifted, ctx)
        coming = exempt(pending_duties, [*now, *later], m.roles, lifted, ctx)
        notes += _ban_notes(binding, pending_duties, duties, coming, m.roles, lifted, ctx)
        named = {p.written for p in (*duties, *coming)}
        conditions = tuple((iri, text) for iri, text in sorted(duty_conditions().items()) if iri in named)
        out.append(
            MarketAssessment(
                m.code, m.roles, tuple(now), tuple(later), tuple(duties), tuple(coming), level, tuple(notes), conditions
            )
        )
    rows = crosswalk(out, as_of, ctx)
    return Assessment(
        profile.id,
        profile.name,
        as_of,
        tuple(out),
        tuple(rows),
        index(out, as_of, ctx),
        misalignment(out),
        result.seconds,
    )
