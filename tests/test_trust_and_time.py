"""Caveats, provenance and exact time: what changes how far a reader can lean on a provision,
and when it applies to what (issue 13).

The rule files here are small made-up instruments of real jurisdictions, ingested into the real
embedded store, so each property is tested on its own; the corpus tests then hold the bundled
law to the same reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.errors import RuleFileError
from crosswalk.graph.ingest import ingest_all, load, rule_files
from crosswalk.graph.store import Store
from crosswalk.queries.compare import clear_cache, compare, in_force, pending
from crosswalk.queries.report import build_report

HEAD = """format: 1
instrument:
  id: {id}
  jurisdiction: {j}
  title: A test act
  short_title: Test act {j}
  type: statute
  binding: true
  status: in-force
  dates: {{adopted: 2024-05-01, entry_into_force: 2024-08-01}}
  source: https://example.org/act
  curated: 2026-12-02
  sanction: fine
  sanction_citation: Sec. 9
risk_tiers:
  - {{id: annex-iii, label: High-risk AI system (Annex III), level: high}}
  - {{id: annex-i, label: High-risk AI system (Annex I product), level: high}}
roles:
  - {{id: provider, label: provider, maps_to: developer}}
"""

PROVISIONS = """provisions:
  - id: s1
    citation: Sec. 1
    modality: obligation
    concepts: [RiskManagementSystem]
    bearer: [provider]
    summary: Keep a risk management system.
    scope: {risk_tiers: [annex-iii, annex-i]}
    applies_from: 2027-12-02
    phases:
      - {applies_from: 2028-08-02, risk_tiers: [annex-i], citation: Sec. 20(b)}
    provenance: {method: official-text, confidence: high, review: peer-reviewed}
  - id: s2
    citation: Sec. 2
    modality: obligation
    concepts: [AIInteractionDisclosure]
    bearer: [provider]
    summary: Tell people they are talking to an AI system.
    provenance: {method: secondary-source, confidence: medium, review: unreviewed}
"""

CAVEATS = """caveats:
  - kind: enforcement-stay
    from: 2026-04-27
    until: 2027-06-30
    by: Test v. State, order of 2026-04-27
    source: https://example.org/order
    affects: [s2]
    summary: The attorney general agreed not to enforce Sec. 2 until the court rules.
"""


def _file(tmp_path: Path, text: str, name: str = "act.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


OTHER = """provisions:
  - id: s2
    citation: Art. 2
    modality: obligation
    concepts: [AIInteractionDisclosure]
    bearer: [provider]
    summary: Tell people they are talking to an AI system.
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    clear_cache()
    db = EmbeddedStore(None)
    ingest_all(db, rule_files([_file(tmp_path, HEAD.format(id="test-act", j="KR") + PROVISIONS + CAVEATS)]))
    ingest_all(db, rule_files([_file(tmp_path, HEAD.format(id="other-act", j="VN") + OTHER, "other.yaml")]))
    yield db
    db.close()
    clear_cache()


def test_a_phase_carries_part_of_the_scope_to_its_later_date(store: Store) -> None:
    # On 3 Dec 2027 the duty applies to Annex III systems only; the Annex I part is pending
    # with its own date, and from 2 Aug 2028 both apply.
    early = {p.iri.rsplit("/", 1)[-1] for p in in_force(store, "KR", date(2027, 12, 3))}
    assert "s1" in early and "s1.from-2028-08-02" not in early
    waiting = {p.iri.rsplit("/", 1)[-1]: p for p in pending(store, "KR", date(2027, 12, 3))}
    assert waiting["s1.from-2028-08-02"].applies_from == "2028-08-02"
    assert "Annex I product" in waiting["s1.from-2028-08-02"].summary
    late = {p.iri.rsplit("/", 1)[-1] for p in in_force(store, "KR", date(2028, 8, 3))}
    assert {"s1", "s1.from-2028-08-02"} <= late


def test_a_caveat_shows_on_the_provision_while_it_holds(store: Store) -> None:
    during = {p.iri.rsplit("/", 1)[-1]: p for p in in_force(store, "KR", date(2027, 1, 1))}
    assert [c.kind for c in during["s2"].caveats] == ["enforcement-stay"]
    assert "Test v. State" in during["s2"].caveats[0].text()
    clear_cache()
    after = {p.iri.rsplit("/", 1)[-1]: p for p in in_force(store, "KR", date(2027, 7, 1))}
    assert after["s2"].caveats == ()


def test_findings_and_reports_carry_provenance_and_caveats(store: Store) -> None:
    c = compare(store, ["KR", "VN"], date(2027, 1, 1))
    data = c.to_dict()
    refs = [p for f in data["findings"] for p in f["a"]]
    s2 = next(p for p in refs if p["provision"].endswith("/s2"))
    assert s2["provenance"] == {"method": "secondary-source", "confidence": "medium", "review": "unreviewed"}
    assert s2["caveats"][0]["by"] == "Test v. State, order of 2026-04-27"
    assert data["provenance"]["KR"]["with_caveats"] == 1
    report = build_report(store, ["KR", "VN"], date(2027, 1, 1))
    kr = next(p for p in report["parties"] if p["code"] == "KR")
    # in force on 1 Jan 2027: Sec. 2 only (Sec. 1 applies from 2 Dec 2027), not reviewed, stayed
    assert kr["provenance"]["provisions"] == 1 and kr["provenance"]["peer_reviewed"] == 0
    assert "1 under a caveat" in kr["provenance"]["line"]
    cited = report["provisions"]
    assert any(p["caveats"] for p in cited.values())


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        (CAVEATS.replace("until: 2027-06-30", "until: 2026-01-01"), "must be after `from`"),
        (CAVEATS.replace("enforcement-stay", "moratorium"), "kind"),
        (CAVEATS.replace("affects: [s2]", "affects: [s9]"), "no provision with id 's9'"),
    ],
)
def test_a_bad_caveat_is_refused_with_its_line(tmp_path: Path, snippet: str, message: str) -> None:
    path = _file(tmp_path, HEAD.format(id="test-act", j="KR") + PROVISIONS + snippet)
    with pytest.raises(RuleFileError) as err:
        load(path)
    assert message in str(err.value) and "caveats[0]" in str(err.value)


@pytest.mark.parametrize(
    ("phase", "message"),
    [
        ("{applies_from: 2028-08-02, risk_tiers: [annex-iii, annex-i], citation: X}", "leave at least one"),
        ("{applies_from: 2027-01-01, risk_tiers: [annex-i], citation: X}", "must be after 2027-12-02"),
    ],
)
def test_a_bad_phase_is_refused(tmp_path: Path, phase: str, message: str) -> None:
    text = PROVISIONS.replace("{applies_from: 2028-08-02, risk_tiers: [annex-i], citation: Sec. 20(b)}", phase)
    path = _file(tmp_path, HEAD.format(id="test-act", j="KR") + text)
    with pytest.raises(RuleFileError) as err:
        load(path)
    assert message in str(err.value)


def test_pending_is_the_law_as_it_stood(corpus: Store) -> None:
    clear_cache()
    # On 1 June 2024 no executive order of 2025 existed yet: nothing of them is "pending".
    early = pending(corpus, "US", date(2024, 6, 1))
    assert not [p for p in early if "/us-eo-14" in p.iri and "14110" not in p.iri]
    # Canada's AIDA lapsed on 6 January 2025; on 1 June 2024 it was a bill before Parliament.
    aida = [p for p in pending(corpus, "CA", date(2024, 6, 1)) if "/ca-aida/" in p.iri]
    assert aida and {p.why_pending for p in aida} == {"instrument proposed"}
    assert not [p for p in pending(corpus, "CA", date(2025, 6, 1)) if "/ca-aida/" in p.iri]


def test_eu_high_risk_duties_apply_to_annex_i_products_only_from_august_2028(corpus: Store) -> None:
    # Art. 113, third paragraph, point (c), as replaced by Reg. (EU) 2026/1744: Chapter III
    # Sections 1-3 apply to Annex III systems from 2 Dec 2027 and to Annex I products (medical
    # devices, machinery…) from 2 Aug 2028. On 3 Dec 2027 Art. 9 applies to the first only.
    clear_cache()
    base = "https://w3id.org/crosswalk/id/eu-ai-act/"
    on = {p.iri: p for p in in_force(corpus, "EU", date(2027, 12, 3)) if p.concept == "RiskManagementSystem"}
    assert base + "art9" in on and base + "art9.from-2028-08-02" not in on
    later = {p.iri: p for p in pending(corpus, "EU", date(2027, 12, 3))}
    assert later[base + "art9.from-2028-08-02"].applies_from == "2028-08-02"
    assert "Annex I product" in later[base + "art9.from-2028-08-02"].summary
    # Art. 6(1) (Annex I products are high-risk) carries the same date
    assert base + "art6-1" in later
    both = {p.iri for p in in_force(corpus, "EU", date(2028, 8, 3))}
    assert {base + "art9", base + "art9.from-2028-08-02", base + "art6-1"} <= both


def test_a_vetoed_bill_was_pending_until_its_veto(corpus: Store) -> None:
    # California's SB 1047 passed the Legislature and was vetoed on 29 Sep 2024: on 1 Aug 2024 it
    # was a bill on its way, on 1 Oct 2024 nothing
    clear_cache()
    before = [p for p in pending(corpus, "US-CA", date(2024, 8, 1)) if "/us-ca-sb1047/" in p.iri]
    assert before and {p.why_pending for p in before} == {"instrument proposed"}
    clear_cache()
    assert not [p for p in pending(corpus, "US-CA", date(2024, 10, 1)) if "/us-ca-sb1047/" in p.iri]
    assert not [p for p in in_force(corpus, "US-CA", date(2024, 8, 1)) if "/us-ca-sb1047/" in p.iri]
