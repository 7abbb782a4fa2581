"""The bundled corpus: it ingests cleanly, and specific facts read from the official texts hold.

Each fact is asserted through SPARQL on the ingested corpus and carries the citation a reader
can check it against. EU: Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744.
Colorado: C.R.S. 6-1-1701 to 1707 as enacted by SB 24-205, delayed by SB 25B-004 and repealed
and reenacted by SB 26-189 (from 2027-01-01).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crosswalk.graph.store import Rows, Store
from crosswalk.queries.registry import get
from crosswalk.queries.stats import collect

PREFIX = """PREFIX xw: <https://w3id.org/crosswalk/ontology#>
PREFIX xwc: <https://w3id.org/crosswalk/concept/>
PREFIX id: <https://w3id.org/crosswalk/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def ask(store: Store, body: str) -> bool:
    # `id:eu-ai-act/art5-1-c` reads well but '/' is a path operator in a prefixed name: expand it.
    body = re.sub(r"\bid:([\w.-]+(?:/[\w.-]+)*)", r"<https://w3id.org/crosswalk/id/\1>", body)
    result = store.query(PREFIX + "ASK {" + body + "}")
    assert isinstance(result, bool)
    return result


def test_both_spine_instruments_ingest_with_their_provisions(corpus: Store) -> None:
    stats = collect(corpus)
    per = {code: (i, p) for code, i, p in stats.per_jurisdiction}
    # the EU AI Act, the GDPR, DSA and Platform Work Directive as general law that reaches AI,
    # and the AI-specific clauses of other acts (Machinery Regulation…)
    rows = corpus.query(PREFIX + "SELECT ?i WHERE { ?i a xw:Instrument ; xw:jurisdiction ?j . ?j xw:code 'EU' }")
    assert isinstance(rows, Rows)
    eu = {str(r[0]).rsplit("/", 1)[-1] for r in rows.rows}
    assert {"eu-ai-act", "eu-gdpr", "eu-dsa", "eu-machinery-regulation"} <= eu and per["EU"][0] == len(eu)
    rows = corpus.query(
        PREFIX + "SELECT (COUNT(?p) AS ?n) WHERE { ?p xw:partOf <https://w3id.org/crosswalk/id/eu-ai-act> }"
    )
    assert isinstance(rows, Rows) and int(str(rows.rows[0][0])) >= 100
    # the Colorado AI Act, and the Colorado Privacy Act's profiling rules as general law
    assert per["US-CO"][0] == 2 and per["US-CO"][1] >= 25


FACTS_DIR = Path(__file__).parent / "facts"


def _facts() -> list[tuple[str, str, str]]:
    out = []
    for file in sorted(FACTS_DIR.glob("*.yaml")):
        for item in yaml.safe_load(file.read_text(encoding="utf-8")):
            out.append((file.stem, item["fact"], item["ask"]))
    return out


FACTS = _facts()


@pytest.mark.parametrize(("source", "fact", "pattern"), FACTS, ids=[f"{f[0]}: {f[1][:60]}" for f in FACTS])
def test_fact_holds_in_the_ingested_corpus(corpus: Store, source: str, fact: str, pattern: str) -> None:
    assert ask(corpus, pattern), f"{source}: {fact}"


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


def test_at_least_sixty_checked_facts_and_twenty_instruments_in_twelve_jurisdictions(corpus: Store) -> None:
    assert len(FACTS) >= 60
    stats = collect(corpus)
    assert stats.instruments >= 20 and stats.jurisdictions >= 12 and stats.provisions >= 400


def _pairs(store: Store, sparql: str) -> set[tuple[str, str]]:
    rows = store.query(PREFIX + sparql)
    assert isinstance(rows, Rows)
    return {(str(a), str(b)) for a, b in rows.rows}


def test_every_jurisdiction_states_its_coverage_or_what_is_missing(corpus: Store) -> None:
    # methodology.md: each jurisdiction says which groups are curated completely, or records the
    # uncurated AI rules that keep a group from being declared; silence would read as neither.
    with_provisions = _pairs(
        corpus, "SELECT DISTINCT ?j ?k WHERE { ?p xw:partOf ?i . ?i xw:jurisdiction ?j BIND(1 AS ?k) }"
    )
    stated = _pairs(
        corpus,
        "SELECT DISTINCT ?j ?k WHERE { { ?c a xw:CoverageStatement } UNION { ?c a xw:KnownOmission } "
        "?c xw:jurisdiction ?j BIND(1 AS ?k) }",
    )
    assert with_provisions - stated == set()


def test_every_jurisdiction_with_binding_ai_law_ends_each_key_group_declared_or_omitted() -> None:
    # Issue 13: for the five groups negotiators ask about first, a jurisdiction with binding AI
    # law is either declared covered or says what is missing; "undeclared" is not allowed.
    from collections import defaultdict

    from crosswalk.graph.coverage import binding_ai_law, key_states
    from crosswalk.graph.ingest import bundled_corpus, load, rule_files
    from crosswalk.graph.vocabulary import vocabulary

    group_key = {iri: key for key, iri in vocabulary().concept_groups.members.items()}
    by_j = defaultdict(list)
    for file in rule_files([bundled_corpus()]):
        rules = load(file)
        by_j[rules.instrument.jurisdiction].append(rules)
    silent = {
        (str(j).rsplit("/", 1)[-1], group)
        for j, files in by_j.items()
        if binding_ai_law(files)
        for group, st in key_states(files, group_key).items()
        if st.state == "undeclared"
    }
    assert silent == set()
    # and every coverage statement on a key group says what was searched to be sure (the
    # soft-law bodies' "principles" statements of 2026-11-24 predate the field)
    from crosswalk.graph.coverage import KEY_GROUPS

    keys = {g for groups in KEY_GROUPS.values() for g in groups}
    unsupported = [
        r.instrument.id
        for files in by_j.values()
        for r in files
        for c in r.coverage
        if not c.searched and {group_key[g] for g in c.groups} & keys
    ]
    assert unsupported == []


def test_no_group_is_both_declared_complete_and_known_to_be_incomplete(corpus: Store) -> None:
    declared = _pairs(
        corpus, "SELECT ?j ?g WHERE { ?c a xw:CoverageStatement ; xw:jurisdiction ?j ; xw:coversGroup ?g }"
    )
    omitted = _pairs(corpus, "SELECT ?j ?g WHERE { ?o a xw:KnownOmission ; xw:jurisdiction ?j ; xw:omitsGroup ?g }")
    assert declared & omitted == set()


def test_a_known_omission_is_ingested_and_listed_by_its_named_query(excerpt_text: str, tmp_path: Path) -> None:
    from crosswalk.graph.embedded import EmbeddedStore
    from crosswalk.graph.ingest import ingest_all, rule_files

    text = excerpt_text.replace(
        "provisions:\n",
        "known_omissions:\n  - groups: [transparency, content-data]\n    as_of: 2026-11-24\n"
        "    note: Art. 50(7) codes of practice are not curated.\nprovisions:\n",
        1,
    )
    (tmp_path / "excerpt.yaml").write_text(text, encoding="utf-8")
    store = EmbeddedStore(None)
    ingest_all(store, rule_files([tmp_path]))  # SHACL runs here: the omission must satisfy its shape
    rows = get("known-omissions").run(store)
    assert isinstance(rows, Rows)
    got = {(str(r[0]), str(r[1]), str(r[3])) for r in rows.rows}
    assert got == {
        ("EU", "content-data", "Art. 50(7) codes of practice are not curated."),
        ("EU", "transparency", "Art. 50(7) codes of practice are not curated."),
    }


def test_provisions_are_typed_as_provisions(corpus: Store) -> None:
    # researchers ask `?p a xw:Provision` without an RDFS reasoner (issue 14)
    rows = corpus.query(PREFIX + "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a xw:Provision ; a xw:Obligation }")
    assert isinstance(rows, Rows) and int(str(rows.rows[0][0])) > 300
