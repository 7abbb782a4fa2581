"""Reading the classified result: SPARQL over the reasoner's output gives each placement's
tiers with their articles (queries/parts/assess-tiers.rq); a tier that holds at a later start
date but not at the assessment date is pending from that date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rdflib import RDFS, URIRef

from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import XW, local_name
from crosswalk.ontology.tiers import keyed, tiers_graph

from .classify import Classified
from .model import TierHit


@cache
def _query() -> str:
    return (Path(__file__).parent.parent / "parts" / "assess-tiers.rq").read_text(encoding="utf-8")


@cache
def _level_keys() -> dict[str, str]:
    return {str(iri): key for key, iri in vocabulary().risk_levels.members.items()}


def hits(result: Classified, as_of: date) -> dict[str, tuple[list[TierHit], list[TierHit]]]:
    """Per market: the tiers that hold at `as_of`, and those pending (with the date from which)."""
    on = {str(p.iri): p for p in result.placements}
    rows = result.graph.query(_query())
    now: dict[str, dict[str, TierHit]] = {p.market: {} for p in result.placements}
    later: dict[str, dict[str, TierHit]] = {p.market: {} for p in result.placements}
    for placement, tier, label, article, provision, level, caveat in rows:  # type: ignore[misc]
        p = on[str(placement)]
        hit = TierHit(
            str(tier),
            local_name(tier),
            str(label),
            p.market,
            str(article),
            str(provision) if provision is not None else None,
            _level_keys().get(str(level)) if level is not None else None,
            str(caveat) if caveat is not None else None,
        )
        if p.on == as_of:
            now[p.market][hit.tier] = hit
        else:
            known = later[p.market].get(hit.tier)
            if known is None or (known.pending_from is not None and p.on < known.pending_from):
                later[p.market][hit.tier] = TierHit(**{**hit.__dict__, "pending_from": p.on})
    return {
        m: (
            sorted(now[m].values(), key=lambda h: h.key),
            sorted((h for t, h in later[m].items() if t not in now[m]), key=lambda h: (h.pending_from, h.key)),
        )
        for m in now
    }


def corpus_tiers(tier: str) -> frozenset[str]:
    """The instrument tiers (…/id/<instrument>/tier/<id>) a tier class stands for."""
    return frozenset(str(o) for o in tiers_graph().objects(URIRef(tier), XW.tierCorpusTier))


def duty_provisions(tier: str) -> frozenset[str]:
    """Provisions that bind placements in the tier beside those scoped to its corpus tiers."""
    return frozenset(str(o) for o in tiers_graph().objects(URIRef(tier), XW.dutyProvision))


@cache
def named_anywhere() -> frozenset[str]:
    """Provisions some tier names (xw:dutyProvision): they bind only through a tier that names
    them, never through a system type alone (tiers fourth reading M2: Art. 50(2) binds providers
    of AI systems, not a provider that places only a model)."""
    return frozenset(str(o) for o in tiers_graph().objects(None, XW.dutyProvision))


@cache
def stated_only_domains() -> frozenset[str]:
    """Domains (local names) whose tier-less duties reach only a profile that states them
    (xw:dutiesOnlyWhenStated: regulated products, each with its own law)."""
    return frozenset(local_name(s) for s in tiers_graph().subjects(XW.dutiesOnlyWhenStated, None))


@cache
def models_apart() -> frozenset[str]:
    """Instruments that bind providers of AI systems and of models apart (xw:modelsApart)."""
    return frozenset(str(s) for s in tiers_graph().subjects(XW.modelsApart, None))


@cache
def duty_conditions() -> dict[str, str]:
    """Provision IRI → the condition under which it binds a system in its tier (xw:dutyCondition)."""
    return {str(s): str(o) for s, o in tiers_graph().subject_objects(XW.dutyCondition)}


def enabled_thresholds(tier: str) -> tuple[str, frozenset[str]]:
    """The tier's instrument and the threshold kinds (local names) its placements pass."""
    g = tiers_graph()
    instrument = str(g.value(URIRef(tier), XW.tierInstrument))
    return instrument, frozenset(local_name(o) for o in g.objects(URIRef(tier), XW.enablesThreshold))


def excluded_instruments(tier: str) -> frozenset[str]:
    """Instruments a placement in the tier is outside of (EU Art. 2(6): research only)."""
    return frozenset(str(o) for o in tiers_graph().objects(URIRef(tier), XW.excludesInstrument))


@dataclass(frozen=True)
class Lift:
    """An exemption that lifts one instrument's duties on one role (EU Art. 2(10))."""

    key: str  # the exemption's profile key
    instrument: str  # instrument IRI
    role: str  # common role key
    article: str
    label: str
    bans: frozenset[str] = frozenset()  # prohibitions whose use limb binds only this role (xw:liftsUseBan)
    lifted_note: str = ""  # why those bans are not listed (xw:liftedBanNote)
    kept_note: str = ""  # what is known of a ban kept only through this role (xw:keptBanNote)


def lifts(exemptions: Iterable[str]) -> list[Lift]:
    """What each claimed exemption lifts, where the tier file says it lifts a role's duties
    (xw:exemptsRole); exemptions that act on classification instead (Art. 6(3), Art. 2(6))
    lift nothing here."""
    g = tiers_graph()
    members = keyed(XW.Exemption)
    out = []
    for key in dict.fromkeys(exemptions):
        node = members.get(key)
        for role in g.objects(node, XW.exemptsRole) if node is not None else ():
            out.append(
                Lift(
                    key,
                    str(g.value(node, XW.exemptionInstrument)),
                    str(g.value(role, XW.key)),
                    str(g.value(node, XW.exemptionArticle)),
                    str(g.value(node, RDFS.label)),
                    frozenset(str(b) for b in g.objects(node, XW.liftsUseBan)),
                    str(g.value(node, XW.liftedBanNote) or ""),
                    str(g.value(node, XW.keptBanNote) or ""),
                )
            )
    return out


def defined_markets() -> frozenset[str]:
    """Markets with tier definitions in ontology/tiers.ttl."""
    codes = {str(v): k for k, v in vocabulary().jurisdictions.members.items()}
    return frozenset(codes[str(j)] for j in tiers_graph().objects(None, XW.tierJurisdiction) if str(j) in codes)


def definitions() -> list[dict[str, object]]:
    """Every tier definition as data: what `crosswalk tiers` and `GET /assess/tiers` show."""
    from rdflib import OWL, RDFS
    from rdflib.collection import Collection

    from crosswalk.ontology.tiers import tier_classes

    from .classify import _restrictions

    g = tiers_graph()
    codes = {str(v): k for k, v in vocabulary().jurisdictions.members.items()}
    out: list[dict[str, object]] = []
    for tier in tier_classes():
        facets: dict[str, str] = {}
        for r in _restrictions(g, tier):
            prop, datatype = local_name(g.value(r, OWL.onProperty)), g.value(r, OWL.someValuesFrom)
            if datatype is None:
                continue  # a hasValue restriction: no facets
            for lst in g.objects(datatype, OWL.withRestrictions):
                for facet in Collection(g, lst):
                    for kind, value in g.predicate_objects(facet):
                        facets[f"{prop} {local_name(kind)}"] = str(value)
        level = g.value(tier, XW.tierLevel)
        out.append(
            {
                "tier": str(tier),
                "key": local_name(tier),
                "label": str(g.value(tier, RDFS.label)),
                "jurisdiction": codes.get(str(g.value(tier, XW.tierJurisdiction)), ""),
                "article": str(g.value(tier, XW.tierArticle)),
                "provision": str(p) if (p := g.value(tier, XW.tierProvision)) else None,
                "corpus_tiers": sorted(corpus_tiers(str(tier))),
                "level": _level_keys().get(str(level)) if level is not None else None,
                "applies_from": facets.get("assessedOn minInclusive", "")[:10] or None,
                "applies_until": facets.get("assessedOn maxInclusive", "")[:10] or None,
                "thresholds": {k: v for k, v in facets.items() if not k.startswith("assessedOn")},
                "caveat": str(c) if (c := g.value(tier, XW.tierCaveat)) else None,
            }
        )
    return sorted(out, key=lambda d: (str(d["jurisdiction"]), str(d["key"])))
