"""Each jurisdiction's provisions with their dated facts, read once per store version, and the
law at any date answered from memory.

`compare`, reports, `who` and `assess` ask what is in force, pending or general law for a party
at a date. Asked of the store, that is three queries per date (about 55 ms on disk for a pair).
But the answer depends on the date only through a handful of dated facts per provision (when
it applies from and until, its instrument's status and the dates of its steps), so the store is
read once per version (`parts/timeline.rq`, one row per provision and concept with those facts,
and `parts/timeline-instruments.rq`, its instrument's)
and each date is a filter in Python over the rows held: a new date costs the classification,
not the disk (issue 18).

The filters below are in-force-core.rq, general-law.rq and pending.rq's, written over the rows;
tests/test_timeline.py holds them equal to the queries for every pair of the corpus at several
dates. They assume what the shapes enforce: a provision's dates, status and binding force and its
instrument's status have one value each (ontology/shapes.ttl), and dates are `xsd:date`, so
their ISO texts order as the dates do.

A read comes from one version of the store (docs/decisions/0007): from the checkpoint of that version
when the store publishes them (the one the query workers read, graph/snapshots.py), otherwise
from the live store, kept only if no write happened while it was read.

>>> row = Dated(provision=None, caveats=(), origin="j", binding=True, general=False, status="InForce", own=None,
...             applies_from="2025-02-02", applies_until=None, repealed=None, proposed=None,
...             adopted="2024-06-13", published=None, eif="2024-08-01", lapsed=None)
>>> in_force(row, "j", "2025-02-01"), in_force(row, "j", "2025-02-02"), why_pending(row, "j", "2025-01-01")
(False, True, 'applies later')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from crosswalk.ontology import local_name

#: the columns of parts/timeline.rq and parts/timeline-instruments.rq, in order
COLUMNS = (
    "origin", "provision", "concept", "modality", "citation", "summary", "source", "instrument", "own",
    "appliesFrom", "appliesUntil",
)  # fmt: skip
INSTRUMENT_COLUMNS = (
    "instrument", "instrumentLabel", "binding", "general", "status", "repealed", "proposed", "adopted",
    "published", "eif", "lapsed",
)  # fmt: skip
_TRUE = ("true", "1")


@dataclass(frozen=True, slots=True)
class Dated:
    """One row of parts/timeline.rq: a provision (for one concept), made once per store version
    without its caveats, and the facts that decide when it is law."""

    provision: Any  # findings.Provision without caveats (compare._core_provision)
    caveats: tuple[Any, ...]  # every caveat on it (findings.Caveat): each date keeps those that hold
    origin: str  # IRI of the jurisdiction that made it
    binding: bool
    general: bool  # its instrument is general law that reaches AI, its own layer
    status: str  # its instrument's status (local name)
    own: str | None  # its own status (local name), where it has one
    applies_from: str | None
    applies_until: str | None
    repealed: str | None
    proposed: str | None
    adopted: str | None
    published: str | None
    eif: str | None
    lapsed: str | None
    # the provision as each date shows it (pending and why, caveats that hold), made once each:
    # `dataclasses.replace` per row and date was half of a comparison's time
    variants: dict[tuple[str, tuple[Any, ...]], Any] = field(default_factory=dict, compare=False, repr=False)


def rows_to_dated(
    names: Sequence[str],
    rows: Sequence[Sequence[str | None]],
    instrument_names: Sequence[str],
    instrument_rows: Sequence[Sequence[str | None]],
    make: Callable[[tuple[str | None, ...]], tuple[Any, tuple[Any, ...]]],
) -> list[Dated]:
    """The rows of parts/timeline.rq joined to their instrument's rows of
    parts/timeline-instruments.rq, as `Dated` records. `make` builds a provision and its caveats
    from a row in in-force-core.rq's columns (the `?j` column holds the origin: a provision does
    not depend on the side that reads it). A provision whose instrument lacks a status, binding
    force or title has no row, as in the queries."""
    if tuple(names) != COLUMNS or tuple(instrument_names) != INSTRUMENT_COLUMNS:
        raise ValueError(
            f"timeline parts select {names} and {instrument_names}, expected {COLUMNS}, {INSTRUMENT_COLUMNS}"
        )
    instruments: dict[str | None, list[Sequence[str | None]]] = {}
    for r in instrument_rows:
        instruments.setdefault(r[0], []).append(r)
    out = []
    for origin, provision, concept, modality, citation, summary, source, instrument, own, start, until in rows:
        for _, label, binding, general, status, repealed, proposed, adopted, published, eif, lapsed in instruments.get(
            instrument, ()
        ):
            made, caveats = make(
                (
                    origin,
                    provision,
                    concept,
                    modality,
                    citation,
                    summary,
                    source,
                    instrument,
                    label,
                    binding,
                    origin,
                    start,
                )
            )
            out.append(
                Dated(
                    provision=made,
                    caveats=caveats,
                    origin=str(origin),
                    binding=binding in _TRUE,
                    general=general in _TRUE,
                    status=local_name(status),
                    own=local_name(own) if own is not None else None,
                    applies_from=start,
                    applies_until=until,
                    repealed=repealed,
                    proposed=proposed,
                    adopted=adopted,
                    published=published,
                    eif=eif,
                    lapsed=lapsed,
                )
            )
    return out


def _for(d: Dated, side: str) -> bool:
    # soft law counts only for the body that issued it: a state does not inherit federal guidance
    return d.binding or d.origin == side


def _applies(d: Dated, at: str) -> bool:
    """in-force-core.rq's conditions other than the layer: the application window holds the
    date, the instrument is in force (or repealed later), the provision is not a proposal,
    withdrawn or lapsed."""
    if d.applies_from is None or d.applies_from > at:
        return False
    if d.applies_until is not None and d.applies_until < at:
        return False
    if not (d.status == "InForce" or (d.status == "Repealed" and d.repealed is not None and d.repealed > at)):
        return False
    return d.own not in ("Proposed", "Withdrawn", "Lapsed")


def in_force(d: Dated, side: str, at: str) -> bool:
    """Whether the row is AI-specific law in force for `side` (an IRI) at `at` (in-force-core.rq)."""
    return not d.general and _for(d, side) and _applies(d, at)


def general_in_force(d: Dated, side: str, at: str) -> bool:
    """Whether the row is general law in force for `side` at `at` (general-law.rq)."""
    return d.general and _for(d, side) and _applies(d, at)


def why_pending(d: Dated, side: str, at: str) -> str:
    """Why the row was pending for `side` at `at`, or "" when it was not (pending.rq: the law as
    it stood at the date; an act adopted later was then a bill, a bill that lapsed later was
    still pending)."""
    if d.general or not _for(d, side):
        return ""
    if d.own in ("Withdrawn", "Lapsed", "Repealed"):
        return ""
    known = d.proposed or d.adopted or d.published or d.eif
    if known is None or known > at:
        return ""
    made = d.adopted or d.published or d.eif
    status = d.status
    enacted = status in ("Adopted", "InForce") or (status == "Repealed" and d.repealed is not None and d.repealed > at)
    if status == "Proposed":
        return "instrument proposed"
    if status == "Lapsed" and d.lapsed is not None and d.lapsed > at:
        return "instrument proposed"
    if enacted and made is not None and made > at:
        return "instrument proposed"
    if enacted and d.eif is not None and d.eif > at:
        return "instrument adopted, not yet in force"
    if status == "Adopted":
        return "instrument adopted, not yet in force"
    if d.own == "Proposed":
        return "provision proposed"
    if enacted and d.applies_from is not None and d.applies_from > at:
        return "applies later"
    return ""


def turning_dates(d: Dated) -> Iterator[str]:
    """Every date the filters above (and a caveat's `holds` and `open_at`) compare a date with,
    for this row: between two of them nothing about the row changes (queries/compare.py keeps one
    side per span of dates). A filter that starts comparing with another date must add it here;
    tests/test_timeline.py holds the spans' sides equal to each date's."""
    for t in (
        d.applies_from, d.applies_until, d.repealed, d.proposed, d.adopted, d.published, d.eif, d.lapsed,
    ):  # fmt: skip
        if t is not None:
            yield t
    for c in d.caveats:
        yield c.start
        if c.until is not None:
            yield c.until


__all__ = [
    "COLUMNS",
    "INSTRUMENT_COLUMNS",
    "Dated",
    "general_in_force",
    "in_force",
    "rows_to_dated",
    "turning_dates",
    "why_pending",
]
