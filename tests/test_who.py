"""Who regulates a concept (issue 14): one call answers "which parties ban social scoring?",
with each party's standing said honestly (own rules, inherited, pending, declared absence, or
not curated)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx

from crosswalk.graph.store import Store
from crosswalk.queries.compare import clear_cache
from crosswalk.queries.who import narrower, who_regulates


def _state(view, code: str) -> str:  # type: ignore[no-untyped-def]
    return next(h.state for h in view.holdings if h.code == code)


def test_who_bans_social_scoring(corpus: Store) -> None:
    clear_cache()
    view = who_regulates(corpus, "SocialScoring", date(2026, 12, 2))
    eu = next(h for h in view.holdings if h.code == "EU")
    # AI Act Art. 5(1)(c), applying since 2 Feb 2025; Kazakhstan's Art. 17(3)(3) since 18 Jan 2026
    assert eu.state == "rules" and [p.citation for p in eu.in_force] == ["Art. 5(1)(c)"]
    assert eu.in_force[0].applies_from == "2025-02-02" and eu.in_force[0].modality == "prohibition"
    assert _state(view, "KZ") == "rules"
    # Italy is bound by the EU's ban, it has no ban of its own
    italy = next(h for h in view.holdings if h.code == "IT")
    assert italy.state == "inherited" and italy.inherited[0].jurisdiction == "EU"
    # Brazil's bill would ban it: pending, never counted as law
    assert _state(view, "BR") == "pending only"
    # the CoE declares its prohibited practices curated and has no such ban; Korea declares nothing
    assert _state(view, "CoE") == "no rule"
    assert _state(view, "KR") == "not curated"


def test_who_reads_the_law_as_it_stood(corpus: Store) -> None:
    clear_cache()
    # On 1 June 2024 the AI Act was a proposal (adopted 13 June 2024): pending, not in force
    view = who_regulates(corpus, "SocialScoring", date(2024, 6, 1))
    eu = next(h for h in view.holdings if h.code == "EU")
    assert eu.state == "pending only" and {p.why_pending for p in eu.pending} == {"instrument proposed"}


def test_a_concept_brings_its_narrower_ones(corpus: Store) -> None:
    assert {"DeepfakeDisclosure", "AIGeneratedTextDisclosure"} <= set(narrower("SyntheticContentLabelling"))
    view = who_regulates(corpus, "SyntheticContentLabelling", date(2026, 12, 2))
    assert view.concepts[0] == "SyntheticContentLabelling"
    assert view.narrower == ("AIGeneratedTextDisclosure", "DeepfakeDisclosure")
    concepts = {p.concept for h in view.holdings for p in h.in_force}
    assert "DeepfakeDisclosure" in concepts and "SyntheticContentLabelling" in concepts


def test_the_concept_command_and_page(corpus_dir: Path, cli, server: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("concept", "SocialScoring", "--as-of", "2026-12-02", "--store", str(corpus_dir))
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "European Union (EU): has its own rules" in text and "EU AI Act Art. 5(1)(c)" in text
    assert "Not curated (absence proves nothing):" in text
    wider = cli("concept", "SyntheticContentLabelling", "--as-of", "2026-12-02", "--store", str(corpus_dir))
    assert "(with its narrower concepts AIGeneratedTextDisclosure, DeepfakeDisclosure)" in " ".join(wider.out.split())
    assert cli("concept", "SocialScorng", "--store", str(corpus_dir)).code == 2  # a typo is bad input
    page = httpx.get(f"{server}/concept/SocialScoring", params={"as_of": "2026-12-02"}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Who regulates it on 2026-12-02" in page.text and "EU AI Act Art. 5(1)(c)" in page.text
    page = httpx.get(f"{server}/concept/SyntheticContentLabelling", headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<a href="DeepfakeDisclosure">Deep fake disclosure</a>' in page.text
    listing = cli("concepts", "prohibited-practices")
    assert listing.code == 0 and "SocialScoring" in listing.out and "RiskManagementSystem" not in listing.out
    assert "prohibited-practices" in cli("groups").out and "US-CO" in cli("jurisdictions").out


def test_what_changes_between_two_dates(corpus: Store, corpus_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from crosswalk.queries.diff import diff

    clear_cache()
    # EU-US-CO from 2 Dec 2026 to 3 Dec 2027: the EU's Art. 9 starts applying to Annex III
    # systems on 2 Dec 2027 (Reg. (EU) 2026/1744), so the risk-management verdict changes and
    # says why, with the date
    d = diff(corpus, "EU", "US-CO", date(2026, 12, 2), date(2027, 12, 3))
    risk = next(c for c in d.changes if c.concept == "RiskManagementSystem")
    assert risk.before != risk.after
    assert any(e.startswith("EU: EU AI Act Art. 9(1)-(2) applies from 2027-12-02") for e in risk.events)
    # Colorado's SB 24-205 duties stop at the end of 2026 (replaced by SB 26-189 from 2027-01-01),
    # and the event gives that day, not just "by 2027-12-03"
    assert any(
        "Colorado AI Act" in e and "(SB 24-205 text) applies until 2026-12-31" in e for c in d.changes for e in c.events
    )
    # The GDPR does not stop applying when the AI Act's Art. 26(11) starts to answer the notice
    # question for the EU: its Arts. 13(2)(f) and 14(2)(g) still apply, as general law, and the
    # event says so ("no longer applies" here would be false)
    notice = next(c for c in d.changes if c.concept == "ConsequentialDecisionNotice")
    gdpr = [e for e in notice.events if "GDPR" in e]
    assert gdpr and all("still applies as general law" in e for e in gdpr), notice.events
    assert not any("GDPR" in e and "no longer" in e for c in d.changes for e in c.events)
    # a provision that applies in phases is named once, with both dates
    risk_events = [e for e in risk.events if "Art. 9(1)-(2)" in e]
    assert len(risk_events) == 1
    # nothing changes between two days with no event
    assert diff(corpus, "EU", "US-CO", date(2026, 12, 2), date(2026, 12, 3)).changes == ()
    result = cli("diff", "EU", "US-CO", "--from", "2026-12-02", "--to", "2027-12-03", "--store", str(corpus_dir))
    assert result.code == 0 and "Risk management system" in result.out
    assert (
        cli("diff", "EU", "US-CO", "--from", "2027-01-01", "--to", "2026-01-01", "--store", str(corpus_dir)).code == 2
    )


def test_a_jurisdiction_page_shows_instruments_coverage_and_caveats(server: str) -> None:
    page = httpx.get(f"{server}/id/jurisdiction/US-CO", headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = page.text
    assert "<h2>Instruments</h2>" in text and "SB 24-205" in text and "general law" in text
    assert "<h2>Coverage by group</h2>" in text and "known omission" in text and "covered" in text
    # the enforcement stay in X.AI LLC v. Weiser, with its date and source
    assert "<h2>Caveats</h2>" in text and "X.AI LLC v. Weiser" in text and "2026-04-27" in text
