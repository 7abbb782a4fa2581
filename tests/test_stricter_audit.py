"""The stricter audit of 2026-12-03 (docs/reviews/2026-12-03-stricter-audit.md): a comparative
lawyer read 15 one-sided "stricter" findings, signed every "divergent" but only 5 of the named
sides. Each test holds one of the audit's cases to the lawyer's reason."""

from __future__ import annotations

from datetime import date

import pytest

from crosswalk.graph.store import Store
from crosswalk.queries.compare import compare
from crosswalk.queries.findings import Finding

DAY = date(2026, 12, 3)


def _finding(store: Store, a: str, b: str, concept: str) -> Finding:
    return next(f for f in compare(store, [a, b], DAY).findings if f.concept == concept and f.kind == "divergent")


# Must-fix 1: a state's duty to itself never makes a side stricter, at any step.
@pytest.mark.parametrize(
    ("a", "b", "concept", "why"),
    [
        # Taiwan's AI Basic Act Art. 4 tells the Government to follow principles in promoting AI;
        # NIST's AI RMF is voluntary: neither binds those the rules govern
        ("TW", "US", "PrincipleTransparency", "Taiwan's Art. 4 binds its Government only"),
        # Italy's Art. 24 delegates to its Government; Texas's § 552.105(e) is a relief for the
        # governed: neither is a stricter rule on anyone
        ("US-TX", "IT", "LiabilityAllocation", "a delegation and a relief"),
        # Texas's 60-day notice to cure (§ 552.104) binds the Attorney General, and is a relief
        ("US-CO", "US-TX", "ComplianceSafeHarbour", "a cure period is a relief, not severity"),
        # Kazakhstan's Art. 19(1) lists of trusted systems bind its state bodies (the audit's
        # reason); the EU's Art. 60 real-world-testing registration binds providers, but what it
        # registers is not what Kazakhstan lists
        ("EU", "KZ", "Registration", "state bodies' lists against providers' testing plans"),
        # Peru's Art. 30 binds public entities, OMB M-25-21 federal agencies; Peru's Art. 32.3 binds
        # only a developer that opted into the voluntary assessment of Art. 32.1 (must-fix 4)
        ("PE", "US", "ImpactAssessment", "two states' own-government duties"),
        ("KR", "US", "PublicProcurementOfAI", "two states' own procurement"),
        # Canada's Directive on Automated Decision-Making and Australia's DTA policy bind their
        # own government institutions (tagged PublicSector), as OMB M-25-21 binds federal
        # agencies (session-e second reading, must-fix A)
        ("CA", "US-CO", "DeployerHumanOversight", "two governments' own-use rules"),
        ("AU", "PE", "ImpactAssessment", "two governments' own-use rules"),
        ("CA", "KR", "PublicProcurementOfAI", "two states' own procurement"),
    ],
)
def test_no_side_where_a_state_binds_only_itself(corpus: Store, a: str, b: str, concept: str, why: str) -> None:
    f = _finding(corpus, a, b, concept)
    assert f.stricter is None, (why, f.reasons)


def test_peru_opt_in_duty_does_not_vote_on_bearers(corpus: Store) -> None:
    # Must-fix 4: Peru's Art. 32.3 binds only a developer that carried out the voluntary
    # Art. 32.1 assessment; it does not make Peru "bind more parties".
    f = _finding(corpus, "PE", "US", "ImpactAssessment")
    assert not any("binds more parties" in r for r in f.reasons), f.reasons


def test_binding_law_on_the_governed_still_wins_against_guidance(corpus: Store) -> None:
    # California's AI Transparency Act (Bus. & Prof. Code 22757.2(a), 22757.3(a)) binds covered
    # providers; NIST's Generative AI Profile is voluntary: California is stricter.
    f = _finding(corpus, "US-CA", "US", "ContentProvenance")
    assert f.stricter == "US-CA"
    assert any(r.startswith("US-CA stricter: binding law") for r in f.reasons)


@pytest.mark.parametrize(
    ("a", "b", "concept", "side"),
    [
        # Kazakhstan's Art. 18(2) binds owners and possessors of systems; OMB M-25-21 Sec. 4(a)
        # binds federal agencies only (must-fix 2: not "reaches more widely")
        ("KZ", "US", "CorrectiveAction", "KZ"),
        # Korea's Art. 34(1)(iv) binds high-impact operators; the OMB memo inherited by Colorado
        # binds federal agencies
        ("US-CO", "KR", "DeployerHumanOversight", "KR"),
    ],
)
def test_duties_on_the_governed_outrank_the_states_own(corpus: Store, a: str, b: str, concept: str, side: str) -> None:
    f = _finding(corpus, a, b, concept)
    assert f.stricter == side
    assert any(r.startswith(f"{side} stricter: its duties bind those the rules govern") for r in f.reasons)
    assert not any("reaches more widely" in r for r in f.reasons)


def test_inherited_own_government_law_says_whose_bodies_it_binds(corpus: Store) -> None:
    # Must-fix 5: OMB M-25-21 Sec. 4(b)(v) is cited for US-CO because US federal law binds there,
    # but it binds US federal agencies, not Colorado's government; Taiwan's guidelines bind no one.
    f = _finding(corpus, "US-CO", "TW", "DeployerHumanOversight")
    assert f.stricter is None
    line = next(r for r in f.reasons if "binds only" in r)
    assert "the US government's own bodies (US law, binding in US-CO)" in line, line
    assert "its own government" not in line
    # and the "only" line says whose law the memo is (session-e second reading, should-fix 1)
    assert "US-CO only: OMB M-25-21 Sec. 4(b)(v) (US law, binding in US-CO)" in f.reasons
    kr = _finding(corpus, "US-CO", "KR", "DeployerHumanOversight")
    assert any("bind only the US government's own bodies (US law, binding in US-CO)" in r for r in kr.reasons)


def test_authority_powers_are_not_permissions_against_a_duty(corpus: Store) -> None:
    # Must-fix 3: Texas's Attorney General may demand information (§ 552.103), a power, which
    # implies a duty of the governed; the EU's Art. 91 duty is not "stricter" against it.
    f = _finding(corpus, "US-TX", "IT", "InformationToAuthorities")
    assert f.stricter is None
    assert any("hold powers" in r and "no common measure" in r for r in f.reasons), f.reasons


def test_fines_are_ranked_on_ceilings_alone(corpus: Store) -> None:
    # Must-fix 3: New York's side has no ceiling curated (the federal TAKE IT DOWN Act leaves
    # penalties to the FTC Act): the amounts cannot be compared, and no side is named.
    ny = _finding(corpus, "US-NY", "IT", "AdministrativeFines")
    assert ny.stricter is None
    assert any("the amounts cannot be compared" in r for r in ny.reasons)
    # and the missing ceiling is a gap in the data, not New York law setting none (session-e
    # second reading, T13)
    assert any(r.endswith("; none curated for US-NY") for r in ny.reasons), ny.reasons
    assert not any("sets none" in r for r in ny.reasons)
    # The EU's ceilings (up to EUR 35 million or 7 % of turnover, Art. 99(3)) are far above
    # Texas's (USD 12,000-200,000 per violation, § 552.105(a)), converted at the ECB rate.
    tx = _finding(corpus, "EU", "US-TX", "AdministrativeFines")
    assert tx.stricter == "EU"
    assert [r for r in tx.reasons if r.startswith("EU stricter")] == [
        next(r for r in tx.reasons if r.startswith("EU stricter: fine ceiling"))
    ], "only the ceilings vote"


def test_a_sanction_applied_by_reference_does_not_vote(corpus: Store) -> None:
    # Must-fix 6: China's Generative AI Measures Art. 21 applies the penalties of other laws
    # first; its sanction is not curated, so the EU's administrative fines are not weighed
    # against "corrective orders only".
    f = _finding(corpus, "EU", "CN", "SexualAbuseContentGeneration")
    assert any("sanction not curated for China Generative AI Interim Measures Art. 4(1)" in r for r in f.reasons)
    assert not any("its duties are backed by" in r for r in f.reasons), f.reasons


def test_china_binds_every_user_of_a_generative_service(corpus: Store) -> None:
    # Session-e second reading, T15 (audit should-fix 3), and the session-f China users reading,
    # M1: EU-CN on CSAM and non-consensual intimate content is not "EU stricter". The EU's Art.
    # 5(1)(ba)-(bb) reach any AI system; China's Art. 4(1) only generative services offered to the
    # public, but it bars all obscene content, text included, whoever it depicts and whether or
    # not they consented (qualifier wider-object), and it binds providers *and users*: a user
    # (使用者, Art. 22(3)) is any organisation or individual using the service to generate
    # content, personal use included, where the EU's deployer excludes it (Art. 3(4)). The reach
    # intersects, and each side is stricter somewhere.
    f = _finding(corpus, "EU", "CN", "SexualAbuseContentGeneration")
    assert (f.stricter, f.relation) == ("mixed", "intersects"), f.reasons
    assert any(r.startswith("EU stricter: reaches cases CN's rules do not") for r in f.reasons), f.reasons
    assert any(r.startswith("CN stricter: reaches cases EU's rules do not; binds more parties") for r in f.reasons)
    assert not any("subset" in r or "superset" in r for r in f.reasons), f.reasons
    # the same against the EU law Italy inherits, and against the UK's offences (follow-ups S7)
    for a, b in (("CN", "IT"), ("CN", "GB")):
        g = _finding(corpus, a, b, "SexualAbuseContentGeneration")
        assert (g.stricter, g.relation) == ("mixed", "intersects"), (a, b, g.reasons)


def test_a_binding_permission_is_no_stricter_than_guidance(corpus: Store) -> None:
    # Session-e second reading, must-fix B: EO 14409 Sec. 3(b) sets up a voluntary pre-release
    # access framework, a permission; against the G7 Code of Conduct it binds no one to anything.
    f = _finding(corpus, "US", "G7", "ModelEvaluation")
    assert f.stricter is None
    assert any(
        r.startswith("US's binding text here imposes no duty on those the rules govern (EO 14409 Sec. 3(b))")
        for r in f.reasons
    ), f.reasons
    # inherited by a state, it says whose law it is (sixth reading, should-fix 2)
    co = _finding(corpus, "US-CO", "G7", "SystemicRiskMitigation")
    assert any("(EO 14409 Sec. 3(b) (US law, binding in US-CO))" in r for r in co.reasons), co.reasons


def test_principle_findings_rank_nothing_and_codes_of_conduct_are_not_principles(corpus: Store) -> None:
    # Session-e second reading, E and F: no "goes further", reach or bearer lines on a principle
    # (Korea's Art. 3(2) names no bearer; the bearers are the curator's reading). D: Korea's
    # Art. 28 lets bodies set up ethics committees, a permission, not a principle.
    kr_tw = _finding(corpus, "KR", "TW", "PrincipleTransparency")
    assert kr_tw.stricter is None
    assert not any(r.startswith("differs:") or "goes further" in r for r in kr_tw.reasons), kr_tw.reasons
    codes = _finding(corpus, "G7", "KR", "VoluntaryCodesOfConduct")
    assert not any("principle" in r for r in codes.reasons), codes.reasons


def test_a_principle_in_a_statute_is_not_ranked(corpus: Store) -> None:
    # Should-fix 2: Korea's AI Basic Act Art. 3(2) states transparency as a basic principle;
    # NIST's AI RMF recommends it. Binding in form, a principle sets no measurable duty: said at
    # principle level, no side named.
    f = _finding(corpus, "US", "KR", "PrincipleTransparency")
    assert f.stricter is None
    assert any(
        r.startswith("KR states the principle in binding law (Korea AI Basic Act Art. 3(2)); US recommends it")
        for r in f.reasons
    ), f.reasons
    assert not any(" stricter:" in r for r in f.reasons)


def test_stricter_on_paper_only_shows_beside_the_side(corpus: Store) -> None:
    # Should-fix 1: Colorado's impact assessment (C.R.S. 6-1-1703(3), SB 24-205 text) is stricter
    # than anything Texas has, but the Attorney General may not enforce it while X.AI LLC v.
    # Weiser is pending: the column says so, not only the reasons.
    f = _finding(corpus, "US-CO", "US-TX", "ImpactAssessment")
    assert (f.stricter, f.stricter_note) == ("US-CO", "on paper only")
    assert f.to_dict()["stricter_note"] == "on paper only"
    from crosswalk.queries.diff import _say

    assert _say(f, compare(corpus, ["US-CO", "US-TX"], DAY)) == "divergent (US-CO stricter, on paper only)"
    # a side whose duties are enforced carries no note
    assert _finding(corpus, "US-CA", "US", "ContentProvenance").stricter_note is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # China's Generative AI Measures Art. 9 holds providers liable as producers of online
        # content; Texas's § 552.105(e)(1) spares a defendant where another person misuses the
        # system. One lays a burden on providers, the other lifts one: a duty against a defence
        # ranks nothing.
        ("CN", "US-TX"),
        # Utah Code 13-77-102 bars a supplier from blaming generative AI for a consumer-protection
        # breach; China's Art. 9 holds providers liable as content producers: who answers
        # differs, and neither is the stricter allocation
        ("CN", "US-UT"),
    ],
)
def test_liability_allocation_is_not_ranked(corpus: Store, a: str, b: str) -> None:
    # Should-fix 6: on relief and allocation concepts (xw:ReliefConcept) no side is named; the
    # head says why in the concept's own words (xw:unrankedBecause), which for liability is not
    # "relief" (session-f relief reading, M1); 25 findings over 26 jurisdictions had a side.
    f = _finding(corpus, a, b, "LiabilityAllocation")
    assert f.stricter is None
    assert f.reasons[0].startswith("an allocation of liability decides who answers"), f.reasons
    assert not any(" stricter:" in r or "goes further" in r or "lightens" in r for r in f.reasons), f.reasons


def test_a_defence_is_said_as_a_difference(corpus: Store) -> None:
    f = _finding(corpus, "CN", "US-TX", "LiabilityAllocation")
    assert any(
        r.startswith("on CN's side: it imposes a duty (China Generative AI Interim Measures Art. 9) where US-TX")
        for r in f.reasons
    ), f.reasons
    harbour = _finding(corpus, "US-CO", "US-TX", "ComplianceSafeHarbour")
    assert harbour.stricter is None
    assert harbour.reasons[0].startswith("a safe harbour, presumption or defence lightens the rules"), harbour.reasons


def test_a_figure_held_in_a_provision_not_weighed_is_said_so(corpus: Store) -> None:
    # Session-f relief reading, M2: the EU's GPAI Code of Practice (voluntary) sets 14 and 28
    # days under SystemicRiskMitigation beside the AI Act's binding duties; the line is not
    # "none curated for EU" but says where the EU's figure is.
    f = _finding(corpus, "EU", "US", "SystemicRiskMitigation")
    lines = [r for r in f.reasons if "none curated for EU" in r or "EU sets" in r]
    assert lines and not any("none curated for EU" in r for r in lines), f.reasons
    assert any("only in provisions not weighed here" in r for r in lines), lines


def test_guidance_addresses_but_does_not_bind(corpus: Store) -> None:
    # Two recommendations, one addressed to AI providers (the EU's GPAI Code of Practice,
    # copyright chapter, Measure 1.2) and one to India's own regulators (India AI Governance
    # Guidelines Part 2): the first goes further, but neither's "duties bind" anyone.
    f = _finding(corpus, "EU", "IN", "TrainingDataLawfulness")
    assert f.stricter is None
    assert any(r.startswith("EU goes further: its recommendations address those the rules govern") for r in f.reasons)
    assert not any("bind those the rules govern" in r for r in f.reasons), f.reasons


def test_an_effort_duty_and_the_rules_of_an_optional_assessment(corpus: Store) -> None:
    # Session-f best-efforts reading. Korea's Art. 35(1) asks operators only to endeavour to
    # assess impact; its second sentence and Decree Art. 28 say what an assessment must hold,
    # which binds only an operator who makes one (opt-in, M1). California's regulations require
    # the risk assessment: US-CA is stricter, on that reason alone.
    ca = _finding(corpus, "US-CA", "KR", "ImpactAssessment")
    assert ca.stricter == "US-CA", ca.reasons
    assert (
        ca.reasons[0].startswith("US-CA stricter: it imposes a duty") and "KR requires only an effort" in ca.reasons[0]
    )
    # Kazakhstan's audit (Art. 19(2), 20) binds only owners seeking the voluntary trusted list
    # (opt-in, M2), and Korea's Art. 30(3) binds every high-impact operator to an effort only:
    # neither owes a result of all it names, so neither is ranked (follow-ups reading, S1). Viet
    # Nam's Art. 13 does owe one, of every provider of a listed system: VN is the stricter.
    kz = _finding(corpus, "KR", "KZ", "ConformityAssessment")
    assert kz.stricter is None, kz.reasons
    assert kz.reasons[0].startswith("KR imposes a duty to endeavour (Korea AI Basic Act Art. 30(3)); KZ's duties")
    vn = _finding(corpus, "VN", "KZ", "ConformityAssessment")
    assert vn.stricter == "VN", vn.reasons
    assert any("where KZ binds only those who opt in" in r for r in vn.reasons), vn.reasons


@pytest.mark.parametrize(
    ("a", "b", "concept", "head"),
    [
        # Utah's deference to sector regulators, against Korea's (session-f relief reading, S3)
        ("KR", "US-UT", "SectorRegimeCompliance", "deference to a sector regime lets compliance with it count"),
        # California AB 2013's deeming rule against Korea's: who carries the provider's duties
        ("US-CA", "KR", "ValueChainRoleShift", "a role shift decides who carries the provider's duties"),
    ],
)
def test_deference_and_role_shifts_are_not_ranked(corpus: Store, a: str, b: str, concept: str, head: str) -> None:
    f = _finding(corpus, a, b, concept)
    assert f.stricter is None, f.reasons
    assert f.reasons[0].startswith(head), f.reasons


def test_an_international_body_has_no_government_of_its_own(corpus: Store) -> None:
    # Session-f relief reading, S5: UNESCO's Policy Area 3 is addressed to member states.
    f = _finding(corpus, "UNESCO", "G7", "TrainingDataQuality")
    assert any(r.endswith("address only its member states' governments") for r in f.reasons), f.reasons
    assert not any("its own government" in r for r in f.reasons)
