"""Stage 2 of ingestion: check a parsed rule file and turn it into typed records.

Each section of the format (docs/rule-format.md) is read by one function. Every problem is
collected, not just the first, each with file, line and field, so a curator fixes a file in one
pass. Nothing here touches a store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crosswalk.ontology import XW

from .checker import (
    CAVEAT_KINDS,
    CHANGE_KINDS,
    CONFIDENCE,
    DATE_KEYS,
    METHODS,
    MISSING,
    REVIEW,
    SLUG,
    Checker,
    duration_days,
    duration_figure,
)
from .errors import Problem, RuleFileError
from .model import (
    Caveat,
    Coverage,
    Instrument,
    KnownOmission,
    Parameter,
    Phase,
    Provision,
    Qualifier,
    RiskTier,
    Role,
    RuleFile,
    StatusChange,
    Threshold,
    default_application,
)
from .rulefile import Node
from .vocabulary import Vocabulary, vocabulary

TOP = ("format", "instrument", "provisions")
TOP_OPTIONAL = ("status_changes", "risk_tiers", "roles", "coverage", "known_omissions", "thresholds", "caveats")
# Parameter kinds that may be written as applicability thresholds (the rest are figures of a duty).
THRESHOLD_KINDS = ("compute-threshold", "revenue-threshold", "user-threshold", "size-exemption")
# ai: an AI-specific rule (the default); general: general law that reaches AI (data protection,
# platform law), compared apart (docs/analysis.md §7)
LAYERS = ("ai", "general")
# Graph names the system itself writes beside the instruments' (each instrument's graph is
# GRAPH[its id]): an instrument with one of these ids would replace the ontology, the alignments
# or the findings, and every answer would silently become "nothing in common" (issue 15).
SYSTEM_IDS = frozenset({"reference", "alignments", "findings"})


def read_sections(c: Checker, root: Node, path: Path, sha256: str) -> RuleFile | None:
    top = c.mapping(root, "", TOP, TOP_OPTIONAL)
    if top is None:
        return None
    if "format" in top and top["format"].value != 1:
        c.fail(top["format"].line, "format", f"unsupported format {top['format'].value!r}; this version reads format 1")
    instrument = _instrument(c, top["instrument"]) if "instrument" in top else None
    tiers = _unique(
        c, c.each(top.get("risk_tiers"), "risk_tiers", lambda n, f: _tier(c, n, f)), top.get("risk_tiers"), "risk_tiers"
    )
    roles = _unique(c, c.each(top.get("roles"), "roles", lambda n, f: _role(c, n, f)), top.get("roles"), "roles")
    coverage = c.each(top.get("coverage"), "coverage", lambda n, f: _coverage(c, n, f))
    omissions = c.each(top.get("known_omissions"), "known_omissions", lambda n, f: _omission(c, n, f))
    tier_ids = {t.id for t in tiers}
    role_ids = {r.id for r in roles}
    provisions = c.each(top.get("provisions"), "provisions", lambda n, f: _provision(c, n, f, tier_ids, role_ids))
    provisions = _unique(c, provisions, top.get("provisions"), "provisions")
    if "provisions" in top and not c.items(top["provisions"], "provisions") and not c.problems:
        c.fail(top["provisions"].line, "provisions", "an instrument file needs at least one provision")
    ids = {p.id for p in provisions}
    changes = c.each(top.get("status_changes"), "status_changes", lambda n, f: _change(c, n, f, ids))
    thresholds = c.each(top.get("thresholds"), "thresholds", lambda n, f: _threshold(c, n, f, ids))
    caveats = c.each(top.get("caveats"), "caveats", lambda n, f: _caveat(c, n, f, ids))
    if instrument is not None:
        _check_sanctions(c, top, instrument, provisions)
        _check_applicability(c, top, instrument, provisions)
    if instrument is None or c.problems:
        return None
    return RuleFile(
        path, sha256, instrument, changes, tiers, roles, coverage, provisions, omissions, thresholds, caveats
    )


def _check_sanctions(c: Checker, top: dict[str, Node], instrument: Instrument, provisions: list[Provision]) -> None:
    """Soft law carries no sanction: a sanction on a non-binding instrument is a curator's slip."""
    if instrument.binding:
        return
    node = top["instrument"].value.get("sanction") if isinstance(top["instrument"].value, dict) else None
    if instrument.sanction is not None and instrument.sanction != XW.NoSanction and node is not None:
        c.fail(node.line, "instrument.sanction", "a non-binding instrument carries no sanction; leave it out")
    for p in provisions:
        if p.sanction is not None and p.sanction != XW.NoSanction:
            c.fail(
                top["provisions"].line, f"provisions ({p.id}).sanction", "a non-binding instrument carries no sanction"
            )


def _check_applicability(c: Checker, top: dict[str, Node], instrument: Instrument, provisions: list[Provision]) -> None:
    """An instrument in force must say from when its provisions apply: without an entry into
    force (or an applies_from on the provision) a provision would get no application date and
    silently drop out of every comparison."""
    if instrument.status != XW.InForce or default_application(instrument) is not None:
        return
    undated = [p.id for p in provisions if p.applies_from is None]
    if undated:
        c.fail(
            top["instrument"].line,
            "instrument.dates.entry_into_force",
            "an instrument in force needs an entry_into_force date (soft law may instead give its published or "
            "adopted date), or applies_from on every provision; "
            f"undated: {', '.join(undated[:5])}{'…' if len(undated) > 5 else ''}",
        )


def _unique(c: Checker, records: list[Any], node: Node | None, field: str) -> list[Any]:
    """Report ids used twice in a list section, pointing at the second use."""
    seen: dict[str, int] = {}
    items = node.value if node is not None and isinstance(node.value, list) else []
    for i, item in enumerate(items):
        id_node = item.value.get("id") if isinstance(item.value, dict) else None
        if id_node is None or not isinstance(id_node.value, str):
            continue
        if id_node.value in seen:
            c.fail(
                id_node.line,
                f"{field}[{i}].id",
                f"duplicate id {id_node.value!r} (first used on line {seen[id_node.value]})",
            )
        else:
            seen[id_node.value] = id_node.line
    return records


def _instrument(c: Checker, node: Node) -> Instrument | None:
    f = c.mapping(
        node,
        "instrument",
        ("id", "jurisdiction", "title", "type", "binding", "status", "source", "curated"),
        ("short_title", "dates", "eli", "version", "curator", "notes", "sanction", "sanction_citation", "layer"),
    )
    if f is None:
        return None
    dates: dict[str, Any] = {}
    if "dates" in f:
        df = c.mapping(f["dates"], "instrument.dates", (), DATE_KEYS) or {}
        dates = {k: c.date(v, f"instrument.dates.{k}") for k, v in df.items() if k in DATE_KEYS}
    values: dict[str, Any] = {
        "id": c.req(f, "id", "instrument", lambda n, fl: c.string(n, fl, SLUG, "id (lower-case slug)")),
        "jurisdiction": c.req(f, "jurisdiction", "instrument", lambda n, fl: c.member(n, fl, c.v.jurisdictions)),
        "title": c.req(f, "title", "instrument", c.string),
        "type": c.req(f, "type", "instrument", lambda n, fl: c.member(n, fl, c.v.instrument_types)),
        "binding": c.req(f, "binding", "instrument", c.boolean),
        "status": c.req(f, "status", "instrument", lambda n, fl: c.member(n, fl, c.v.statuses)),
        "source": c.req(f, "source", "instrument", c.web_iri),
        "curated": c.req(f, "curated", "instrument", c.date),
    }
    optional: dict[str, Any] = {
        "short_title": c.opt(f, "short_title", "instrument", c.string),
        "eli": c.opt(f, "eli", "instrument", c.web_iri),
        "version": c.opt(f, "version", "instrument", c.string),
        "curator": c.opt(f, "curator", "instrument", c.string) or "Crosswalk curation team",
        "notes": c.opt(f, "notes", "instrument", c.string),
        "sanction": c.opt(f, "sanction", "instrument", lambda n, fl: c.member(n, fl, c.v.sanctions)),
        "sanction_citation": c.opt(f, "sanction_citation", "instrument", c.string),
        "general_law": c.opt(f, "layer", "instrument", lambda n, fl: c.choice(n, fl, LAYERS)) == "general",
    }
    if values["id"] in SYSTEM_IDS:
        c.fail(f["id"].line, "instrument.id", f"{values['id']!r} is reserved for a system graph; choose another id")
        return None
    if any(v is MISSING for v in (*values.values(), *dates.values())):
        return None
    return Instrument(**values, **optional, dates=dates)


def _change(c: Checker, node: Node, field: str, provision_ids: set[str]) -> Any:
    f = c.mapping(node, field, ("date", "kind", "by", "source", "status", "summary"), ("affects",))
    if f is None:
        return MISSING
    affects = _affects(c, f, field, provision_ids)
    values: dict[str, Any] = {
        "date": c.req(f, "date", field, c.date),
        "kind": c.req(f, "kind", field, lambda n, fl: c.choice(n, fl, CHANGE_KINDS)),
        "by": c.req(f, "by", field, c.string),
        "source": c.req(f, "source", field, c.web_iri),
        "status": c.req(f, "status", field, lambda n, fl: c.member(n, fl, c.v.statuses)),
        "summary": c.req(f, "summary", field, c.string),
    }
    if MISSING in values.values():
        return MISSING
    return StatusChange(**values, affects=affects)


def _affects(c: Checker, f: dict[str, Node], field: str, provision_ids: set[str]) -> list[str]:
    affects: list[str] = c.each(f.get("affects"), f"{field}.affects", c.string)
    for i, (pid, item) in enumerate(zip(affects, c.items(f.get("affects"), ""), strict=False)):
        if pid not in provision_ids:
            c.fail(item.line, f"{field}.affects[{i}]", f"no provision with id {pid!r} in this file")
    return affects


def _caveat(c: Checker, node: Node, field: str, provision_ids: set[str]) -> Any:
    f = c.mapping(node, field, ("kind", "from", "by", "source", "summary"), ("until", "affects"))
    if f is None:
        return MISSING
    affects = _affects(c, f, field, provision_ids)
    values: dict[str, Any] = {
        "kind": c.req(f, "kind", field, lambda n, fl: c.choice(n, fl, CAVEAT_KINDS)),
        "start": c.req(f, "from", field, c.date),
        "by": c.req(f, "by", field, c.string),
        "source": c.req(f, "source", field, c.web_iri),
        "summary": c.req(f, "summary", field, c.string),
    }
    until = c.opt(f, "until", field, c.date)
    if MISSING in values.values():
        return MISSING
    if until is not None and until <= values["start"]:
        c.fail(f["until"].line, f"{field}.until", "must be after `from`")
        return MISSING
    return Caveat(**values, until=until, affects=affects)


def _tier(c: Checker, node: Node, field: str) -> Any:
    f = c.mapping(node, field, ("id", "label", "level"), ("citation", "thresholds"))
    if f is None:
        return MISSING
    values: dict[str, Any] = {
        "id": c.req(f, "id", field, lambda n, fl: c.string(n, fl, SLUG, "id (lower-case slug)")),
        "label": c.req(f, "label", field, c.string),
        "level": c.req(f, "level", field, lambda n, fl: c.member(n, fl, c.v.risk_levels)),
    }
    if MISSING in values.values():
        return MISSING
    thresholds = c.each(f.get("thresholds"), f"{field}.thresholds", lambda n, fl: _threshold(c, n, fl, None))
    return RiskTier(**values, citation=c.opt(f, "citation", field, c.string), thresholds=thresholds)


def _threshold(c: Checker, node: Node, field: str, provision_ids: set[str] | None) -> Any:
    """An applicability threshold: a parameter of a threshold kind, its citation, and (at the top
    level) the provisions it governs; on a tier it governs the provisions scoped to the tier."""
    if not isinstance(node.value, dict):
        c.fail(node.line, field, "expected a mapping with kind, a value and citation")
        return MISSING
    extra = ("citation", "applies_to") if provision_ids is not None else ("citation",)
    parameter = _parameter(c, node, field, extra=extra)
    if parameter is MISSING:
        return MISSING
    kind = node.value["kind"].value
    if kind not in THRESHOLD_KINDS:
        c.fail(node.value["kind"].line, f"{field}.kind", f"a threshold is one of {', '.join(THRESHOLD_KINDS)}")
    f = node.value
    citation = c.req(f, "citation", field, c.string)
    applies_to = c.each(f.get("applies_to"), f"{field}.applies_to", c.string)
    for i, (pid, item) in enumerate(zip(applies_to, c.items(f.get("applies_to"), ""), strict=False)):
        if provision_ids is not None and pid not in provision_ids:
            c.fail(item.line, f"{field}.applies_to[{i}]", f"no provision with id {pid!r} in this file")
    if citation is MISSING:
        return MISSING
    return Threshold(parameter, citation, applies_to, parameter.note)


def _qualifier(c: Checker, node: Node, field: str) -> Any:
    """A qualifier, as a key (`sole-intent`) or a mapping with kind and note."""
    if isinstance(node.value, str):
        kind = c.member(node, field, c.v.qualifiers)
        return MISSING if kind is MISSING else Qualifier(kind)
    f = c.mapping(node, field, ("kind",), ("note",))
    if f is None or "kind" not in f:
        return MISSING
    kind = c.member(f["kind"], f"{field}.kind", c.v.qualifiers)
    return MISSING if kind is MISSING else Qualifier(kind, c.opt(f, "note", field, c.string))


def _role(c: Checker, node: Node, field: str) -> Any:
    f = c.mapping(node, field, ("id", "label", "maps_to"), ("citation",))
    if f is None:
        return MISSING
    values: dict[str, Any] = {
        "id": c.req(f, "id", field, lambda n, fl: c.string(n, fl, SLUG, "id (lower-case slug)")),
        "label": c.req(f, "label", field, c.string),
        "maps_to": c.req(f, "maps_to", field, lambda n, fl: c.member(n, fl, c.v.common_roles)),
    }
    if MISSING in values.values():
        return MISSING
    return Role(**values, citation=c.opt(f, "citation", field, c.string))


def _groups(c: Checker, f: dict[str, Node], field: str) -> list[Any]:
    node = f.get("groups")
    groups = c.each(node, f"{field}.groups", lambda n, fl: c.member(n, fl, c.v.concept_groups))
    if node is not None and isinstance(node.value, list) and not node.value:
        # An empty list would silently state nothing; say so rather than drop the entry.
        c.fail(node.line, f"{field}.groups", "name at least one concept group")
    return groups


def _coverage(c: Checker, node: Node, field: str) -> Any:
    f = c.mapping(node, field, ("groups", "as_of"), ("note", "searched"))
    if f is None:
        return MISSING
    groups = _groups(c, f, field)
    as_of = c.req(f, "as_of", field, c.date)
    searched = c.each(f.get("searched"), f"{field}.searched", c.string)
    if as_of is MISSING or not groups:
        return MISSING
    return Coverage(groups, as_of, c.opt(f, "note", field, c.string), searched)


def _omission(c: Checker, node: Node, field: str) -> Any:
    f = c.mapping(node, field, ("groups", "as_of", "note"), ())
    if f is None:
        return MISSING
    groups = _groups(c, f, field)
    as_of = c.req(f, "as_of", field, c.date)
    note = c.req(f, "note", field, c.string)
    if MISSING in (as_of, note) or not groups:
        return MISSING
    return KnownOmission(groups, as_of, note)


def _parameter(c: Checker, node: Node, field: str, extra: tuple[str, ...] = ()) -> Any:
    f = c.mapping(
        node, field, ("kind",), ("duration", "amount", "currency", "percent", "quantity", "unit", "note", *extra)
    )
    if f is None or "kind" not in f:
        return MISSING
    kind = c.member(f["kind"], f"{field}.kind", c.v.parameter_kinds)
    if kind is MISSING:
        return MISSING
    value_type = c.v.value_types[kind]
    need = {
        XW.DurationValue: ("duration",),
        XW.MonetaryValue: ("amount", "currency"),
        XW.PercentageValue: ("percent",),
        XW.QuantityValue: ("quantity",),
    }[value_type]
    for key in need:
        if key not in f:
            c.fail(node.line, f"{field}.{key}", f"a {f['kind'].value} parameter needs {' and '.join(need)}")
    for key in ("duration", "amount", "currency", "percent", "quantity", "unit"):
        if key in f and key not in need and not (key == "unit" and ("quantity" in need or "duration" in need)):
            c.fail(
                f[key].line,
                f"{field}.{key}",
                f"not used by a {f['kind'].value} parameter; it takes {' and '.join(need)}",
            )
    duration = c.opt(f, "duration", field, c.string)
    days = None
    if duration is not None:
        unit = f["unit"].value if "unit" in f else None
        if unit not in (None, "working-days"):
            c.fail(f["unit"].line, f"{field}.unit", "a duration's only unit is working-days (calendar days by default)")
        days = duration_days(duration)
        if days is None:
            c.fail(
                f["duration"].line,
                f"{field}.duration",
                f"{duration!r} is not an ISO 8601 duration such as P15D or PT72H",
            )
        elif duration_figure(duration, unit == "working-days") is None:
            c.fail(
                f["duration"].line,
                f"{field}.duration",
                f"{duration!r} mixes months or years with days or hours (or counts working days in other than "
                "days); write the period in the one unit the article uses",
            )
    currency = c.opt(f, "currency", field, c.string)
    if currency is not None and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        c.fail(f["currency"].line, f"{field}.currency", f"{currency!r} is not an ISO 4217 code such as EUR or USD")
    quantity = c.opt(f, "quantity", field, c.number)
    return Parameter(
        kind,
        duration,
        days,
        c.opt(f, "amount", field, c.number),
        currency,
        c.opt(f, "percent", field, c.number),
        float(quantity) if quantity is not None else None,
        c.opt(f, "unit", field, c.string),
        c.opt(f, "note", field, c.string),
    )


PROVISION_OPTIONAL = (
    "beneficiary",
    "scope",
    "parameters",
    "applies_from",
    "applies_until",
    "protects",
    "source",
    "status",
    "provenance",
    "qualifiers",
    "sanction",
    "sanction_citation",
    "phases",
)


def _provision(c: Checker, node: Node, field: str, tier_ids: set[str], role_ids: set[str]) -> Any:
    if isinstance(node.value, dict) and isinstance(getattr(node.value.get("id"), "value", None), str):
        field = f"{field} ({node.value['id'].value})"  # name the provision in every message about it
    f = c.mapping(node, field, ("id", "citation", "modality", "concepts", "bearer", "summary"), PROVISION_OPTIONAL)
    if f is None:
        return MISSING

    def declared(ids: set[str], what: str) -> Any:
        def read(n: Node, fl: str) -> Any:
            text = c.string(n, fl)
            if text is not MISSING and text not in ids:
                known = ", ".join(sorted(ids)) or f"none declared; add a {what}s: section"
                c.fail(n.line, fl, f"unknown {what} {text!r}; declared: {known}")
                return MISSING
            return text

        return read

    scope = (
        c.mapping(f["scope"], f"{field}.scope", (), ("risk_tiers", "domains", "system_types")) if "scope" in f else {}
    )
    scope = scope or {}
    prov = (
        c.mapping(f["provenance"], f"{field}.provenance", (), ("method", "confidence", "review"))
        if "provenance" in f
        else {}
    )
    prov = prov or {}
    values: dict[str, Any] = {
        "id": c.req(f, "id", field, lambda n, fl: c.string(n, fl, SLUG, "id (lower-case slug)")),
        "citation": c.req(f, "citation", field, c.string),
        "modality": c.req(f, "modality", field, lambda n, fl: c.member(n, fl, c.v.modalities)),
        "summary": c.req(f, "summary", field, c.string),
    }
    concepts = c.each(f.get("concepts"), f"{field}.concepts", lambda n, fl: c.member(n, fl, c.v.concepts))
    bearer = c.each(f.get("bearer"), f"{field}.bearer", declared(role_ids, "role"))
    if "concepts" in f and not concepts and not c.items(f["concepts"], ""):
        c.fail(f["concepts"].line, f"{field}.concepts", "name at least one shared concept")
    if "bearer" in f and not bearer and not c.items(f["bearer"], ""):
        c.fail(f["bearer"].line, f"{field}.bearer", "name at least one bearer role")
    applies_from = c.opt(f, "applies_from", field, c.date)
    applies_until = c.opt(f, "applies_until", field, c.date)
    if applies_from and applies_until and applies_until <= applies_from:
        c.fail(
            f["applies_until"].line,
            f"{field}.applies_until",
            f"applies_until {applies_until} must be after applies_from {applies_from}",
        )
    present: dict[str, Any] = {k: (None if v is MISSING else v) for k, v in values.items()}
    record = Provision(
        **present,
        concepts=concepts,
        bearer=bearer,
        beneficiary=c.each(f.get("beneficiary"), f"{field}.beneficiary", declared(role_ids, "role")),
        risk_tiers=c.each(scope.get("risk_tiers"), f"{field}.scope.risk_tiers", declared(tier_ids, "risk tier")),
        domains=c.each(scope.get("domains"), f"{field}.scope.domains", lambda n, fl: c.member(n, fl, c.v.domains)),
        system_types=c.each(
            scope.get("system_types"), f"{field}.scope.system_types", lambda n, fl: c.member(n, fl, c.v.system_types)
        ),
        parameters=c.each(f.get("parameters"), f"{field}.parameters", lambda n, fl: _parameter(c, n, fl)),
        applies_from=applies_from,
        applies_until=applies_until,
        protects=c.each(f.get("protects"), f"{field}.protects", lambda n, fl: c.member(n, fl, c.v.values)),
        source=c.opt(f, "source", field, c.web_iri),
        status=c.opt(f, "status", field, lambda n, fl: c.member(n, fl, c.v.statuses)),
        method=c.opt(prov, "method", f"{field}.provenance", lambda n, fl: c.choice(n, fl, METHODS)) or "official-text",
        confidence=c.opt(prov, "confidence", f"{field}.provenance", lambda n, fl: c.choice(n, fl, CONFIDENCE))
        or "high",
        review=c.opt(prov, "review", f"{field}.provenance", lambda n, fl: c.choice(n, fl, REVIEW)) or "unreviewed",
        qualifiers=c.each(f.get("qualifiers"), f"{field}.qualifiers", lambda n, fl: _qualifier(c, n, fl)),
        sanction=c.opt(f, "sanction", field, lambda n, fl: c.member(n, fl, c.v.sanctions)),
        sanction_citation=c.opt(f, "sanction_citation", field, c.string),
        phases=c.each(f.get("phases"), f"{field}.phases", lambda n, fl: _phase(c, n, fl, tier_ids)),
    )
    _check_phases(c, f, field, record)
    return MISSING if MISSING in values.values() else record


def _phase(c: Checker, node: Node, field: str, tier_ids: set[str]) -> Any:
    f = c.mapping(node, field, ("applies_from", "risk_tiers", "citation"), ())
    if f is None:
        return MISSING

    def tier(n: Node, fl: str) -> Any:
        text = c.string(n, fl)
        if text is not MISSING and text not in tier_ids:
            c.fail(n.line, fl, f"unknown risk tier {text!r}; declared: {', '.join(sorted(tier_ids)) or 'none'}")
            return MISSING
        return text

    applies_from = c.req(f, "applies_from", field, c.date)
    tiers = c.each(f.get("risk_tiers"), f"{field}.risk_tiers", tier)
    citation = c.req(f, "citation", field, c.string)
    if MISSING in (applies_from, citation) or not tiers:
        return MISSING
    return Phase(applies_from, tiers, citation)


def _check_phases(c: Checker, f: dict[str, Node], field: str, p: Provision) -> None:
    """A phase moves some of the provision's own tiers to a later date: each must be one of its
    scope tiers, named once, leaving at least one tier to the provision's own date."""
    if not p.phases:
        return
    line = f["phases"].line
    moved = [t for ph in p.phases for t in ph.risk_tiers]
    if len(moved) != len(set(moved)):
        c.fail(line, f"{field}.phases", "a risk tier may be moved by one phase only")
    stray = sorted(set(moved) - set(p.risk_tiers))
    if stray:
        c.fail(line, f"{field}.phases", f"tiers {stray} are not in the provision's scope.risk_tiers")
    if not set(p.risk_tiers) - set(moved):
        c.fail(line, f"{field}.phases", "leave at least one scope tier to the provision's own applies_from")
    start = p.applies_from
    for ph in p.phases:
        if start is not None and ph.applies_from <= start:
            c.fail(line, f"{field}.phases", f"a phase's applies_from {ph.applies_from} must be after {start}")


def check(path: Path, root: Node, sha256: str, vocab: Vocabulary | None = None) -> RuleFile:
    """Check a parsed rule file; raise `RuleFileError` listing every problem found."""
    c = Checker(path, vocab or vocabulary())
    result = read_sections(c, root, path, sha256)
    if c.problems or result is None:
        raise RuleFileError(c.problems or [Problem(str(path), root.line, "(file)", "could not be read")])
    return result
