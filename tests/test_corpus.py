"""The bundled corpus: it ingests cleanly, and specific facts read from the official texts hold.

Each fact is asserted through SPARQL on the ingested corpus and carries the citation a reader
can check it against. EU: Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744.
Colorado: C.R.S. 6-1-1701 to 1707 as enacted by SB 24-205, delayed by SB 25B-004 and repealed
and reenacted by SB 26-189 (from 2027-01-01).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import bundled_corpus, ingest_all, rule_files
from crosswalk.graph.store import Rows, Store
from crosswalk.queries.registry import get
from crosswalk.queries.stats import collect

PREFIX = """PREFIX xw: <https://w3id.org/crosswalk/ontology#>
PREFIX xwc: <https://w3id.org/crosswalk/concept/>
PREFIX id: <https://w3id.org/crosswalk/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def corpus() -> Iterator[Store]:
    store = EmbeddedStore(None)
    ingest_all(store, rule_files([bundled_corpus()]))
    yield store
    store.close()


def ask(store: Store, body: str) -> bool:
    # `id:eu-ai-act/art5-1-c` reads well but '/' is a path operator in a prefixed name: expand it.
    body = re.sub(r"\bid:([\w.-]+(?:/[\w.-]+)*)", r"<https://w3id.org/crosswalk/id/\1>", body)
    result = store.query(PREFIX + "ASK {" + body + "}")
    assert isinstance(result, bool)
    return result


def test_both_spine_instruments_ingest_with_their_provisions(corpus: Store) -> None:
    stats = collect(corpus)
    per = {code: (i, p) for code, i, p in stats.per_jurisdiction}
    assert per["EU"][0] == 1 and per["EU"][1] >= 100
    assert per["US-CO"][0] == 1 and per["US-CO"][1] >= 25


FACTS = [
    # --- EU AI Act
    (
        "Art. 5(1)(c): social scoring is prohibited from 2 Feb 2025 (Art. 113(a))",
        "id:eu-ai-act/art5-1-c a xw:Prohibition ; xw:concerns xwc:SocialScoring ; "
        'xw:appliesFrom "2025-02-02"^^xsd:date',
    ),
    (
        "Art. 5(1)(f): emotion recognition at work or school is prohibited",
        "id:eu-ai-act/art5-1-f a xw:Prohibition ; xw:concerns xwc:EmotionRecognitionWorkplaceEducation",
    ),
    (
        "Art. 5(1)(h): the real-time remote biometric identification ban binds users (deployers)",
        "id:eu-ai-act/art5-1-h a xw:Prohibition ; xw:bearer/rdfs:subClassOf xw:Deployer",
    ),
    (
        "Art. 99(3): prohibited practices fined up to EUR 35 000 000",
        'id:eu-ai-act/art99-3 xw:parameter [ xw:parameterKind xw:FineCeiling ; xw:amount ?a ; xw:currency "EUR" ] '
        "FILTER(?a = 35000000)",
    ),
    (
        "Art. 99(3): or up to 7 % of total worldwide annual turnover",
        "id:eu-ai-act/art99-3 xw:parameter [ xw:parameterKind xw:TurnoverFineCeiling ; xw:percent ?p ] FILTER(?p = 7)",
    ),
    (
        "Art. 99(4): other operator obligations fined up to EUR 15 000 000 or 3 %",
        "id:eu-ai-act/art99-4 xw:parameter [ xw:amount ?a ] , [ xw:percent ?p ] FILTER(?a = 15000000 && ?p = 3)",
    ),
    (
        "Art. 73(2): serious incidents reported within 15 days of awareness",
        "id:eu-ai-act/art73-2 xw:concerns xwc:SeriousIncidentReporting ; "
        "xw:parameter [ xw:parameterKind xw:Deadline ; xw:durationDays ?d ] FILTER(?d = 15)",
    ),
    (
        "Art. 73(4): in the event of a death, within 10 days",
        "id:eu-ai-act/art73-4 xw:parameter [ xw:parameterKind xw:Deadline ; xw:durationDays ?d ] FILTER(?d = 10)",
    ),
    (
        "Art. 51(2): systemic risk presumed above 10^25 FLOP of training compute",
        "id:eu-ai-act/art51 xw:parameter [ xw:parameterKind xw:ComputeThreshold ; xw:quantity ?q ; xw:unit ?u ] "
        'FILTER(?q = 1.0e25 && CONTAINS(?u, "FLOP"))',
    ),
    (
        "Art. 19(1): providers keep automatically generated logs at least six months",
        "id:eu-ai-act/art19 xw:parameter [ xw:parameterKind xw:RetentionPeriod ; xw:durationDays ?d ] FILTER(?d = 180)",
    ),
    (
        "Art. 18(1): technical documentation kept for 10 years",
        "id:eu-ai-act/art18 xw:parameter [ xw:parameterKind xw:RetentionPeriod ; xw:duration ?d ] "
        'FILTER(STR(?d) = "P10Y")',
    ),
    (
        "Art. 50(1): providers disclose AI interaction, applying from 2 Aug 2026 (not moved by 2026/1744)",
        'id:eu-ai-act/art50-1 xw:concerns xwc:AIInteractionDisclosure ; xw:appliesFrom "2026-08-02"^^xsd:date ; '
        "xw:bearer/rdfs:subClassOf xw:Developer",
    ),
    (
        "GPAI duties (Art. 53) apply from 2 Aug 2025 (Art. 113(b))",
        'id:eu-ai-act/art53-1-a xw:appliesFrom "2025-08-02"^^xsd:date',
    ),
    (
        "Art. 101 GPAI fines apply from 2 Aug 2026: Art. 113(b) carves Art. 101 out of the 2025 date",
        'id:eu-ai-act/art101 xw:appliesFrom "2026-08-02"^^xsd:date',
    ),
    (
        "Regulation (EU) 2026/1744 moved Annex III high-risk duties (e.g. Art. 9) to 2 Dec 2027",
        'id:eu-ai-act/art9 xw:appliesFrom "2027-12-02"^^xsd:date . '
        "?c a xw:StatusChange ; xw:affects id:eu-ai-act/art9 ; xw:status xw:InForce ; xw:changedBy ?by "
        'FILTER(CONTAINS(?by, "2026/1744"))',
    ),
    (
        "The EU AI Act entered into force on 1 Aug 2024 (Art. 113)",
        'id:eu-ai-act xw:enteredIntoForce "2024-08-01"^^xsd:date ; xw:binding true ; xw:status xw:InForce',
    ),
    # --- Colorado
    (
        "C.R.S. 6-1-1702(5): developers tell the AG of discrimination risks within 90 days",
        "id:us-co-ai-act/v2024-s6-1-1702-5 xw:concerns xwc:DiscriminationRiskNotification ; "
        "xw:parameter [ xw:parameterKind xw:Deadline ; xw:durationDays ?d ] FILTER(?d = 90)",
    ),
    (
        "SB 25B-004 moved the SB 24-205 duties from 2026-02-01 to 2026-06-30",
        'id:us-co-ai-act/v2024-s6-1-1703-3 xw:appliesFrom "2026-06-30"^^xsd:date . '
        '?c a xw:StatusChange ; xw:changedBy ?by FILTER(CONTAINS(?by, "25B-004"))',
    ),
    (
        "SB 26-189 repeals and reenacts Part 17 from 2027-01-01: the SB 24-205 version ends 2026-12-31",
        'id:us-co-ai-act/v2024-s6-1-1703-3 xw:appliesUntil "2026-12-31"^^xsd:date',
    ),
    (
        "C.R.S. 6-1-1703(3): deployers complete impact assessments at least annually",
        "id:us-co-ai-act/v2024-s6-1-1703-3 xw:concerns xwc:ImpactAssessment ; "
        "xw:parameter [ xw:parameterKind xw:ReviewInterval ; xw:durationDays ?d ] FILTER(?d = 365)",
    ),
    (
        "C.R.S. 6-1-1703(6): the small-deployer exemption is for fewer than 50 full-time employees",
        "id:us-co-ai-act/v2024-s6-1-1703-6 xw:parameter [ xw:parameterKind xw:SizeExemption ; xw:quantity ?q ] "
        "FILTER(?q = 50)",
    ),
    (
        "Colorado's high-risk tier (C.R.S. 6-1-1701(9)) maps to the common high level",
        "id:us-co-ai-act/tier/high-risk xw:mapsToLevel xw:HighRisk",
    ),
    (
        "Colorado's developer and the EU's provider map to the same common role",
        "id:us-co-ai-act/role/developer rdfs:subClassOf xw:Developer . "
        "id:eu-ai-act/role/provider rdfs:subClassOf xw:Developer",
    ),
]


@pytest.mark.parametrize(("fact", "pattern"), FACTS, ids=[f[0][:60] for f in FACTS])
def test_fact_holds_in_the_ingested_corpus(corpus: Store, fact: str, pattern: str) -> None:
    assert ask(corpus, pattern), fact


def test_every_provision_cites_an_article_and_an_official_http_source(corpus: Store) -> None:
    rows = corpus.query(
        PREFIX
        + """SELECT ?p WHERE { ?p xw:partOf ?i ; a ?m . ?m rdfs:subClassOf xw:Provision
        FILTER NOT EXISTS { ?p xw:citation ?c ; xw:officialSource ?s FILTER(STRSTARTS(STR(?s), "http")) } }"""
    )
    assert isinstance(rows, Rows) and rows.rows == []


def test_the_readme_question_changes_when_eu_high_risk_duties_apply(corpus: Store) -> None:
    # Before 2 Dec 2027 the EU's Art. 27 impact assessment does not yet apply; on 2 Jan 2027
    # Colorado's reenacted law applies. After 2 Dec 2027 both sides regulate impact assessment
    # only if Colorado still has such a duty: SB 26-189 dropped it, so it must be absent then too.
    query = get("shared-concepts")
    before = query.run(corpus, {"a": "EU", "b": "US-CO", "at": "2026-11-24"})
    after = query.run(corpus, {"a": "EU", "b": "US-CO", "at": "2028-01-01"})
    assert isinstance(before, Rows) and isinstance(after, Rows)
    concepts_before = {str(r[3]) for r in before.rows}
    concepts_after = {str(r[3]) for r in after.rows}
    assert "Disclosure of interaction with AI" in concepts_before
    assert "Impact assessment before use" not in concepts_before
    assert "Information for deployers" in concepts_after  # EU Art. 13 vs reenacted 6-1-1702
    assert len(concepts_after) > len(concepts_before)
