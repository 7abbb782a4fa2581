"""Matrix verdicts: the indexes and conflict count of `classify.compare_sides`, fast.

The N-way matrix pairs every side with every other and shows no explanations. It applies the
rule book (queries/rules.py) to each side's provisions reduced once to what the rules read
(`Entry`), concept by concept across all sides rather than pair by pair (`table`):

- equivalent: every provision of each side has one of the other with the same `rules.rule_key`
  and overlapping bearers, so only sides holding the same set of keys on a concept can be
  equivalent, and they are grouped by it before bearers are checked;
- opposed: on a practice concept, sides that only prohibit against sides that only oblige or
  permit;
- everything else both regulate is divergent;
- conflicts need one market (one lawmaker part of the other), so they are looked for only between
  pairs of sides holding law of nested lawmakers, with the same function compare uses;
- pairs of sides that hold law of one lawmaker (parties of one federation) share provisions,
  and are judged provision by provision by compare's own function (classify._index).

tests/test_matrix.py holds the results equal to `compare_sides` on the corpus and on generated
data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import combinations
from typing import NamedTuple

from .classify import Context, _partners, index_of, roles_overlap, rules_of
from .findings import Caveat, Provision
from .rules import OPPOSED, classify_opposed, narrower_of, rule_key

Key = tuple[object, ...]  # rules.rule_key of a provision


class Entry(NamedTuple):
    """A provision as the matrix reads it: what the rules compare, nothing to explain."""

    concept: str
    iri: str
    modality: str
    binding: bool
    jurisdiction: str  # who made it: a side includes what it inherits
    roles: frozenset[str]
    key: Key  # rules.rule_key
    # what the provision is made of: the provision itself, or the attributes it was read with
    # (the matrix makes a provision from them only to judge a possible conflict, which is rare)
    source: object = None
    # the caveats that stop its enforcement at the date (rules.stayed), which its key reflects
    caveats: tuple[Caveat, ...] = ()

    @classmethod
    def of(cls, p: Provision) -> Entry:
        return cls(p.concept, p.iri, p.modality, p.binding, p.jurisdiction, p.roles, rule_key(p), p)

    def provision(self) -> Provision:
        if isinstance(self.source, Provision):
            return self.source
        a = self.source
        return Provision(
            iri=self.iri,
            jurisdiction=self.jurisdiction,
            concept=self.concept,
            modality=self.modality,
            citation="",
            summary="",
            source="",
            instrument="",
            instrument_title="",
            binding=self.binding,
            roles=self.roles,
            levels=getattr(a, "levels", frozenset()),
            domains=getattr(a, "domains", frozenset()),
            system_types=getattr(a, "system_types", frozenset()),
            parameters=getattr(a, "parameters", ()),
            qualifiers=getattr(a, "qualifiers", frozenset()),
            thresholds=getattr(a, "thresholds", ()),
            sanction=getattr(a, "sanction", "SanctionNotCurated"),
            caveats=self.caveats,
            narrower=narrower_of(getattr(a, "concepts", frozenset()), self.concept),
        )


@dataclass(frozen=True)
class Side:
    """One side's provisions indexed once for many pairings (the matrix pairs each side N-1 times)."""

    concepts: frozenset[str]
    iris: dict[str, frozenset[str]]  # concept → its provisions
    keys: dict[str, dict[Key, frozenset[frozenset[str]]]]  # concept → rule key → bearer role sets
    keysets: dict[str, frozenset[Key]]  # concept → its rule keys
    modalities: dict[str, frozenset[str]]
    makers: frozenset[str]
    # the entries themselves, for judging a possible conflict; what they were read from (an
    # attributes record or a provision) does not change the side, so sides compare without them
    entries: dict[str, tuple[Entry, ...]] = field(compare=False)
    code: str = ""  # the party (conflicts name it: rules.classify_opposed)

    @classmethod
    def of(cls, items: Iterable[Entry | Provision], ctx: Context, code: str = "") -> Side:
        by: dict[str, list[Entry]] = defaultdict(list)
        for item in items:
            e = Entry.of(item) if isinstance(item, Provision) else item
            by[e.concept].append(e)
        keys: dict[str, dict[Key, frozenset[frozenset[str]]]] = {}
        for concept, es in by.items():
            roles: dict[Key, set[frozenset[str]]] = defaultdict(set)
            for e in es:
                roles[e.key].add(e.roles)
            keys[concept] = {k: frozenset(v) for k, v in roles.items()}
        return cls(
            frozenset(by),
            {c: frozenset(e.iri for e in es) for c, es in by.items()},
            keys,
            {c: frozenset(k) for c, k in keys.items()},
            {c: frozenset(e.modality for e in es) for c, es in by.items()},
            frozenset(e.jurisdiction for es in by.values() for e in es),
            {c: tuple(es) for c, es in by.items()},
            code,
        )

    @cached_property
    def provisions(self) -> list[Provision]:
        """The provisions behind the entries, made once (pairs of one federation need them)."""
        return [e.provision() for es in self.entries.values() for e in es]

    def own(self, code: str, ctx: Context) -> Side:
        """The same side reduced to the law its own lawmaker made (the own-law index)."""
        return Side.of((e for es in self.entries.values() for e in es if e.jurisdiction == code), ctx, code)


def _equivalent(a: dict[Key, frozenset[frozenset[str]]], b: dict[Key, frozenset[frozenset[str]]], ctx: Context) -> bool:
    """With equal key sets: every bearer set under each key overlaps one of the other side's."""
    memo = ctx.pairs
    for key, roles_a in a.items():
        roles_b = b[key]
        known = memo.get((roles_a, roles_b))
        if known is None:
            known = memo[(roles_a, roles_b)] = all(
                any(roles_overlap(x, y, ctx) for y in roles_b) for x in roles_a
            ) and all(any(roles_overlap(x, y, ctx) for x in roles_a) for y in roles_b)
        if not known:
            return False
    return True


def verdicts(
    a: Side | list[Provision], b: Side | list[Provision], ctx: Context, on: date, codes: tuple[str, str] = ("", "")
) -> tuple[float, int]:
    """The interoperability index and conflict count of `compare_sides`, without explanations."""
    side_a = a if isinstance(a, Side) else Side.of(a, ctx, codes[0])
    side_b = b if isinstance(b, Side) else Side.of(b, ctx, codes[1])
    return table([side_a, side_b], ctx, on)[(0, 1)]


_ENABLING = frozenset({"obligation", "permission"})
_PROHIBITING = frozenset({"prohibition"})


def table(sides: Sequence[Side], ctx: Context, on: date | None) -> dict[tuple[int, int], tuple[float, int]]:
    """The interoperability index and conflict count of every pair of sides (i < j), by the
    rules of `compare_sides`, worked concept by concept across all sides.
    tests/test_matrix.py holds it equal to `compare_sides` on the corpus and on generated data.
    Conflicts are counted at date `on` (it sets the currency rate of a threshold); None skips
    them (the own-law index needs none).
    """
    equivalent: Counter[tuple[int, int]] = Counter()
    opposed: Counter[tuple[int, int]] = Counter()
    institutional = ctx.institutional
    for concept in frozenset().union(*(s.concepts for s in sides)):
        if concept in institutional:
            continue
        holders = [i for i, s in enumerate(sides) if concept in s.concepts]
        if len(holders) < 2:
            continue
        by_keys: dict[frozenset[Key], list[int]] = defaultdict(list)
        for i in holders:
            by_keys[sides[i].keysets[concept]].append(i)
        for group in by_keys.values():
            for i, j in combinations(group, 2):
                if _equivalent(sides[i].keys[concept], sides[j].keys[concept], ctx):
                    equivalent[(i, j)] += 1
        if concept in ctx.practices:
            banning = [i for i in holders if sides[i].modalities[concept] == _PROHIBITING]
            enabling = [i for i in holders if sides[i].modalities[concept] <= _ENABLING]
            for i in banning:
                for j in enabling:
                    opposed[(i, j) if i < j else (j, i)] += 1
    out: dict[tuple[int, int], tuple[float, int]] = {}
    rules = rules_of(ctx)
    for (i, a), (j, b) in combinations(enumerate(sides), 2):
        if a.makers & b.makers:
            # Sides holding law of one lawmaker (two US states and federal law) share provisions:
            # what is shared and what each adds is decided provision by provision, by the very
            # rules compare applies (few pairs: only parties of one federation).
            index, _ = index_of(a.code, b.code, on or date.today(), a.provisions, b.provisions, ctx, rules)
        else:
            counted_a, counted_b = a.concepts - institutional, b.concepts - institutional
            both = len(counted_a & counted_b)
            regulated = len(counted_a | counted_b)
            divergent = both - equivalent[(i, j)] - opposed[(i, j)]
            index = round((equivalent[(i, j)] + 0.5 * divergent) / regulated, 4) if regulated else 0.0
        count = _conflicts(a, b, ctx, on) if on is not None and _nested(a.makers, b.makers, ctx) else 0
        out[(i, j)] = (index, count)
    return out


def _nested(a: frozenset[str], b: frozenset[str], ctx: Context) -> bool:
    """Whether the two sides hold law of two different lawmakers binding in one market: the only
    pairs that can be in conflict (rules.classify_opposed)."""
    return any(x != y and ctx.same_market(x, y) for x in a for y in b)


def _conflicts(a: Side, b: Side, ctx: Context, on: date) -> int:
    """Conflict findings compare would report: per concept, one per kind of opposition with a
    conflicting pair; per declared incompatibility, one if any pair conflicts."""
    rules = rules_of(ctx)
    ids_a = frozenset().union(*a.iris.values()) if a.iris else frozenset()
    ids_b = frozenset().union(*b.iris.values()) if b.iris else frozenset()
    count = 0
    for concept in sorted((a.concepts & b.concepts) & ctx.practices):
        kinds = set()
        for ea in a.entries[concept]:
            for eb in b.entries[concept]:
                what = OPPOSED.get(frozenset({ea.modality, eb.modality}))
                if what is None or what in kinds:
                    continue
                o = classify_opposed(what, _p(ea), _p(eb), ids_a, ids_b, (a.code, b.code), rules, on)
                if o is not None and o.kind == "conflict":
                    kinds.add(what)
        count += len(kinds)
    partners = _partners(ctx.incompatible)
    for ca in sorted(a.concepts & partners.keys()):
        for cb in sorted(partners[ca] & b.concepts):
            if ca != cb and any(
                (
                    o := classify_opposed(
                        "incompatible-concepts", _p(ea), _p(eb), ids_a, ids_b, (a.code, b.code), rules, on
                    )
                )
                is not None
                and o.kind == "conflict"
                for ea in a.entries[ca]
                for eb in b.entries[cb]
            ):
                count += 1
    return count


def _p(e: Entry) -> Provision:
    return e.provision()


__all__ = ["Entry", "Side", "table", "verdicts"]
