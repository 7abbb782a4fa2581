"""Assessment end to end: profiles are checked like rule files, duties follow the tiers and the
organisation's roles, the crosswalk uses the verdict rules, and the CLI and `POST /assess`
answer on the real corpus (real store, real HermiT, a real server for HTTP)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from crosswalk.graph.errors import QueryError, RuleFileError
from crosswalk.graph.profile import Market, Profile, read_profile
from crosswalk.ontology import XW, local_name
from crosswalk.ontology.tiers import keyed, tier_classes, tiers_graph
from crosswalk.queries.assess import assess
from crosswalk.queries.assess.classify import individuals, reasoner_input
from crosswalk.queries.assess.hermit import hermit, types_of
from crosswalk.queries.assess.tiers import defined_markets

PROFILES = Path(__file__).parent / "data" / "profiles"
SB53 = "https://w3id.org/crosswalk/id/us-ca-sb53/"
EU = "https://w3id.org/crosswalk/id/eu-ai-act/"


def _profile(name: str) -> Profile:
    return read_profile(PROFILES / f"{name}.yaml")


# ---------------------------------------------------------------------- the profile format
def test_every_problem_of_a_bad_profile_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\n"
        "system:\n"
        "  id: Bad Id\n"
        "  name: x\n"
        "  domains: [Employmnt]\n"
        "  purposes: [recruit]\n"
        "  colour: red\n"
        "markets:\n"
        "  EU: {roles: [provider], annual_revenue: {amount: 5, currency: usd}}\n"
        "  XX: {roles: [deployer]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as caught:
        read_profile(bad)
    lines = caught.value.details().splitlines()
    assert f"{bad}:7: system.colour: unknown field" in lines[0]
    wanted = {
        f"{bad}:3: system.id:",
        f"{bad}:5: system.domains[0]: unknown application domain 'Employmnt'; did you mean Employment?",
        f"{bad}:6: system.purposes[0]: unknown purpose 'recruit'; did you mean recruitment?",
        f"{bad}:9: markets.EU.annual_revenue.currency:",
        f"{bad}:10: markets.XX: unknown jurisdiction 'XX'",
    }
    for w in wanted:
        assert any(line.startswith(w) for line in lines), w
    assert len(lines) == 6


def test_a_profile_reads_the_eu_word_provider_as_developer_and_refuses_aliases(tmp_path: Path) -> None:
    p = _profile("exam-format-checker")
    assert p.market("EU").roles == ("developer",)
    aliased = tmp_path / "a.yaml"
    aliased.write_text("format: 1\nsystem: &s {id: a, name: a}\nmarkets: {EU: {roles: [deployer]}}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="anchors and aliases"):
        read_profile(aliased)


def test_a_market_not_in_the_profile_is_refused(corpus) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match="US-CO is not in the profile"):
        assess(corpus, _profile("workplace-emotion"), date(2026, 12, 3), ["US-CO"])


# ---------------------------------------------------------------------- duties
def test_revenue_gated_duties_bind_only_a_large_frontier_developer(corpus) -> None:  # type: ignore[no-untyped-def]
    big = _profile("frontier-3e26")
    small = replace(
        big,
        id="frontier-3e26-small",
        markets=tuple(
            replace(m, revenue=(Decimal(100_000_000), "USD")) if m.code == "US-CA" else m for m in big.markets
        ),
    )
    on = date(2027, 1, 1)
    large = {p.iri: p for p in assess(corpus, big, on, ["US-CA"]).market("US-CA").duties}
    plain = {p.iri: p for p in assess(corpus, small, on, ["US-CA"]).market("US-CA").duties}
    assert SB53 + "s22757-12-a" in large and SB53 + "s22757-12-a" not in plain
    assert plain.keys() < large.keys()
    for iri in large.keys() - plain.keys():
        assert any(kind == "RevenueThreshold" for kind, _, _ in large[iri].thresholds), iri
    assert any(any(k == "ComputeThreshold" for k, _, _ in p.thresholds) for p in plain.values())


def test_duties_wait_for_their_tier_and_bind_only_the_roles_held(corpus) -> None:  # type: ignore[no-untyped-def]
    before = assess(corpus, _profile("cv-screening"), date(2026, 12, 3), ["EU", "US-CO"])
    eu = before.market("EU")
    assert [t.key for t in eu.tiers] == ["EU-Minimal"]
    assert EU + "art26-1" not in {p.iri for p in eu.duties}
    pending = {p.iri: p for p in eu.pending_duties}
    assert pending[EU + "art26-1"].applies_from == "2027-12-02"
    # a deployer: the provider's Art. 16 duties are not its own
    assert not any(p.iri.startswith(EU + "art16") for p in (*eu.duties, *eu.pending_duties))
    # Colorado's duties carry the Attorney General's enforcement stay
    assert any(c.kind == "enforcement-stay" for p in before.market("US-CO").duties for c in p.caveats)


def test_a_ban_is_listed_only_for_the_practice_the_system_is_in(corpus) -> None:  # type: ignore[no-untyped-def]
    a = assess(corpus, _profile("workplace-emotion"), date(2026, 12, 3))
    bans = {p.iri for p in a.market("EU").duties if p.modality == "prohibition"}
    assert EU + "art5-1-f" in bans
    assert EU + "art5-1-c" not in bans


# ---------------------------------------------------------------------- crosswalk and misalignment
def test_near_identical_frontier_statutes_are_met_once_and_divergences_name_a_party(corpus) -> None:  # type: ignore[no-untyped-def]
    a = assess(corpus, _profile("frontier-3e26"), date(2027, 1, 1))
    once = [row.concept for row in a.crosswalk if ("US-CA", "US-NY") in row.met_once]
    assert len(once) >= 3, once  # SB 53 and the RAISE Act as amended share their duties' shape
    for row in a.crosswalk:
        for x, y, f in row.findings:
            assert x in row.markets and y in row.markets
            if f.kind == "divergent" and f.stricter is not None:
                assert f.stricter in (x, y, "mixed")
        for group in row.met_once:
            joined = {(x, y) for x, y, f in row.findings if f.kind == "equivalent"}
            assert all(any(m in pair for pair in joined) for m in group)
    assert a.index["US-CA|US-NY"] > a.index["EU|US-CA"]


def test_the_same_model_is_systemic_in_the_eu_and_in_no_tier_in_california(corpus) -> None:  # type: ignore[no-untyped-def]
    a = assess(corpus, _profile("frontier-1e26"), date(2027, 1, 1))
    assert a.misalignment is not None
    assert a.misalignment.levels["EU"] == "systemic"
    assert a.misalignment.levels["US-CA"] == "none"
    assert a.misalignment.levels["KR"] == "systemic"


# ---------------------------------------------------------------------- property
_PURPOSES = sorted(keyed(XW.Purpose))
_CAPABILITIES = sorted(keyed(XW.Capability))
_EXEMPTIONS = sorted(keyed(XW.Exemption))
_TYPES = [
    "AutomatedDecisionTool",
    "Chatbot",
    "GenerativeAI",
    "DeepSynthesis",
    "GeneralPurposeModel",
    "EmotionRecognitionSystem",
    "BiometricCategorisationSystem",
    "RemoteBiometricIdentificationSystem",
]
_DOMAINS = [
    "Employment",
    "Education",
    "CreditAndLending",
    "Healthcare",
    "LawEnforcement",
    "CompanionshipServices",
    "ProductSafety",
    "JusticeDemocracy",
    "PublicBenefits",
]
_FIELD = {
    "purposes": _PURPOSES,
    "capabilities": _CAPABILITIES,
    "system_types": _TYPES,
    "domains": _DOMAINS,
    "exemptions": _EXEMPTIONS,
}
_KIND = {"purposes": XW.Purpose, "capabilities": XW.Capability, "exemptions": XW.Exemption}


@st.composite
def _profiles(draw: st.DrawFn) -> tuple[Profile, str, str]:
    def some(values: list[str]) -> tuple[str, ...]:
        return tuple(draw(st.lists(st.sampled_from(values), max_size=3, unique=True)))

    markets = tuple(
        Market(
            code,
            ("developer", "deployer"),
            revenue=(Decimal(draw(st.sampled_from([10**8, 6 * 10**8]))), "USD"),
            governmental=draw(st.booleans()),
            offered_to_public=draw(st.booleans()),
        )
        for code in sorted(defined_markets())
    )
    compute = draw(st.sampled_from([None, Decimal("1E25"), Decimal("2E25"), Decimal("1E26"), Decimal("3E26")]))
    base = Profile(
        "base",
        "base",
        "",
        some(_DOMAINS),
        some(_PURPOSES),
        some(_TYPES),
        some(_CAPABILITIES),
        (),
        some(_EXEMPTIONS),
        compute,
        markets,
    )
    field = draw(st.sampled_from(sorted(_FIELD)))
    added = draw(st.sampled_from([v for v in _FIELD[field] if v not in getattr(base, field)] or _FIELD[field]))
    return base, field, added


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(_profiles())
def test_adding_a_characteristic_never_removes_a_tier_that_does_not_depend_on_its_absence(
    case: tuple[Profile, str, str],
) -> None:
    base, field, added = case
    more = replace(base, id="more", **{field: tuple(dict.fromkeys((*getattr(base, field), added)))})
    on = date(2028, 8, 2)  # every tier's start date has passed
    g1, p1 = individuals(base, list(base.markets), on)
    g2, p2 = individuals(more, list(more.markets), on)
    found = types_of(hermit(reasoner_input(g1 + g2), 120))
    wanted = {str(t) for t in tier_classes()}

    def tiers(iri: URIRef) -> set[str]:
        return found.get(str(iri), set()) & wanted

    g = tiers_graph()
    kind = _KIND.get(field)
    iri = keyed(kind)[added] if kind is not None else None
    for a, b in zip(p1, p2, strict=True):
        lost = tiers(a.iri) - tiers(b.iri)
        gained = {URIRef(c) for c in found.get(str(b.iri), set()) - found.get(str(a.iri), set())}
        for t in lost:
            absences = set(g.objects(URIRef(t), XW.dependsOnAbsenceOf))
            # a tier may name what removes it: a characteristic, or a class (the Art. 5
            # practices for Annex III) the placement has now entered
            assert XW.Tier in absences or (iri is not None and iri in absences) or absences & gained, (
                f"adding {field} {added} removed {local_name(t)} in {a.market}"
            )


# ---------------------------------------------------------------------- interfaces
def test_cli_assess_prints_at_80_columns_json_and_markdown(cli, corpus_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    args = ["assess", str(PROFILES / "cv-screening.yaml"), "--store", str(corpus_dir), "--as-of", "2027-12-03"]
    table = cli(*args, "--markets", "EU,US-CO")
    assert table.code == 0, table.err
    assert "EU (deployer): level high" in table.out
    assert "US-NY-NYC" not in table.out
    assert max(len(line) for line in table.out.splitlines()) <= 80
    data = json.loads(cli(*args, "--format", "json").out)
    assert {m["market"]: [t["key"] for t in m["tiers"]] for m in data["markets"]}["US-NY-NYC"] == ["NYC-AEDT"]
    assert data["as_of"] == "2027-12-03"
    md = cli(*args, "--format", "md").out
    assert md.startswith("# CV screening and ranking tool at 2027-12-03")


def test_cli_assess_bad_profile_exits_2_with_file_line_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "format: 1\nsystem: {id: x, name: x, domains: [Nowhere]}\nmarkets: {EU: {roles: [deployer]}}\n",
        encoding="utf-8",
    )
    result = cli("assess", str(bad))
    assert result.code == 2
    assert f"{bad}:2: system.domains[0]: unknown application domain 'Nowhere'" in result.err


def test_post_assess_yaml_and_json_bodies(server: str) -> None:
    text = (PROFILES / "credit-scoring.yaml").read_text(encoding="utf-8")
    r = httpx.post(f"{server}/assess", content=text, params={"as_of": "2027-12-03"}, timeout=60)
    assert r.status_code == 200, r.text
    tiers = {m["market"]: [t["key"] for t in m["tiers"]] for m in r.json()["markets"]}
    assert tiers == {"EU": ["EU-AnnexIII"], "US-CO": ["CO-CoveredADMT"], "KR": ["KR-HighImpact"]}
    as_json = json.dumps(yaml.safe_load(text))
    j = httpx.post(
        f"{server}/assess",
        content=as_json,
        params=[("as_of", "2027-12-03"), ("market", "KR")],
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert j.status_code == 200, j.text
    assert [m["market"] for m in j.json()["markets"]] == ["KR"]
    md = httpx.post(f"{server}/assess", content=text, params={"format": "md"}, timeout=60)
    assert md.headers["content-type"].startswith("text/markdown")
    page = httpx.post(f"{server}/assess", content=text, params={"format": "html"}, timeout=60)
    assert page.headers["content-type"].startswith("text/html") and "Consumer credit scoring model" in page.text
    form = httpx.get(f"{server}/assess", headers={"accept": "text/html"})
    assert form.status_code == 200 and "<textarea" in form.text and "id: cv-screening" in form.text
    assert httpx.get(f"{server}/assess").json()["post"] == "/assess"
    tiers = httpx.get(f"{server}/assess/tiers").json()
    assert any(t["key"] == "EU-AnnexIII" and t["applies_from"] == "2027-12-02" for t in tiers)


def test_post_assess_bad_input_is_problem_json_and_big_bodies_are_refused(server: str) -> None:
    bad = httpx.post(
        f"{server}/assess", content="format: 1\nsystem: {id: x, name: x, purposes: [spying]}\nmarkets: {}\n"
    )
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    detail = bad.json()["detail"]
    assert "profile.yaml:2: system.purposes[0]: unknown purpose 'spying'" in detail
    assert "profile.yaml:3: markets: name at least one market" in detail
    big = httpx.post(f"{server}/assess", content="#" * 30000)
    assert big.status_code == 413
    date_ = httpx.post(f"{server}/assess", content="x: 1", params={"as_of": "soon"})
    assert date_.status_code == 400


def test_the_reasoner_is_stopped_at_its_deadline_and_that_is_a_503() -> None:
    from crosswalk.api.problems import status_of
    from crosswalk.queries.assess.classify import classify
    from crosswalk.queries.assess.hermit import ReasonerTimeout

    profile = _profile("cv-screening")
    with pytest.raises(ReasonerTimeout, match=r"time limit of 0\.01 s") as caught:
        classify(profile, list(profile.markets), date(2027, 12, 3), timeout=0.01)
    assert status_of(caught.value)[0] == 503


def test_cli_tiers_lists_each_tier_with_its_article_and_threshold(cli) -> None:  # type: ignore[no-untyped-def]
    table = cli("tiers", "US-CA")
    assert table.code == 0
    assert "annual revenue more than USD 500,000,000" in table.out
    assert "training compute more than 10^26 FLOP" in table.out
    data = json.loads(cli("tiers", "--format", "json").out)
    assert {t["jurisdiction"] for t in data} >= {"EU", "US-CO", "US-CA", "US-NY", "US-NY-NYC", "KR", "CN"}
    assert next(t for t in data if t["key"] == "KR-ComputeThreshold")["thresholds"] == {
        "trainingCompute minInclusive": "100000000000000000000000000"
    }
    assert cli("tiers", "GB").code == 2


def test_json_that_yaml_refuses_is_read_as_json() -> None:
    from crosswalk.api.routes_assess import _read

    body = b'{"format":\t1, "system": {"id": "x", "name": "x", "training_compute_flop": 1e26},'
    body += b' "markets": {"EU": {"roles": ["deployer"]}}}'
    profile = _read(body, "application/json")
    assert profile.training_compute == Decimal("1E+26")
    with pytest.raises(RuleFileError):
        _read(body, "application/yaml")  # as YAML, the tab is an error with its line
    with pytest.raises(QueryError, match="not JSON"):
        _read(b'{"format":\t1,', "application/json")


def test_cli_assess_writes_html_and_pdf(cli, corpus_dir, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["assess", str(PROFILES / "police-rbi.yaml"), "--store", str(corpus_dir), "--as-of", "2026-12-03"]
    html = cli(*args, "--format", "html")
    assert html.code == 0, html.err
    assert "EU prohibited practice: real-time remote biometric identification" in html.out
    assert "Art. 5(1)(h)" in html.out
    pdf = tmp_path / "rbi.pdf"
    assert cli(*args, "--format", "pdf", "-o", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert cli(*args, "--format", "pdf").code == 2  # a PDF needs a file


def test_a_market_without_tier_definitions_is_said_so_and_left_out_of_misalignment(corpus) -> None:  # type: ignore[no-untyped-def]
    base = _profile("customer-service-bot")
    profile = replace(base, markets=(*base.markets[:1], Market("GB", ("deployer",))))
    a = assess(corpus, profile, date(2026, 12, 3))
    gb = a.market("GB")
    assert gb.level == "not modelled" and gb.tiers == ()
    assert any("defines no tiers for GB" in n for n in gb.notes)
    assert a.misalignment is None  # the EU's level stands alone
