"""The second reading's corrections to the tier definitions (docs/reviews/2026-12-03-tiers-second-
reading.md, section 6), each as profiles that differ in one characteristic and land in different
tiers: if a definition slid back to its first reading, the pair would classify alike.

All the profiles of a test go to HermiT in one run (one JVM start), as the property test does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

from crosswalk.graph.ingest import bundled_corpus
from crosswalk.graph.profile import Market, Profile, read_profile
from crosswalk.ontology import XW, local_name
from crosswalk.ontology.tiers import TIER, tiers_graph
from crosswalk.queries.assess import Assessment, assess
from crosswalk.queries.assess.classify import individuals, reasoner_input
from crosswalk.queries.assess.hermit import hermit, types_of

PROFILES = Path(__file__).parent / "data" / "profiles"
HIGH_RISK_DAY = date(2027, 12, 2)  # Annex III applies (Art. 113 as amended by Reg. (EU) 2026/1744)


def _base(ident: str, market: str = "EU", roles: tuple[str, ...] = ("deployer",), **fields: object) -> Profile:
    empty = Profile(ident, ident, "", (), (), (), (), (), (), None, (Market(market, roles),))
    return replace(empty, **fields)  # type: ignore[arg-type]


def _tiers(profiles: list[Profile], on: date) -> dict[str, set[str]]:
    """Each profile's tiers (local names) in its one market at `on`, from one HermiT run."""
    graph, placements = None, []
    for p in profiles:
        g, ps = individuals(p, list(p.markets), on)
        graph = g if graph is None else graph + g
        placements += [(p.id, x) for x in ps if x.on == on]
    assert graph is not None
    found = types_of(hermit(reasoner_input(graph), 120))
    tiers = {str(t) for t in tiers_graph().subjects(None, None) if str(t).startswith(str(TIER))}
    return {pid: {local_name(c) for c in found.get(str(x.iri), set()) & tiers} for pid, x in placements}


# 1. Annex III points 1, 6 and 7 reach only uses "permitted under relevant Union or national law".
def test_a_use_art_5_prohibits_is_not_also_annex_iii_high_risk_but_point_5_keeps_its_own() -> None:
    emotion = _base("emotion-at-work", domains=("Employment",), system_types=("EmotionRecognitionSystem",))
    safety = replace(emotion, id="emotion-for-safety", purposes=("medical-or-safety",))
    rbi = _base(
        "live-rbi",
        domains=("LawEnforcement",),
        system_types=("RemoteBiometricIdentificationSystem",),
        capabilities=("real-time", "publicly-accessible-spaces"),
    )
    post = replace(rbi, id="post-rbi", capabilities=("publicly-accessible-spaces",))
    scoring = _base(
        "benefit-scoring",
        domains=("PublicBenefits",),
        purposes=("social-scoring",),
        system_types=("AutomatedDecisionTool",),
    )
    t = _tiers([emotion, safety, rbi, post, scoring], HIGH_RISK_DAY)
    assert "EU-Art5-1-f" in t["emotion-at-work"] and "EU-AnnexIII" not in t["emotion-at-work"]
    assert "EU-AnnexIII" in t["emotion-for-safety"] and "EU-Art5-1-f" not in t["emotion-for-safety"]
    assert "EU-Art5-1-h" in t["live-rbi"] and "EU-AnnexIII" not in t["live-rbi"]
    assert "EU-AnnexIII" in t["post-rbi"] and "EU-Art5-1-h" not in t["post-rbi"]
    # point 5(a) has no permitted-use heading: the listing stands beside the ban
    assert {"EU-Art5-1-c", "EU-AnnexIII"} <= t["benefit-scoring"]


# 2. Point 1(a) leaves out verification; point 1(b) is categorisation by protected attributes.
def test_verification_is_not_identification_and_only_protected_attribute_categorisation_is_point_1b() -> None:
    identify = _base("shop-face-id", domains=("Biometrics",), system_types=("RemoteBiometricIdentificationSystem",))
    verify = replace(identify, id="door-face-check", purposes=("biometric-verification",))
    sort = _base("age-band-sorter", domains=("Biometrics",), system_types=("BiometricCategorisationSystem",))
    protected = replace(sort, id="protected-sorter", purposes=("protected-attribute-categorisation",))
    t = _tiers([identify, verify, sort, protected], HIGH_RISK_DAY)
    assert "EU-AnnexIII" in t["shop-face-id"]
    assert "EU-AnnexIII" not in t["door-face-check"]
    assert "EU-AnnexIII" not in t["age-band-sorter"]
    assert "EU-AnnexIII" in t["protected-sorter"]


# 3. Art. 50 binds AI systems: not a model placed on the market as a model.
def test_art_50_binds_a_system_built_on_a_model_not_the_model_placed_as_such() -> None:
    model = _base("model", roles=("model-provider",), system_types=("GeneralPurposeModel", "GenerativeAI"))
    product = replace(model, id="model-and-app", markets=(Market("EU", ("model-provider", "developer")),))
    t = _tiers([model, product], date(2026, 12, 3))
    assert "EU-GPAI" in t["model"] and "EU-Art50" not in t["model"]
    assert {"EU-GPAI", "EU-Art50"} <= t["model-and-app"]


# 4. Colorado SB 26-189: "materially influence", not SB 24-205's "substantial factor".
def test_colorado_2027_tier_and_golden_use_sb_26_189_s_standard() -> None:
    g = tiers_graph()
    caveat = str(g.value(TIER["CO-CoveredADMT"], XW.tierCaveat))
    assert "materially influence" in caveat and "substantial factor" not in caveat
    assert "substantial factor" in str(g.value(TIER["CO-HighRisk-2024"], XW.tierCaveat))
    golden = yaml.safe_load((PROFILES / "golden.yaml").read_text(encoding="utf-8"))
    reasons = [e["reasons"]["US-CO"] for e in golden if "CO-CoveredADMT" in e["tiers"].get("US-CO", [])]
    assert reasons and all("materially influence" in r and "substantial factor" not in r for r in reasons)


# 5. Art. 5(1)(ba): use for intimate imagery, or (for its provider) foreseeable output without safeguards.
def test_art_5_1_ba_reaches_a_provider_whose_generator_foreseeably_makes_intimate_imagery() -> None:
    base = _base(
        "generator",
        roles=("developer",),
        system_types=("GenerativeAI", "DeepSynthesis"),
        capabilities=("realistic-synthetic-media", "face-voice-editing"),
    )
    unsafe = replace(base, id="unsafe", capabilities=(*base.capabilities, "foreseeable-intimate-imagery"))
    user = replace(unsafe, id="unsafe-user", markets=(Market("EU", ("deployer",)),))
    t = _tiers([base, unsafe, user], date(2026, 12, 2))
    assert "EU-Art5-1-ba" not in t["generator"]
    assert "EU-Art5-1-ba" in t["unsafe"]
    assert "EU-Art5-1-ba" not in t["unsafe-user"], "the foreseeable-output limb binds the provider"
    before = _tiers([unsafe], date(2026, 12, 1))
    assert "EU-Art5-1-ba" not in before["unsafe"], "the ban applies from 2 Dec 2026"


# 6. China Deep Synthesis Art. 17(1)(i): dialogue services simulating a person need conspicuous labels.
def test_a_public_chat_service_is_confusable_deep_synthesis_in_china_a_plain_text_tool_is_not() -> None:
    chat = _base("chat", market="CN", system_types=("Chatbot", "GenerativeAI"))
    chat = replace(chat, markets=(Market("CN", ("developer",), offered_to_public=True),))
    writer = replace(chat, id="writer", system_types=("GenerativeAI",))
    t = _tiers([chat, writer], date(2026, 12, 3))
    assert {"CN-DeepSynthesis", "CN-DeepSynthesis-Confusable"} <= t["chat"]
    assert "CN-DeepSynthesis" in t["writer"] and "CN-DeepSynthesis-Confusable" not in t["writer"]


# D. The Art. 6(3) derogation counts only where its conditions hold.
def test_the_art_6_3_golden_differs_from_a_high_risk_system_only_by_profiling() -> None:
    checker = read_profile(PROFILES / "exam-format-checker.yaml")
    profiling = replace(checker, id="checker-that-profiles", capabilities=("profiling",))
    unclaimed = replace(checker, id="checker-unclaimed", exemptions=())
    t = _tiers([checker, profiling, unclaimed], HIGH_RISK_DAY)
    assert t["exam-format-checker"] == {"EU-AnnexIII-Derogated"}
    assert t["checker-that-profiles"] == {"EU-AnnexIII"}
    assert t["checker-unclaimed"] == {"EU-AnnexIII"}


# Should-fix items of the same reading.
def test_utah_needs_a_conversational_generative_system_and_takes_either_limb_of_13_77_101_5() -> None:
    def ut(ident: str, types: tuple[str, ...], **fields: object) -> Profile:
        return _base(ident, market="US-UT", system_types=types, **fields)

    advice = ut("advice-bot", ("Chatbot", "GenerativeAI"), purposes=("personalised-advice",), domains=("Housing",))
    images = ut("advice-images", ("GenerativeAI",), purposes=("personalised-advice",))
    intake = ut("intake-bot", ("Chatbot", "GenerativeAI"), capabilities=("sensitive-data-collection",))
    smalltalk = ut("smalltalk-bot", ("Chatbot", "GenerativeAI"))
    t = _tiers([advice, images, intake, smalltalk], date(2026, 12, 3))
    assert "UT-HighRiskInteraction" in t["advice-bot"], "the statute's list of advice areas is illustrative"
    assert "UT-HighRiskInteraction" not in t["advice-images"], "13-77-101(4): designed to simulate conversation"
    assert "UT-HighRiskInteraction" in t["intake-bot"]
    assert "UT-HighRiskInteraction" not in t["smalltalk-bot"]


def test_nyc_aedt_applies_from_the_law_s_effective_date_with_enforcement_as_a_caveat() -> None:
    screen = _base(
        "screen",
        market="US-NY-NYC",
        domains=("Employment",),
        purposes=("recruitment", "consequential-decision"),
        system_types=("AutomatedDecisionTool",),
    )
    assert "NYC-AEDT" in _tiers([screen], date(2023, 1, 1))["screen"]
    assert "NYC-AEDT" not in _tiers([screen], date(2022, 12, 31))["screen"]
    corpus = yaml.safe_load((bundled_corpus() / "us-ny-nyc" / "ll144.yaml").read_text(encoding="utf-8"))
    assert [(c["from"], c["until"]) for c in corpus["caveats"]] == [(date(2023, 1, 1), date(2023, 7, 5))]


# D. The other exemptions a profile may claim, with their articles' conditions.
def _ai_act(a: Assessment) -> list[str]:
    eu = a.market("EU")
    return [p.iri for p in (*eu.duties, *eu.pending_duties) if p.instrument.endswith("/id/eu-ai-act")]


def test_the_research_exclusion_takes_a_system_out_of_the_ai_act_only_if_not_offered_to_the_public(corpus) -> None:  # type: ignore[no-untyped-def]
    lab = _base(
        "lab-emotion",
        roles=("developer",),
        domains=("Employment",),
        system_types=("EmotionRecognitionSystem",),
        exemptions=("research",),
    )
    offered = replace(lab, id="offered", markets=(Market("EU", ("developer",), offered_to_public=True),))
    t = _tiers([lab, offered], HIGH_RISK_DAY)
    assert t["lab-emotion"] == {"EU-Excluded-Research"}, "Art. 2(6): outside the Act, not minimal"
    assert "EU-Excluded-Research" not in t["offered"] and "EU-Art5-1-f" in t["offered"]
    # a system its own profile shows in use for decisions about people is not research only
    ranker = _base(
        "research-ranker",
        roles=("developer", "deployer"),
        domains=("Employment",),
        purposes=("recruitment", "consequential-decision"),
        system_types=("AutomatedDecisionTool",),
        exemptions=("research",),
    )
    imported = replace(lab, id="imported", markets=(Market("EU", ("importer",)),))
    more = _tiers([ranker, imported], HIGH_RISK_DAY)
    assert "EU-Excluded-Research" not in more["research-ranker"] and "EU-AnnexIII" in more["research-ranker"]
    assert "EU-Excluded-Research" not in more["imported"]
    a = assess(corpus, lab, HIGH_RISK_DAY)
    assert not _ai_act(a), "no AI Act provision binds a system outside its scope"
    assert _ai_act(assess(corpus, replace(lab, exemptions=()), HIGH_RISK_DAY))


def test_personal_use_lifts_only_the_deployer_s_ai_act_duties_never_the_tiers(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 12, 3)
    bot = _base("home-deepfakes", system_types=("GenerativeAI", "DeepSynthesis"))
    personal = replace(bot, id="home-deepfakes-personal", exemptions=("personal-use",))
    a, b = assess(corpus, bot, on), assess(corpus, personal, on)
    assert [t.key for t in a.market("EU").tiers] == [t.key for t in b.market("EU").tiers] == ["EU-Art50"]
    assert _ai_act(a) and not _ai_act(b)
    assert any(n.startswith("Art. 2(10)") for n in b.market("EU").notes)
    maker = replace(personal, id="maker", markets=(Market("EU", ("developer", "deployer")),))
    kept = _ai_act(assess(corpus, maker, on))
    assert kept and all("art50-4" not in k for k in kept), "the provider's duties stand, the deployer's go"


# Korea Art. 2(4) items 다 and 라 (session d): health care given to patients, and a medical device
# as the profile states it, each without the consequential-decision proxy.
def test_korea_reads_item_da_from_patients_in_health_care_and_item_ra_from_the_device_domain() -> None:
    def kr(ident: str, **fields: object) -> Profile:
        return _base(ident, market="KR", **fields)

    ward = kr("ward-alerts", domains=("Healthcare",), affects=("patients",))
    staffing = kr("nurse-rota", domains=("Healthcare",), affects=("workers",))
    device = kr("device-only", domains=("MedicalDevices",))
    toy = kr("health-toy", domains=("Healthcare", "ProductSafety"), affects=("children",))
    t = _tiers([ward, staffing, device, toy], date(2026, 12, 3))
    assert "KR-HighImpact" in t["ward-alerts"], "item 다: health care provided to patients"
    assert "KR-HighImpact" not in t["nurse-rota"], "no patient affected and no consequential decision"
    assert "KR-HighImpact" in t["device-only"], "item 라: the device domain alone"
    assert "KR-HighImpact" not in t["health-toy"], "Healthcare + ProductSafety is no longer read as a device"
    before = _tiers([ward, device], date(2026, 1, 21))
    assert not before["ward-alerts"] and not before["device-only"], "the Act applies from 22 Jan 2026"


def test_a_medical_device_is_a_regulated_product_for_the_eu_annex_i_tier() -> None:
    samd = _base(
        "samd",
        roles=("developer",),
        domains=("MedicalDevices",),
        purposes=("safety-component",),
        capabilities=("third-party-conformity-assessment",),
    )
    assert "EU-AnnexI" in _tiers([samd], date(2028, 8, 2))["samd"], "skos:broader: medical devices are ProductSafety"


# Third reading S1: Art. 5(1)(bb), AI-generated child sexual abuse material, from 2 Dec 2026;
# Texas § 552.057(1) names the same material.
def test_art_5_1_bb_bans_a_system_for_child_sexual_abuse_material_from_2_december_2026() -> None:
    eu = _base(
        "csam-eu", roles=("developer",), purposes=("child-sexual-abuse-material",), system_types=("GenerativeAI",)
    )
    tx = replace(eu, id="csam-tx", markets=(Market("US-TX", ("developer",)),))
    plain = replace(eu, id="plain-generator", purposes=())
    on = _tiers([eu, tx, plain], date(2026, 12, 2))
    assert "EU-Art5-1-bb" in on["csam-eu"] and "EU-Minimal" not in on["csam-eu"]
    assert "TX-552-057" in on["csam-tx"]
    assert "EU-Art5-1-bb" not in on["plain-generator"]
    assert "EU-Art5-1-bb" not in _tiers([eu], date(2026, 12, 1))["csam-eu"]


# Third reading S5: Art. 2(10) lifts deployers' obligations; an Art. 5 ban on the practice stays,
# with a note that its reach to a personal user is open.
def test_personal_use_keeps_an_art_5_ban_and_says_the_point_is_open(corpus) -> None:  # type: ignore[no-untyped-def]
    home = _base(
        "home-mood-cam",
        domains=("Education",),
        system_types=("EmotionRecognitionSystem",),
        exemptions=("personal-use",),
    )
    eu = assess(corpus, home, date(2026, 12, 3)).market("EU")
    assert "EU-Art5-1-f" in [t.key for t in eu.tiers]
    assert any(p.citation == "Art. 5(1)(f)" for p in eu.duties), "the ban is not lifted"
    assert not any(p.citation.startswith("Art. 50(3)") for p in eu.duties), "the deployer's Art. 50(3) duty is"
    # the better reading is given (fourth reading S6), for the use only, not decided
    assert any("not settled" in n and "Art. 5(1)(f)" in n and "better reading" in n for n in eu.notes)


# Fourth reading M1: Art. 5(1a)(b) bans the use of a (ba)/(bb) system only "where the deployer
# uses the system", and a purely personal user is not a deployer (Art. 3(4)): the ban is not
# listed for such a user alone, and is still listed for one who also develops the system (the
# provider's ban on placing it on the market, Art. 5(1a)(a)).
def test_personal_use_lifts_the_art_5_1_bb_use_ban_but_not_the_providers(corpus) -> None:  # type: ignore[no-untyped-def]
    personal = _base(
        "csam-personal",
        domains=("OnlineInformation",),
        system_types=("GenerativeAI", "DeepSynthesis"),
        purposes=("child-sexual-abuse-material",),
        affects=("children",),
        exemptions=("personal-use",),
    )
    developer = replace(personal, id="csam-personal-dev", markets=(Market("EU", ("developer", "deployer")),))
    on = date(2026, 12, 3)
    alone = assess(corpus, personal, on).market("EU")
    assert "EU-Art5-1-bb" in [t.key for t in alone.tiers], "the tier stands: Art. 2(10) lifts duties, not tiers"
    assert not any(p.citation == "Art. 5(1)(bb)" for p in (*alone.duties, *alone.pending_duties))
    assert any(n.startswith("Art. 5(1)(bb) not listed") and "Art. 5(1a)(b)" in n for n in alone.notes)
    assert not any("better reading" in n for n in alone.notes)
    dev = assess(corpus, developer, on).market("EU")
    assert any(p.citation == "Art. 5(1)(bb)" for p in dev.duties), "the provider's ban stays"
    assert not any("Art. 5(1)(bb)" in n for n in dev.notes), "no note where the ban binds through the provider"


# Fourth reading M2: Art. 50(2) binds "providers of AI systems, including general-purpose AI
# systems", and Art. 111(4) is its transition: neither binds a provider that places only a model,
# though the model is generative; an image generator's provider still carries both.
def test_art_50_2_and_111_4_do_not_reach_a_provider_of_a_model_alone(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2027, 1, 1)
    for name in ("frontier-1e26", "frontier-3e26"):
        eu = assess(corpus, read_profile(PROFILES / f"{name}.yaml"), on, ["EU"]).market("EU")
        cited = {p.citation for p in (*eu.duties, *eu.pending_duties)}
        assert "Art. 53(1)(a)" in cited, name
        assert not cited & {"Art. 50(2)", "Art. 111(4)"}, name
    generator = assess(corpus, read_profile(PROFILES / "deepfake-image-generator.yaml"), on, ["EU"]).market("EU")
    assert {"Art. 50(2)", "Art. 111(4)"} <= {p.citation for p in generator.duties}


# Third reading S9: Art. 50(1) binds only systems intended to interact directly with people, and
# the deployers' Art. 50(4) duties are listed as conditional on what is done with the output.
def test_art_50_1_binds_only_a_conversational_system_and_art_50_4_duties_are_conditional(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 12, 3)
    generator = read_profile(PROFILES / "deepfake-image-generator.yaml")
    provider = assess(corpus, generator, on, ["EU"]).market("EU")
    cited = {p.citation for p in provider.duties}
    assert "Art. 50(2)" in cited and "Art. 50(1)" not in cited, "an image generator does not converse"
    bot = read_profile(PROFILES / "customer-service-bot.yaml")
    deployer = assess(corpus, bot, on, ["EU"]).market("EU")
    conditional = {p.iri.rsplit("/", 1)[-1]: deployer.condition(p) for p in deployer.duties if deployer.condition(p)}
    assert "art50-4" not in {p.iri.rsplit("/", 1)[-1] for p in deployer.duties}, "no deep fakes from a text bot"
    assert "public interest" in (conditional.get("art50-4-2") or "")
    assert all(d.get("condition") for d in deployer.to_dict()["duties"] if d["provision"].endswith("art50-4-2"))


# Fourth reading S5: the domain hierarchy places a medical device under tiers on regulated
# products, but a provision tied to the system by a domain tag alone reaches only a domain the
# profile states: the Machinery Regulation's ProductSafety duties do not follow every medical
# device, and still follow a machine whose profile states product safety.
def test_a_broader_domain_places_tiers_but_does_not_bring_tierless_duties(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2028, 8, 2)
    device = _base("stroke-aid", domains=("MedicalDevices",), roles=("developer",), affects=("patients",))
    manufacturer = (Market("EU", ("product-manufacturer", "developer")),)
    device = replace(device, markets=manufacturer)
    machine = replace(device, id="cobot", domains=("ProductSafety",), affects=("workers",))
    found = {p.id: assess(corpus, p, on).market("EU") for p in (device, machine)}

    def machinery(m: object) -> set[str]:
        return {p.citation for p in m.duties if p.instrument.endswith("/eu-machinery-regulation")}  # type: ignore[attr-defined]

    assert not machinery(found["stroke-aid"]), "a medical device is not machinery by its domain's parent"
    assert machinery(found["cobot"]), "a profile that states product safety still gets them"


# Fifth reading M-A: the product-category rule above must not cut public-sector duties off from
# the government levels below PublicSector: a Texas agency's chatbot owes the § 552.051(b)-(e)
# notice, a Canadian federal institution the Directive on Automated Decision-Making's duties.
def test_public_sector_duties_still_reach_a_government_level(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 12, 3)
    agency = _base(
        "tx-agency-bot",
        market="US-TX",
        domains=("StateGovernment",),
        system_types=("Chatbot",),
        affects=("consumers",),
    )
    agency = replace(agency, markets=(Market("US-TX", ("deployer",), governmental=True),))
    tx = assess(corpus, agency, on).market("US-TX")
    assert "Tex. Bus. & Com. Code § 552.051(b)-(e)" in {p.citation for p in tx.duties}
    federal = _base(
        "ca-federal",
        domains=("CentralGovernment",),
        system_types=("AutomatedDecisionTool",),
        purposes=("consequential-decision",),
        affects=("public",),
    )
    federal = replace(federal, markets=(Market("CA", ("deployer",), governmental=True),))
    ca = assess(corpus, federal, on).market("CA")
    assert any(p.instrument.endswith("/ca-dadm") for p in ca.duties), [p.citation for p in ca.duties]


# Fifth reading M-B: Art. 6(4) (documenting the derogation) and Art. 49(2) (registering a system
# the provider deems not high-risk) bind only a provider relying on Art. 6(3); a credit-scoring
# provider, high-risk under Annex III point 5(b), owes neither, though both are scoped to Annex III.
def test_derogation_duties_bind_only_through_the_derogation_tier(corpus) -> None:  # type: ignore[no-untyped-def]
    on = date(2027, 12, 2)
    credit = assess(corpus, read_profile(PROFILES / "credit-scoring.yaml"), on, ["EU"]).market("EU")
    cited = {p.citation for p in credit.duties}
    assert "Art. 9" in cited or any(c.startswith("Art. 9") for c in cited), cited
    assert not cited & {"Art. 6(4)", "Art. 49(2)"}, cited


# Fifth reading M-C: Art. 4(1) binds "providers and deployers of AI systems"; a provider that
# places only a general-purpose model owes its Chapter V duties, not AI literacy. Art. 4a(2)
# names "providers and deployers of other AI systems and models", so its permission stays.
def test_a_model_only_provider_is_not_bound_by_duties_of_system_providers(corpus) -> None:  # type: ignore[no-untyped-def]
    eu = assess(corpus, read_profile(PROFILES / "frontier-1e26.yaml"), date(2027, 1, 1), ["EU"]).market("EU")
    cited = {p.citation for p in eu.duties}
    assert "Art. 4" not in cited and "Art. 53(1)(a)" in cited and "Art. 4a" in cited, cited
    # California's AB 2013 binds a developer of a generative AI "system or service": not read so
    ca = assess(corpus, read_profile(PROFILES / "frontier-1e26.yaml"), date(2027, 1, 1), ["US-CA"]).market("US-CA")
    assert any("3111" in p.citation for p in ca.duties)


# Sixth reading: Italy, which has no tiers of its own in the tier file, was "not modelled" and
# listed none of the AI Act's Annex III duties, so the crosswalk called the EU stricter than Italy
# for the same system. It is placed by the EU's tiers (the AI Act applies directly there; Law
# 132/2025 Art. 1(2) reads itself in conformity with it). (Italy's Art. 14, on public
# administrations as users, waits for the public-authority role: seventh reading.)
def test_italy_is_placed_by_eu_tiers(corpus) -> None:  # type: ignore[no-untyped-def]
    ministry = _base(
        "eu-benefits-gov",
        domains=("CentralGovernment", "PublicBenefits"),
        system_types=("AutomatedDecisionTool",),
        purposes=("consequential-decision",),
        affects=("public",),
    )
    ministry = replace(
        ministry,
        markets=(Market("EU", ("deployer",), governmental=True), Market("IT", ("deployer",), governmental=True)),
    )
    found = assess(corpus, ministry, HIGH_RISK_DAY)
    eu, it = found.market("EU"), found.market("IT")
    assert "EU-AnnexIII" in {t.key for t in it.tiers} and it.level == eu.level == "high"
    cited = {p.citation for p in it.duties}
    assert {"Art. 26(1)", "Art. 27(1)"} <= cited, cited
    assert {p.citation for p in eu.duties} <= cited, "every EU duty binds in Italy too"
    assert any("placed by the tiers of EU" in n for n in it.notes)


# Fifth reading S-H: law already in force that binds the system only once a pending tier starts
# is listed as coming from that date. The day before an Annex I device's tier starts (Art. 113 as
# amended: 2 Aug 2028), Arts. 43(4), 47, 48 and 72 already apply to Annex III systems; for this
# device they bind from 2 Aug 2028, and the next day they are its duties.
def test_in_force_law_that_binds_only_from_a_pending_tier_is_listed_as_coming(corpus) -> None:  # type: ignore[no-untyped-def]
    device = read_profile(PROFILES / "medical-device.yaml")
    before = assess(corpus, device, date(2028, 8, 1), ["EU"]).market("EU")
    coming = {p.citation: p for p in before.pending_duties}
    for citation in ("Art. 47", "Art. 48", "Art. 72(1)-(3)"):
        assert citation in coming, sorted(coming)
        assert coming[citation].applies_from == "2028-08-02"
    assert not {"Art. 47", "Art. 48"} & {p.citation for p in before.duties}
    after = assess(corpus, device, date(2028, 8, 2), ["EU"]).market("EU")
    assert {"Art. 47", "Art. 48", "Art. 72(1)-(3)"} <= {p.citation for p in after.duties}


# Eighth reading, must-fixes 1-2: a device under the MDR reports under Art. 73 only incidents of
# Art. 3(49)(c), to the national competent authority (Art. 73(10)): Art. 73 is listed with that
# condition. Art. 60 (a permission) and Art. 61 (only for real-world testing, which the profile
# does not state; Chapter VI applies from 2 Aug 2026) are not "coming" with the Annex III tier.
def test_conditional_duties_are_not_listed_as_starting_with_a_tier(corpus) -> None:  # type: ignore[no-untyped-def]
    device = assess(corpus, read_profile(PROFILES / "medical-device.yaml"), date(2028, 8, 2), ["EU"]).market("EU")
    art73 = [p for p in device.duties if p.citation.startswith("Art. 73(")]
    assert art73 and all("Art. 73(10)" in (device.condition(p) or "") for p in art73)
    credit = assess(corpus, read_profile(PROFILES / "credit-scoring.yaml"), date(2027, 12, 1), ["EU"]).market("EU")
    coming = {p.citation for p in credit.pending_duties}
    assert not {"Art. 60(1)-(4)", "Art. 60(5)", "Art. 61"} & coming, sorted(coming)
    assert "Art. 9(1)-(2)" in coming or any(c.startswith("Art. 9") for c in coming)
