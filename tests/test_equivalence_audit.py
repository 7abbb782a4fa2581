"""The rule changes of the 2026-12-03 equivalence audit (docs/reviews/2026-12-03-equivalence-audit.md),
each held to the legal reason a comparative lawyer gave. A lawyer read all 70 binding
"equivalent" findings of that day and could sign 11: 50 of the 59 others were institutional
concepts matched on an empty rule signature, three matched "any person" with the state's own
organs, and fines were "equal" with no ceiling curated on either side.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from crosswalk.graph.store import Store
from crosswalk.queries.compare import compare, context

DAY = date(2026, 12, 2)


def test_institutional_concepts_are_parallel_never_equivalent(corpus: Store) -> None:
    # The EU's AI Office, Board, advisory forum and scientific panel (AI Act Arts. 64, 65, 67,
    # 68) and Kazakhstan's Government and authorised body (AI Law Arts. 12, 13(1)) are all
    # "governance bodies", but a state's institutions are not rules two regimes can share: the
    # most a lawyer signs is "both provide for" them.
    # Since the narrower concepts (C1), the AI Office (Art. 64) and Kazakhstan's authorised body
    # (Art. 13(1)) are both national AI offices: "parallel"; the EU's Board, forum and panel
    # against Kazakhstan's Government are different bodies: divergent, and nobody "stricter".
    c = compare(corpus, ["EU", "KZ"], DAY)
    office = next(f for f in c.findings if f.concept == "NationalAIOffice")
    assert office.kind == "parallel" and office.institutional
    assert "both provide for it" in office.reasons[0] and "no equivalence is claimed" in office.reasons[0]
    body = next(f for f in c.findings if f.concept == "GovernanceBody")
    assert body.kind == "divergent" and body.stricter is None
    # nowhere in the curated G7 + Asia pairs is an institutional concept called equivalent
    institutional = context().institutional
    for a, b in combinations(["EU", "US", "GB", "JP", "KR", "CN", "KZ", "TW", "VN", "IT", "PE"], 2):
        found = compare(corpus, [a, b], DAY).findings
        assert not [f.concept for f in found if f.kind == "equivalent" and f.concept in institutional], (a, b)


def test_any_person_does_not_meet_the_states_own_organs(corpus: Store) -> None:
    # Italy's AI Law Art. 6 takes national-security and defence activity out of the law; it
    # addresses the state's own bodies. Tennessee's ELVIS Act 47-25-1107(a) lets any person rely
    # on fair-use defences against a likeness claim. "Any person" in a private-law statute is not
    # the addressee of a carve-out for the security apparatus: the two are not the same rule.
    c = compare(corpus, ["IT", "US-TN"], DAY)
    assert not [f for f in c.findings if f.concept == "ScopeExclusion" and f.kind == "equivalent"]
    assert not any(f.concept == "ScopeExclusion" for f in c.findings for _ in f.matched), (
        "Art. 6 and 47-25-1107(a) are matched as one rule"
    )


def test_fines_without_ceilings_are_not_equivalent(corpus: Store) -> None:
    # The TAKE IT DOWN Act Sec. 3(b) makes a platform's failure an FTC Act violation (civil
    # penalties under that Act); Viet Nam's AI Law Art. 29(1) sends breaches to administrative or
    # criminal sanctions in amounts a decree will set. Neither ceiling is curated: two unknown
    # amounts are not equal amounts, and the finding says why it cannot compare them.
    c = compare(corpus, ["US", "VN"], DAY)
    fines = next(f for f in c.findings if f.concept == "AdministrativeFines")
    assert fines.kind == "divergent" and fines.stricter is None
    assert any("no fine ceiling" in r and "cannot be compared" in r for r in fines.reasons), fines.reasons
    # where ceilings are curated on both sides, fines still compare by them: EU Art. 99 against
    # Korea's AI Basic Act Art. 43 (KRW 30 million) names the stricter side by the figure
    eu_kr = compare(corpus, ["EU", "KR"], DAY)
    both = next(f for f in eu_kr.findings if f.concept == "AdministrativeFines")
    assert both.kind == "divergent" and both.stricter == "EU"
    assert not any("cannot be compared" in r for r in both.reasons)


def test_a_stayed_duty_is_not_the_same_rule_as_an_enforced_one(corpus: Store) -> None:
    # Colorado's C.R.S. 6-1-1704 (tell consumers they are dealing with an AI system) reads like
    # Maine's 10 M.R.S. §1500-DD, but since 27 April 2026 a federal court's order (X.AI LLC v.
    # Weiser) stops Colorado's Attorney General from enforcing it: a negotiator told the two are
    # "equivalent" would be told something untrue of the law as it bites today (audit R3).
    c = compare(corpus, ["US-CO", "US-ME"], DAY)
    disclosure = next(f for f in c.findings if f.concept == "AIInteractionDisclosure")
    assert disclosure.kind == "divergent"
    assert any(
        "would match" in r and "enforcement is stopped" in r and "X.AI LLC v. Weiser" in r for r in disclosure.reasons
    )
    assert any("stricter on paper only" in r for r in disclosure.reasons), disclosure.reasons
    # the order stops the Attorney General, not whether private suits lie: Colorado's bar on
    # private suits (6-1-1706(6)) stays equal to Texas's (Bus. & Com. Code 552.101(b))
    co_tx = compare(corpus, ["US-CO", "US-TX"], DAY)
    suits = next(f for f in co_tx.findings if f.concept == "PrivateRightOfAction")
    assert suits.kind == "equivalent"
    # before the stay, the disclosure duties could still only differ by what the rules weigh;
    # the stay is what separates them now, so on 2026-04-26 no stay reason is given
    before = compare(corpus, ["US-CO", "US-ME"], date(2026, 4, 26))
    assert not [r for f in before.findings for r in f.reasons if "enforcement is stopped" in r]


def test_narrower_concepts_decide() -> None:
    # Two acts label AI-generated content. One of them (like EU AI Act Art. 50(4)) is tagged both
    # "synthetic content labelling" and the narrower "deepfake disclosure": it is a rule about
    # deepfakes. Under the broad concept it is not the same rule as a general labelling duty
    # with an identical signature; only a rule that is also about deepfakes matches it (the
    # audit's R6). Checked on a real store, in Python and in the SPARQL named query alike.
    from crosswalk.graph.model import Provision as Curated

    from .test_named_queries import _rows
    from .test_properties import V, rule_file, store_with

    def labelling(prefix: str, concepts: list[str]) -> Curated:
        return Curated(
            id=f"{prefix}-label",
            citation="Art. 1",
            modality=V.modalities.iri("obligation"),
            concepts=[V.concepts.iri(c) for c in concepts],
            bearer=["dev"],
            summary="Label AI-generated content.",
            applies_from=date(2025, 1, 1),
        )

    broad, deepfake = ["SyntheticContentLabelling"], ["SyntheticContentLabelling", "DeepfakeDisclosure"]
    for tags_a, tags_b, same in ((deepfake, broad, False), (deepfake, deepfake, True), (broad, broad, True)):
        store = store_with(
            rule_file("act-a", "GB", [labelling("a", tags_a)]), rule_file("act-b", "CA", [labelling("b", tags_b)])
        )
        found = next(f for f in compare(store, ["GB", "CA"], DAY).findings if f.concept == "SyntheticContentLabelling")
        assert (found.kind == "equivalent") == same, (tags_a, tags_b, found.kind)
        rows = _rows(store, "concept-verdicts", "GB", "CA", DAY.isoformat())
        sparql = {_local(r["concept"]): str(r["verdict"]) for r in rows}
        assert sparql["SyntheticContentLabelling"] == found.kind, (tags_a, tags_b)


def _local(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def test_no_stricter_side_without_binding_force_or_on_institutions(corpus: Store) -> None:
    # "Stricter" needs binding force, and is not said of what a state sets up for itself (the
    # second reading of the audit resolution, must-fix 3). The UK white paper's contestability
    # principle and India's call for an operator grievance desk are both recommendations: one
    # may go further, neither is stricter. On sandbox relief a duty to grant relief is not a
    # stricter rule than a power to grant it.
    gb_in = compare(corpus, ["GB", "IN"], DAY)
    remedy = next(f for f in gb_in.findings if f.concept == "RemedyForHarm")
    assert remedy.kind == "divergent" and remedy.stricter is None
    assert remedy.reasons[0] == "neither side binds, so neither is stricter"
    assert not [r for r in remedy.reasons if " stricter:" in r]
    institutional = context().institutional
    for a, b in (("US-TX", "US-UT"), ("EU", "GB"), ("IT", "PE"), ("US-UT", "EU")):
        for f in compare(corpus, [a, b], DAY).findings:
            if f.concept in institutional:
                assert f.stricter is None, (a, b, f.concept, f.reasons)


def test_accessible_notices_are_not_accessible_systems(corpus: Store) -> None:
    # AI Act Art. 16(l) makes providers' high-risk systems meet the accessibility requirements of
    # Directives 2016/2102 and 2019/882; Colorado's C.R.S. 6-1-1704(8) (as reenacted) makes the
    # Part 17 notices reasonably accessible. Without the stay they would have matched on every
    # compared attribute; they are different duties (must-fix 2).
    later = compare(corpus, ["EU", "US-CO"], date(2028, 8, 3))
    access = next(f for f in later.findings if f.concept == "AccessibilityRequirements")
    assert access.kind == "divergent" and not access.matched
    assert not [r for r in access.reasons if "would match" in r], access.reasons


# ---------------------------------------------------------------- session d: the second reading's should-fixes


def test_agreement_at_principle_level_is_aligned_never_equivalent(corpus: Store) -> None:
    # Should-fix 5: a reader scanning a table saw "equivalent" for two texts that only state one
    # principle. OECD Principle 1.3 and UNESCO's transparency principle (Sec. III.2) are each one
    # non-binding commitment to transparency: they agree at principle level, no more. Peru's and
    # Viet Nam's AI laws both state accountability as binding law: still principle level only,
    # since how each gives effect to it is not compared.
    c = compare(corpus, ["OECD", "UNESCO"], DAY)
    f = next(f for f in c.findings if f.concept == "PrincipleTransparency")
    assert f.kind == "aligned" and f.reasons[0].startswith("at principle level only"), (f.kind, f.reasons)
    principles = {c for c, g in context().concept_group.items() if g == "principles"}
    for a, b in [("OECD", "UNESCO"), ("PE", "VN"), ("IT", "PE"), ("OECD", "SG"), ("GB", "IN")]:
        for f in compare(corpus, [a, b], DAY).findings:
            if f.kind == "equivalent":
                assert f.concept not in principles, (a, b, f.concept)
                assert all(p.binding for p in (*f.a, *f.b)), (a, b, f.concept)
            if f.kind == "aligned":
                assert "at principle level only" in f.reasons[0] and not any(" = " in r for r in f.reasons)


def test_two_recommendations_on_one_topic_are_not_the_same_recommendation(corpus: Store) -> None:
    # Should-fix 6: OECD 1.5(a)-(b) asks for traceability, Singapore's operations management
    # bundles lineage, reproducibility and auditability. Both recommend record keeping; "the same
    # recommendation" overstated it.
    for f in compare(corpus, ["OECD", "SG"], DAY).findings:
        assert not any("the same recommendation" in r for r in f.reasons), f.reasons


def test_a_recommendation_addresses_and_recommends_it_never_binds_or_imposes(corpus: Store) -> None:
    # Should-fix 11: the G7 Code and the OECD Principles bind nobody. OECD 1.3(ii) recommends
    # telling people they interact with AI; G7 Action 7 presents it as permitted practice.
    # G7's Code states no accountability principle (it curates Actions 8 and 9 and its values as
    # principles), but it may address accountability as practice (Action 3's reports).
    c = compare(corpus, ["OECD", "G7"], DAY)
    reasons = [r for f in c.findings for r in f.reasons]
    assert not [r for r in reasons if " binds " in r or "imposes a duty" in r or "binds more" in r], reasons
    assert any("OECD addresses operators" in r for r in reasons)
    disclosure = next(f for f in c.findings if f.concept == "AIInteractionDisclosure")
    assert any("it recommends a duty" in r for r in disclosure.reasons), disclosure.reasons
    gap = next(f for f in c.findings if f.concept == "PrincipleAccountability")
    assert gap.kind == "gap" and gap.reasons[0].startswith("G7 states no such principle"), gap.reasons


def test_what_narrower_concepts_differ_and_what_both_cover_is_said(corpus: Store) -> None:
    # Should-fix 13: Texas's § 553.051 sets up a sandbox and grants relief in one section; Utah
    # splits them (13-72-301 the learning laboratory, 13-72-401 the mitigation agreements). Not
    # the same rule, but a list of "only" rows read as "nothing in common": the finding now says
    # what only Texas's section is about, and what both sides' rules cover.
    c = compare(corpus, ["US-TX", "US-UT"], DAY)
    f = next(f for f in c.findings if f.concept == "RegulatorySandbox")
    assert any("only US-TX's is about regulatory relief" in r for r in f.reasons), f.reasons
    assert any(r.startswith("under the concept both sides' rules are about") for r in f.reasons), f.reasons


def test_retags_of_the_second_reading(corpus: Store) -> None:
    # Should-fix 4: India's Sutra 1 states trust; its accountability and transparency are Sutras 5
    # and 6. Should-fix 7: UNESCO's Policy Area 5 is a policy action on environmental impact, not
    # the sustainability principle that OECD 1.1 and India's Sutra 7 state.
    c = compare(corpus, ["OECD", "IN"], DAY)
    for f in c.findings:
        if f.concept in ("PrincipleAccountability", "PrincipleTransparency"):
            assert not [p for p in f.b if "Sutra 1" in p.citation], f.concept
    sustainability = next(
        f for f in compare(corpus, ["OECD", "UNESCO"], DAY).findings if f.concept == "PrincipleSustainability"
    )
    assert not [p for p in sustainability.b if "Policy Area 5" in p.citation]


def test_inherited_law_is_cited_as_the_makers_law(corpus: Store) -> None:
    # Should-fix 9: "EU AI Act Art. 85 (IT)" read as Italian law. Art. 85's right to complain to a
    # market surveillance authority binds in Italy as EU law; Peru's Regulation Art. 36 is Peru's.
    c = compare(corpus, ["IT", "PE"], DAY)
    f = next(f for f in c.findings if f.concept == "RightToComplain")
    assert any("EU AI Act Art. 85 (EU law, binding in IT) = " in r for r in f.reasons), f.reasons
