"""Property tests of the comparison semantics on small generated graphs (hypothesis).

Each example builds two instruments from generated provisions with the real RDF builder, loads
them into a real embedded store with the reference vocabulary, and compares.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswalk.graph.build import build, graph_iri
from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.ingest import ensure_reference
from crosswalk.graph.model import Coverage, Instrument, Parameter, Provision, RiskTier, Role, RuleFile
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology.hierarchy import canonical
from crosswalk.queries.compare import compare
from crosswalk.queries.findings import Comparison
from crosswalk.queries.scope import dimension, mirror

V = vocabulary()
AS_OF = date(2026, 11, 24)
# A few safeguard concepts and a few practice concepts, so conflicts can arise.
CONCEPTS = ["SeriousIncidentReporting", "HumanOversight", "RiskManagementSystem", "SocialScoring", "RealWorldTesting"]
ROLES = [
    Role("dev", "developer", V.common_roles.iri("developer")),
    Role("dep", "deployer", V.common_roles.iri("deployer")),
    Role("anyone", "any person", V.common_roles.iri("any-person")),
]
TIERS = [
    RiskTier("hr", "high risk", V.risk_levels.iri("high")),
    RiskTier("lr", "limited", V.risk_levels.iri("limited")),
]


@st.composite
def provisions(draw: st.DrawFn, prefix: str) -> list[Provision]:
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=5))):
        days = draw(st.sampled_from([None, 2, 15, 90]))
        params = [Parameter(V.parameter_kinds.iri("deadline"), f"P{days}D", Decimal(days))] if days else []
        out.append(
            Provision(
                id=f"{prefix}{n}",
                citation=f"Art. {n + 1}",
                modality=V.modalities.iri(draw(st.sampled_from(["obligation", "prohibition", "permission", "right"]))),
                concepts=[V.concepts.iri(draw(st.sampled_from(CONCEPTS)))],
                bearer=[draw(st.sampled_from([r.id for r in ROLES]))],
                summary="A generated provision for property tests.",
                risk_tiers=draw(st.lists(st.sampled_from([t.id for t in TIERS]), max_size=2, unique=True)),
                parameters=params,
                applies_from=date(2025, 1, 1),
            )
        )
    return out


def rule_file(instrument_id: str, code: str, items: list[Provision]) -> RuleFile:
    instrument = Instrument(
        id=instrument_id,
        jurisdiction=V.jurisdictions.iri(code),
        title=f"Generated {code} act",
        type=V.instrument_types.iri("statute"),
        binding=True,
        status=V.statuses.iri("in-force"),
        source="https://example.org/act",
        curated=AS_OF,
        short_title=f"{code} act",
        dates={"entry_into_force": date(2025, 1, 1)},
    )
    coverage = [Coverage(list(V.concept_groups.members.values()), AS_OF)]
    return RuleFile(Path(f"{instrument_id}.yaml"), instrument_id, instrument, [], TIERS, ROLES, coverage, items)


def store_with(*files: RuleFile) -> EmbeddedStore:
    store = EmbeddedStore(None)
    ensure_reference(store)
    for f in files:
        store.replace_graph(graph_iri(f.instrument.id), build(f))
    return store


def shape(c: Comparison, swap: bool = False) -> set[tuple[object, ...]]:
    """Findings reduced to what must mirror: kind, concept, conflict kind, sides, relation."""
    flip = {"a": "b", "b": "a"}
    out = set()
    for f in c.findings:
        a, b = (f.b, f.a) if swap else (f.a, f.b)
        stricter = f.stricter  # a party's code or "mixed": the same whichever side it is on
        missing = flip.get(f.missing_side, f.missing_side) if swap and f.missing_side else f.missing_side
        relation = mirror(f.relation) if swap else f.relation
        out.add(
            (
                f.kind,
                f.concept,
                f.conflict,
                frozenset(p.iri for p in a),
                frozenset(p.iri for p in b),
                relation,
                stricter,
                missing,
            )
        )
    return out


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(provisions("a"), provisions("b"))
def test_compare_a_b_mirrors_compare_b_a(a_items: list[Provision], b_items: list[Provision]) -> None:
    store = store_with(rule_file("gen-jp", "JP", a_items), rule_file("gen-br", "BR", b_items))
    forward = compare(store, ["JP", "BR"], AS_OF)
    backward = compare(store, ["BR", "JP"], AS_OF)
    assert shape(forward) == shape(backward, swap=True)
    assert forward.index == backward.index
    assert forward.own_index == backward.own_index


@SETTINGS
@given(provisions("a"))
def test_a_jurisdiction_compared_with_itself_has_only_equivalences(items: list[Provision]) -> None:
    store = store_with(rule_file("gen-jp", "JP", items))
    result = compare(store, ["JP", "JP"], AS_OF)
    assert {f.kind for f in result.findings} == {"equivalent"}
    assert result.index == 1.0


@SETTINGS
@given(provisions("a"), provisions("b"), provisions("x"))
def test_adding_a_provision_never_removes_a_gap_on_the_other_side(
    a_items: list[Provision], b_items: list[Provision], extra: list[Provision]
) -> None:
    b_file = rule_file("gen-br", "BR", b_items)
    before = compare(store_with(rule_file("gen-jp", "JP", a_items), b_file), ["JP", "BR"], AS_OF)
    after = compare(store_with(rule_file("gen-jp", "JP", a_items + extra[:1]), b_file), ["JP", "BR"], AS_OF)

    def b_lacks(c: Comparison) -> set[str]:
        return {f.concept for f in c.of("gap") if f.missing_side == "b"}

    assert b_lacks(before) <= b_lacks(after)


def test_opposed_modalities_conflict_on_a_practice_but_not_on_a_safeguard() -> None:
    def one(pid: str, modality: str, concept: str) -> Provision:
        return Provision(
            pid,
            "Art. 1",
            V.modalities.iri(modality),
            [V.concepts.iri(concept)],
            ["dev"],
            "A generated provision for property tests.",
            applies_from=date(2025, 1, 1),
        )

    store = store_with(
        rule_file(
            "gen-jp", "JP", [one("p", "prohibition", "SocialScoring"), one("s", "prohibition", "HumanOversight")]
        ),
        rule_file("gen-br", "BR", [one("q", "permission", "SocialScoring"), one("t", "obligation", "HumanOversight")]),
    )
    result = compare(store, ["JP", "BR"], AS_OF)
    # JP and BR are sovereign regimes: opposed rules bind in different markets, so a tension
    # (one provider can meet each where it applies), never "cannot comply with both"
    assert not result.of("conflict")
    assert [(f.concept, f.conflict) for f in result.of("tension")] == [
        ("SocialScoring", "permits-what-other-prohibits")
    ]
    assert "HumanOversight" in {f.concept for f in result.of("divergent")}


def test_opposed_rules_of_a_state_and_its_federation_conflict() -> None:
    # A Colorado permission against a US federal ban on the same practice: one actor in one
    # market (Colorado) is bound by both, so this is a conflict, not a tension.
    def one(pid: str, modality: str) -> Provision:
        return Provision(
            pid,
            "Art. 1",
            V.modalities.iri(modality),
            [V.concepts.iri("SocialScoring")],
            ["dev"],
            "A generated provision for property tests.",
            applies_from=date(2025, 1, 1),
        )

    store = store_with(
        rule_file("gen-us", "US", [one("ban", "prohibition")]), rule_file("gen-co", "US-CO", [one("ok", "permission")])
    )
    result = compare(store, ["US", "US-CO"], AS_OF)
    assert [(f.concept, f.conflict) for f in result.of("conflict")] == [
        ("SocialScoring", "permits-what-other-prohibits")
    ]


# System types with a broader/narrower pair (FrontierModel skos:broader GeneralPurposeModel).
TYPES = st.frozensets(st.sampled_from(["FrontierModel", "GeneralPurposeModel", "Chatbot", "GenerativeAI"]))


@given(TYPES, TYPES)
def test_scope_relation_is_mirrored_and_equal_exactly_when_canonical_sets_are(
    a: frozenset[str], b: frozenset[str]
) -> None:
    assert dimension(a, b) == mirror(dimension(b, a))
    assert (dimension(a, b) == "equal") == (canonical(a) == canonical(b))
    # a narrower type never reads as unrelated to its broader one
    if "FrontierModel" in a and b == frozenset({"GeneralPurposeModel"}):
        assert dimension(a, b) != "disjoint"


# ---------------------------------------------------------------- the verdict rules' invariants
# (issue 12): soft law is never stricter than binding law; a one-sided figure never yields
# "equivalent"; compare(A, B) mirrors compare(B, A) (above).


def _soft(instrument_id: str, code: str, items: list[Provision]) -> RuleFile:
    f = rule_file(instrument_id, code, items)
    return RuleFile(
        f.path,
        f.sha256,
        Instrument(**{**f.instrument.__dict__, "binding": False, "type": V.instrument_types.iri("guideline")}),
        [],
        f.risk_tiers,
        f.roles,
        f.coverage,
        f.provisions,
    )


@SETTINGS
@given(provisions("a"), provisions("b"))
def test_soft_law_is_never_the_stricter_side_against_binding_law(
    a_items: list[Provision], b_items: list[Provision]
) -> None:
    store = store_with(rule_file("gen-jp", "JP", a_items), _soft("gen-br", "BR", b_items))
    for f in compare(store, ["JP", "BR"], AS_OF).of("divergent"):
        binding_duties = [p for p in f.a if p.modality in ("obligation", "prohibition")]
        soft_duties = [p for p in f.b if p.modality in ("obligation", "prohibition")]
        assert f.stricter not in ("BR", "mixed"), f.reasons
        if binding_duties and soft_duties:
            assert f.stricter == "JP", f.reasons


@SETTINGS
@given(provisions("a"), st.sampled_from([2, 15, 90]))
def test_a_figure_set_on_one_side_only_never_yields_equivalent(items: list[Provision], days: int) -> None:
    # the same provisions on both sides, but one side's first provision also sets a deadline
    deadline = Parameter(V.parameter_kinds.iri("deadline"), f"P{days}D", Decimal(days))
    mirrored = [Provision(**{**p.__dict__, "id": "b" + p.id[1:], "parameters": []}) for p in items]
    first = items[0]
    with_figure = [Provision(**{**first.__dict__, "parameters": [deadline]}), *items[1:]]
    with_figure = [Provision(**{**p.__dict__, "parameters": []}) if i else p for i, p in enumerate(with_figure)]
    store = store_with(rule_file("gen-jp", "JP", with_figure), rule_file("gen-br", "BR", mirrored))
    result = compare(store, ["JP", "BR"], AS_OF)
    first_concept = str(first.concepts[0]).rsplit("/", 1)[-1]
    assert first_concept not in {f.concept for f in result.of("equivalent")}
    # and the difference is said, naming the party that sets the figure
    said = [r for f in result.findings if f.concept == first_concept for r in f.reasons]
    assert any("deadline" in r and "JP sets" in r for r in said), said
