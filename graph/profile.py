"""A system profile: one AI system as the assessment reads it (docs/assess.md).

A profile is YAML, read by the same strict reader as rule files (size cap, no aliases, no
duplicate keys) and checked by the same `Checker`, so every problem is reported at once as
`file:line: field: what is wrong`. Its closed lists are the ontology's: domains and system types
from ontology/vocabulary.ttl, jurisdictions from ontology/jurisdictions.ttl, common roles, and
the purposes, capabilities, affected groups and exemptions of ontology/tiers.ttl.

>>> p = read_profile(Path("x.yaml"), b'''
... format: 1
... system: {id: demo, name: Demo, domains: [Employment], system_types: [AutomatedDecisionTool]}
... markets: {EU: {roles: [deployer]}}
... ''')
>>> p.markets[0].code, p.markets[0].roles
('EU', ('deployer',))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from crosswalk.ontology import XW, XWC, local_name
from crosswalk.ontology.tiers import keyed

from .checker import MISSING, SLUG, Checker
from .errors import Problem, RuleFileError
from .rulefile import Node, parse, read_bytes
from .vocabulary import Enumeration, vocabulary

FORMAT = 1
# Roles an organisation can hold towards a system it builds, sells or uses (common role keys;
# "provider" is the EU's word for developer and is read as it).
ROLE_KEYS = (
    "developer",
    "model-provider",
    "deployer",
    "importer",
    "distributor",
    "product-manufacturer",
    "authorised-representative",
)
ROLE_ALIASES = {"provider": "developer"}


@dataclass(frozen=True)
class Market:
    """Who the organisation is in one market, and what it claims there."""

    code: str
    roles: tuple[str, ...]  # common role keys
    employees: int | None = None
    revenue: tuple[Decimal, str] | None = None  # amount, ISO 4217 currency
    users: int | None = None
    governmental: bool = False
    offered_to_public: bool = False
    exemptions: tuple[str, ...] = ()  # keys, in addition to the system's


@dataclass(frozen=True)
class Profile:
    """One AI system: what it does, what it is, whom it affects and where it is placed."""

    id: str
    name: str
    description: str
    domains: tuple[str, ...]  # xwc: local names
    purposes: tuple[str, ...]  # keys
    system_types: tuple[str, ...]  # xwc: local names
    capabilities: tuple[str, ...]  # keys
    affects: tuple[str, ...]  # keys
    exemptions: tuple[str, ...]  # keys, claimed in every market
    training_compute: Decimal | None  # FLOP
    markets: tuple[Market, ...]
    source: str = ""

    def market(self, code: str) -> Market:
        return next(m for m in self.markets if m.code == code)


@cache
def _lists() -> dict[str, Enumeration]:
    v = vocabulary()
    return {
        "purpose": Enumeration("purpose", keyed(XW.Purpose)),
        "capability": Enumeration("capability", keyed(XW.Capability)),
        "affected group": Enumeration("affected group", keyed(XW.AffectedGroup)),
        "exemption": Enumeration("exemption", keyed(XW.Exemption)),
        "role": Enumeration("role", {k: XW[k] for k in (*ROLE_KEYS, *ROLE_ALIASES)}),
        "domain": v.domains,
        "system type": v.system_types,
    }


SYSTEM_FIELDS = (
    "description",
    "domains",
    "purposes",
    "system_types",
    "capabilities",
    "affects",
    "exemptions",
    "training_compute_flop",
)
MARKET_FIELDS = ("employees", "annual_revenue", "users", "governmental", "offered_to_public", "exemptions")


def read_profile(path: Path, data: bytes | None = None) -> Profile:
    """Read and check a profile file (or `data` given for it); raises RuleFileError listing
    every problem."""
    root = parse(path, read_bytes(path, data))
    c = Checker(path, vocabulary())
    profile = _read(c, root)
    if c.problems or profile is None:
        raise RuleFileError(c.problems or [Problem(str(path), root.line, "(file)", "not a profile")])
    return profile


def _read(c: Checker, root: Node) -> Profile | None:
    top = c.mapping(root, "", ("format", "system", "markets"), ())
    if top is None:
        return None
    fmt = c.req(top, "format", "", c.number)
    if fmt is not MISSING and fmt != FORMAT:
        c.fail(top["format"].line, "format", f"unknown profile format {fmt}; this version reads format {FORMAT}")
    lists = _lists()
    system = top.get("system")
    s = c.mapping(system, "system", ("id", "name"), SYSTEM_FIELDS) if system is not None else None
    if s is None:
        return None

    def names(key: str, what: str) -> tuple[str, ...]:
        enum = lists[what]
        read = c.each(s.get(key), f"system.{key}", lambda n, f: c.member(n, f, enum))
        return tuple(dict.fromkeys(_name(iri, enum) for iri in read))

    ident = c.req(s, "id", "system", lambda n, f: c.string(n, f, SLUG, "id (lower-case slug)"))
    name = c.req(s, "name", "system", c.string)
    description = c.opt(s, "description", "system", c.string) or ""
    compute = c.opt(s, "training_compute_flop", "system", c.number)
    profile_fields = (
        names("domains", "domain"),
        names("purposes", "purpose"),
        names("system_types", "system type"),
        names("capabilities", "capability"),
        names("affects", "affected group"),
        names("exemptions", "exemption"),
    )
    markets = _markets(c, top.get("markets"), lists)
    if MISSING in (ident, name):
        return None
    return Profile(ident, name, description, *profile_fields, compute, tuple(markets), c.file)


def _name(iri: Any, enum: Enumeration) -> str:
    """The profile spelling of a member: its key, or its local name in the concept scheme."""
    for key, member in enum.members.items():
        if member == iri:
            return ROLE_ALIASES.get(key, key)
    return local_name(iri) if str(iri).startswith(str(XWC)) else str(iri)


def _markets(c: Checker, node: Node | None, lists: dict[str, Enumeration]) -> list[Market]:
    if node is None:
        return []
    codes = vocabulary().jurisdictions
    if not isinstance(node.value, dict):
        c.fail(node.line, "markets", "expected a mapping from jurisdiction codes to what the organisation is there")
        return []
    if not node.value:
        c.fail(node.line, "markets", "name at least one market (a jurisdiction code)")
    out = []
    for code, m in node.value.items():
        if code not in codes:
            c.fail(m.line, f"markets.{code}", codes.hint(code))
            continue
        where = f"markets.{code}"
        f = c.mapping(m, where, ("roles",), MARKET_FIELDS)
        if f is None:
            continue
        roles = c.each(f.get("roles"), f"{where}.roles", lambda n, fld: c.member(n, fld, lists["role"]))
        if "roles" in f and f["roles"].value in ([], None):
            c.fail(f["roles"].line, f"{where}.roles", f"name at least one role: {', '.join(ROLE_KEYS)}")
        revenue = None
        if (r := f.get("annual_revenue")) is not None:
            rv = c.mapping(r, f"{where}.annual_revenue", ("amount", "currency"), ())
            if rv is not None:
                amount = c.req(rv, "amount", f"{where}.annual_revenue", c.number)
                currency = c.req(rv, "currency", f"{where}.annual_revenue", c.string)
                if currency is not MISSING and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
                    c.fail(
                        rv["currency"].line, f"{where}.annual_revenue.currency", f"{currency!r} is not an ISO 4217 code"
                    )
                elif MISSING not in (amount, currency):
                    revenue = (amount, currency)
        exemptions = c.each(
            f.get("exemptions"), f"{where}.exemptions", lambda n, fld: c.member(n, fld, lists["exemption"])
        )
        out.append(
            Market(
                code,
                tuple(dict.fromkeys(_name(r, lists["role"]) for r in roles)),
                _count(c, f, "employees", where),
                revenue,
                _count(c, f, "users", where),
                bool(c.opt(f, "governmental", where, c.boolean)),
                bool(c.opt(f, "offered_to_public", where, c.boolean)),
                tuple(dict.fromkeys(_name(e, lists["exemption"]) for e in exemptions)),
            )
        )
    return out


def _count(c: Checker, fields: dict[str, Node], key: str, where: str) -> int | None:
    value = c.opt(fields, key, where, c.number)
    if value is None:
        return None
    if value != value.to_integral_value():
        c.fail(fields[key].line, f"{where}.{key}", f"expected a whole number, got {value}")
        return None
    return int(value)
