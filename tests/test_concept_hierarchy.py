"""The norm concepts' skos:broader hierarchy (issue 14): every link is between concepts of the
shared scheme, has its inverse skos:narrower and a `# why` line, stays inside one concept group
(the policy in ontology/concepts.ttl and docs/methodology.md), and the whole is acyclic. Its
effects: `crosswalk concept` brings the narrower concepts, and a comparison's gap findings say
where the lacking side regulates a broader or narrower concept instead (a partial match).

The links are the reviewed ones (docs/reviews/2026-12-03-concept-hierarchy.md): adding one means
reviewing it there, with its reason, and adding it here.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from crosswalk.graph.store import Store
from crosswalk.ontology import XW, XWC, reference_graph
from crosswalk.queries.compare import clear_cache, compare
from crosswalk.queries.who import narrower, who_regulates

ONTOLOGY = Path(__file__).parent.parent / "ontology"
DAY = date(2026, 12, 3)

REVIEWED = {
    ("DeepfakeDisclosure", "SyntheticContentLabelling"),
    ("AIGeneratedTextDisclosure", "SyntheticContentLabelling"),
    ("PublicComputeInfrastructure", "PublicInvestment"),
    ("TrainingDataRemuneration", "TrainingDataLawfulness"),  # added on the second reading
    # added by the audit curation (docs/reviews/2026-12-03-audit-curation.md)
    ("GoodFaithRemovalImmunity", "IllegalContentHandling"),
    ("PublicAIUseInventory", "PublicSystemStatement"),
    ("AITransparencyStatement", "PublicSystemStatement"),
    ("ExpressiveUseException", "LikenessRights"),
    # added for R6, narrower concepts (docs/reviews/2026-12-03-narrower-concepts.md)
    ("CentralAICoordinationBody", "GovernanceBody"),
    ("AIAdvisoryOrExpertBody", "GovernanceBody"),
    ("NationalAIOffice", "GovernanceBody"),
    ("NationalSecurityExclusion", "ScopeExclusion"),
    ("NonPublicServiceExclusion", "ScopeExclusion"),
    ("AuthorityDesignation", "SupervisoryAuthority"),
    ("InvestigationAndCorrectivePowers", "SupervisoryAuthority"),
    ("InternationalCooperationCommitment", "InternationalCooperation"),
    ("ForeignCooperationProcedure", "InternationalCooperation"),
    ("AIResearchFunding", "PublicInvestment"),
    ("AITalentDevelopment", "PublicInvestment"),
    ("PublicAIDataResources", "PublicInvestment"),
    ("AIBusinessIncentives", "PublicInvestment"),
    ("NationalAIPlatform", "PublicComputeInfrastructure"),
    ("SandboxEstablishment", "RegulatorySandbox"),
    ("SandboxParticipation", "RegulatorySandbox"),
    ("SandboxRegulatoryRelief", "RegulatorySandbox"),
    # the second reading of the audit resolution (docs/reviews/2026-12-03-audit-resolution-second-reading.md)
    ("OperatorGrievanceMechanism", "RemedyForHarm"),
    ("AccessibleSystems", "AccessibilityRequirements"),
    ("AccessibleInformation", "AccessibilityRequirements"),
    ("ExistingRemediesPreserved", "PrivateRightOfAction"),  # should-fix 3, session d
}


def _concept(g: Graph, node: Node) -> bool:
    return (node, SKOS.inScheme, XWC.NormConcepts) in g


def _local(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def _broader(g: Graph) -> set[tuple[URIRef, URIRef]]:
    """Every skos:broader link with a norm concept at either end (the vocabulary's own links,
    FrontierModel under GeneralPurposeModel, have none)."""
    return {
        (n, b)
        for n, b in g.subject_objects(SKOS.broader)
        if isinstance(n, URIRef) and isinstance(b, URIRef) and (_concept(g, n) or _concept(g, b))
    }


def test_every_link_joins_two_concepts_of_the_scheme() -> None:
    g = reference_graph()
    links = _broader(g)
    assert links, "the scheme has broader links"
    for n, b in links:
        assert _concept(g, n) and _concept(g, b), f"{_local(n)} -> {_local(b)} leaves the NormConcepts scheme"
        assert n != b


def test_the_links_are_the_reviewed_ones() -> None:
    assert {(_local(n), _local(b)) for n, b in _broader(reference_graph())} == REVIEWED


def test_broader_and_narrower_are_inverses() -> None:
    g = reference_graph()
    narrower_links = {(n, b) for b, n in g.subject_objects(SKOS.narrower) if _concept(g, n) or _concept(g, b)}
    assert narrower_links == _broader(g)


def test_the_hierarchy_is_acyclic() -> None:
    g = reference_graph()
    up: dict[URIRef, set[URIRef]] = {}
    for n, b in _broader(g):
        up.setdefault(n, set()).add(b)

    def reaches(start: URIRef) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = list(up.get(start, ()))
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(up.get(x, ()))
        return seen

    for c in up:
        assert c not in reaches(c), f"skos:broader cycle through {_local(c)}"


def test_no_link_crosses_concept_groups() -> None:
    # Policy (ontology/concepts.ttl, docs/methodology.md): coverage is declared per group, so a
    # broader concept and its narrower ones sit in one group; "no rule" on the broader concept
    # then also speaks for the narrower ones.
    g = reference_graph()
    for n, b in _broader(g):
        assert g.value(n, XW.inGroup) == g.value(b, XW.inGroup), f"{_local(n)} -> {_local(b)} crosses groups"


def test_every_link_says_why() -> None:
    # each statement with skos:broader in the concept files has a `# why:` comment right above it
    for path in sorted(ONTOLOGY.glob("concepts*.ttl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not line.lstrip().startswith("#") and re.search(r"\bskos:broader\b", line):
                assert i > 0 and lines[i - 1].startswith("# why: "), f"{path.name}:{i + 1} has no # why line"


def test_the_concept_view_lists_its_narrower_concepts(corpus: Store) -> None:
    # the narrower concepts, transitively (NationalAIPlatform is under PublicComputeInfrastructure)
    below = {
        "PublicComputeInfrastructure",
        "NationalAIPlatform",
        "AIResearchFunding",
        "AITalentDevelopment",
        "PublicAIDataResources",
        "AIBusinessIncentives",
    }
    assert narrower("PublicInvestment")[0] == "PublicInvestment" and set(narrower("PublicInvestment")[1:]) == below
    assert narrower("PublicComputeInfrastructure") == ("PublicComputeInfrastructure", "NationalAIPlatform")
    view = who_regulates(corpus, "PublicInvestment", DAY)
    assert view.concepts[0] == "PublicInvestment" and set(view.narrower) == below
    # Korea's AI Basic Act Art. 25 (AI data centres) is tagged only as public compute: it is
    # listed under public investment through the hierarchy
    kr = next(h for h in view.holdings if h.code == "KR")
    assert any(p.concept == "PublicComputeInfrastructure" and p.citation == "Art. 25" for p in kr.in_force)


def test_a_gap_on_public_compute_reads_the_broader_public_investment(corpus: Store) -> None:
    clear_cache()
    # Korea's AI Basic Act Art. 25 has the state build AI data centres; Viet Nam's AI Law has no
    # public-compute rule tagged, but funds a national AI database (Art. 17(2)) and supports the
    # AI ecosystem (Art. 20): the finding says so, and its kind does not change
    c = compare(corpus, ["KR", "VN"], DAY)
    f = next(f for f in c.findings if f.concept == "PublicComputeInfrastructure" and f.missing_side == "b")
    assert f.kind == "not-curated"
    assert any(r.startswith("partial match: VN regulates the broader concept Public investment") for r in f.reasons)
    assert {p.concept for p in f.related} == {"PublicInvestment"}
    # where the lacking side has only inherited law on the broader concept, the reason says whose
    c = compare(corpus, ["US-CA", "US-NY"], DAY)
    f = next(f for f in c.findings if f.concept == "PublicComputeInfrastructure" and f.missing_side == "b")
    assert any(r.startswith("partial match: US law binding US-NY regulates the broader concept") for r in f.reasons)
    assert {p.jurisdiction for p in f.related} == {"US"}
