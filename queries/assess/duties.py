"""Which provisions bind the organisation, for this system, in one market (docs/assess.md):

- binding law of the market (its own and what it inherits), in force or pending at the date;
- borne by a role the organisation holds there (common roles, as the comparison reads them);
- scoped to a corpus tier the system falls in, or named by the tier (`xw:dutyProvision`), or,
  with no tier scope and named by no tier, scoped to a domain the system serves (a broader
  product-category domain only where the profile states it) or a system type it has;
- a ban scoped to an unacceptable-risk tier only where it is the very practice the system is
  in (every Art. 5 practice carries the EU's "prohibited" tier tag);
- a provision governed by a compute or revenue threshold only where a tier of its instrument
  the system falls in passes that threshold (`xw:enablesThreshold`): the figures are the
  tiers' datatype restrictions, never compared here;
- the classification rules themselves (concept RiskClassification) are the tier's definition,
  shown with the tier, not listed as duties;
- none of an instrument a tier puts the system outside of (EU Art. 2(6)), and none that a claimed
  exemption lifts from the only role that brings it (EU Art. 2(10): a deployer's duties in purely
  personal use), by `exempt`. A prohibition is lifted that way only where the instrument confines
  its ban on use to the lifted role (`xw:liftsUseBan`: EU Art. 5(1a)(b) for points (ba) and (bb),
  "where the deployer uses the system"). Points (a)-(h) ban "the use" without naming the user;
  the better reading (Art. 2(1), 3(4)) is that they do not reach a purely personal user, but it
  is not settled here (the Commission's guidelines were not read), so they stay listed and the
  market says so in a note (tiers fourth reading M1, S6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crosswalk.graph.store import Rows, Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import local_name
from crosswalk.ontology.hierarchy import covered

from ..classify import Context, roles_overlap
from ..findings import Provision
from .model import TierHit
from .tiers import (
    Lift,
    corpus_tiers,
    duty_provisions,
    enabled_thresholds,
    excluded_instruments,
    models_apart,
    named_anywhere,
)

_GATED = frozenset({"ComputeThreshold", "RevenueThreshold"})
_DEFINITIONS = frozenset({"RiskClassification"})


def scope_tiers(store: Store, provisions: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each provision's tier scope (xw:scopeRiskTier), read with its level."""
    wanted = sorted(set(provisions))
    if not wanted:
        return {}
    values = " ".join(f"<{p}>" for p in wanted)
    rows = store.query(
        "PREFIX xw: <https://w3id.org/crosswalk/ontology#> "
        f"SELECT ?p ?tier ?level WHERE {{ VALUES ?p {{ {values} }} ?p xw:scopeRiskTier ?tier . "
        "OPTIONAL { ?tier xw:mapsToLevel ?level } }"
    )
    assert isinstance(rows, Rows)
    out: dict[str, set[str]] = {}
    for p, tier, level in rows.rows:
        out.setdefault(str(p), set()).add(str(tier))
        if str(level).endswith("#UnacceptableRisk"):
            out[str(p)].add("unacceptable:" + str(tier))
    return {k: frozenset(v) for k, v in out.items()}


def select(
    provisions: Sequence[Provision],
    tiers: Sequence[TierHit],
    roles: Sequence[str],
    domains: frozenset[str],
    system_types: frozenset[str],
    scopes: dict[str, frozenset[str]],
    ctx: Context,
    stated: frozenset[str] | None = None,
) -> list[Provision]:
    """The provisions that bind an organisation holding `roles` for a system in `tiers`.

    `domains` are the profile's domains with every broader one; `stated` (default: `domains`)
    leaves out the broader ones that are product categories (xw:dutiesOnlyWhenStated) unless
    the profile states them: a tier on regulated products places a medical device, but the
    Machinery Regulation's duties, tied to regulated products alone, are about machinery (tiers
    fourth reading S5, fifth reading M-A: public-sector duties still reach a ministry).

    A provision some tier names binds only through a tier that names it, on either path (fifth
    reading M-B: Art. 6(4) and 49(2), scoped to Annex III, bind only a provider relying on the
    derogation). Under an instrument that binds providers of systems and of models apart
    (xw:modelsApart: the EU AI Act), an organisation that only places a model is not bound by a
    tier-less provision through a broader role: Art. 4 binds "providers and deployers of AI
    systems" (fifth reading M-C); duties that name model providers, or any person, still do."""
    stated = domains if stated is None else stated
    held = frozenset(local_name(vocabulary().common_roles.iri(r)) for r in roles)
    model_only = held == frozenset({"ModelProvider"})
    in_tiers = frozenset().union(*(corpus_tiers(t.tier) for t in tiers)) if tiers else frozenset()
    named = frozenset().union(*(duty_provisions(t.tier) for t in tiers)) if tiers else frozenset()
    defining = frozenset(t.provision for t in tiers if t.provision)
    passed: dict[str, set[str]] = {}
    for t in tiers:
        instrument, kinds = enabled_thresholds(t.tier)
        # the tier's own instrument and those of the corpus tiers it stands for (Korea's Act
        # and Decree both scope provisions to the compute tier)
        for i in {instrument, *(c.split("/tier/")[0] for c in corpus_tiers(t.tier))}:
            passed.setdefault(i, set()).update(kinds)
    out = []
    for p in provisions:
        if not p.binding or p.concept in _DEFINITIONS or not roles_overlap(p.roles, held, ctx):
            continue
        scope = scopes.get(p.iri, frozenset())
        base = p.written  # a later phase of a provision answers to its own scope
        if p.domains and not p.domains & domains:
            continue
        gated = {k for k, _, _ in p.thresholds} & _GATED
        if gated and not gated <= passed.get(p.instrument, set()):
            continue
        if base in named_anywhere() and base not in named:
            continue  # named by a tier the system is not in
        if scope:
            tier_scope = {t for t in scope if not t.startswith("unacceptable:")}
            bans = {t.removeprefix("unacceptable:") for t in scope if t.startswith("unacceptable:")}
            if bans and tier_scope <= bans:
                if base in defining and tier_scope & in_tiers:
                    out.append(p)
                continue
            if tier_scope & in_tiers or base in named:
                out.append(p)
            continue
        if p.domains and not p.domains & stated:
            continue
        # a provision a tier names still binds only the system types its own scope names: Art.
        # 50(1) binds systems intended to interact with people, not every Art. 50 system (S9)
        types = p.system_types - {"AnyAISystem"}
        if types and not any(covered(t, types) for t in system_types):
            continue
        if base in named:
            out.append(p)
            continue
        if model_only and p.instrument in models_apart() and not _names_model_providers(p.roles, ctx):
            continue
        if p.domains or p.system_types:
            out.append(p)
    return out


def _names_model_providers(roles: frozenset[str], ctx: Context) -> bool:
    """Whether bearers `roles` name model providers themselves (or any person), not only a
    broader role such as the providers of AI systems."""
    return "AnyPerson" in roles or any("ModelProvider" in ctx.role_ancestors.get(r, frozenset({r})) for r in roles)


def exempt(
    provisions: Sequence[Provision],
    tiers: Sequence[TierHit],
    roles: Sequence[str],
    lifted: Sequence[Lift],
    ctx: Context,
) -> list[Provision]:
    """`provisions` without those of an instrument a tier excludes the system from, and without
    those that bind the organisation only through a role an exemption lifts for their instrument."""
    outside = frozenset().union(*(excluded_instruments(t.tier) for t in tiers)) if tiers else frozenset()
    out = []
    for p in provisions:
        if p.instrument in outside:
            continue
        if only_through_lifted(p, roles, lifted, ctx) and (
            p.modality != "prohibition" or any(p.written in x.bans for x in lifted)
        ):
            continue
        out.append(p)
    return out


def only_through_lifted(p: Provision, roles: Sequence[str], lifted: Sequence[Lift], ctx: Context) -> bool:
    """Whether `p` binds the organisation only through a role an exemption lifts for its instrument."""
    gone = {x.role for x in lifted if x.instrument == p.instrument}
    if not gone:
        return False
    rest = frozenset(local_name(vocabulary().common_roles.iri(r)) for r in roles if r not in gone)
    return not roles_overlap(p.roles, rest, ctx)
