"""Date epochs, so that changing the date does not defeat the response cache.

An analysis at a date reads the store's dated facts (applies-from, until, status changes,
caveats, entry into force) by comparing them with the date, and converts money at the ECB rate
of the date. Between two consecutive dated facts, after the last day of the bundled rates, every
date therefore gets the same answer except for the date itself, which the JSON echoes (`as_of`,
finding ids). So the cache keys such answers by the date's *epoch*:

- a date that is itself a dated fact of the store, or on or before the last rate day, is its
  own epoch (a comparison with it may go either way: `<` or `<=`);
- any other date's epoch is the open interval between the dated facts around it.

A body cached for one date of an epoch is served for another by writing the other date where
the first one stood. That is exact: the only dates in such an answer are the store's dated facts
(typed, or written in a text) and rate days, none of which lies inside a shared epoch, and the
date asked for. The analysis
does no arithmetic on dates (no "+ 30 days"); if it ever does, the derived dates must join the
dated facts here. tests/test_surface.py compares served answers with fresh ones.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Awaitable, Callable, Hashable
from datetime import date

from rdflib import Literal
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.store import Rows, Store
from crosswalk.ontology import reference_graph
from crosswalk.queries.money import last_rate_day

from .heavy import AnalysisQueue
from .response_cache import ResponseCache

# Every literal that is or holds an ISO date: typed dates, and texts that mention one (a note "to
# 2027-09-01"), since a served body is made by rewriting the date asked for wherever it appears.
DATES = """
SELECT DISTINCT ?d WHERE {
  GRAPH ?g { ?s ?p ?d }
  FILTER(isLiteral(?d) && REGEX(STR(?d), "[0-9]{4}-[0-9]{2}-[0-9]{2}"))
}
"""
_ISO = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_DATED: dict[Hashable, list[date]] = {}  # store version -> its dated facts, sorted


def _days(text: str) -> set[date]:
    out = set()
    for y, m, d in _ISO.findall(text):
        with contextlib.suppress(ValueError):  # 2026-13-45 is no date, so no answer is about it
            out.add(date(int(y), int(m), int(d)))
    return out


def dated_facts(store: Store) -> list[date]:
    """Every date the store and the reference data state or mention, sorted (read once per store
    version)."""
    version = getattr(store, "cache_key", None)
    if version in _DATED:
        return _DATED[version]
    rows = store.query(DATES)
    assert isinstance(rows, Rows)
    days: set[date] = set()
    for (value,) in rows.rows:
        days |= _days(str(value))
    for o in reference_graph().objects():
        if isinstance(o, Literal):
            days |= _days(str(o))
    facts = sorted(days)
    if version is not None:
        _DATED.clear()  # one version at a time: older ones are never asked for again
        _DATED[version] = facts
    return facts


def epoch(facts: list[date], day: date) -> tuple[str, date | None, date | None]:
    """The epoch of `day` among sorted dated facts.

    >>> facts = [date(2025, 2, 2), date(2026, 8, 2)]
    >>> epoch(facts, date(2027, 1, 1)) == epoch(facts, date(2027, 6, 1))
    True
    >>> epoch(facts, date(2026, 8, 2))[0], epoch(facts, date(2026, 8, 1)) == epoch(facts, date(2026, 8, 3))
    ('on', False)
    """
    if day <= last_rate_day():
        return ("on", day, day)
    i = bisect.bisect_left(facts, day)
    if i < len(facts) and facts[i] == day:
        return ("on", day, day)
    return ("between", facts[i - 1] if i else None, facts[i] if i < len(facts) else None)


async def answer(
    cache: ResponseCache,
    store: Store,
    parts: tuple[Hashable, ...],
    day: date,
    compute: Callable[[], Awaitable[bytes]],
    queue: AnalysisQueue,
) -> bytes:
    """The body for `day`: from the cache when a date of the same epoch was asked before (with
    the date rewritten), else computed and kept for the epoch; a request identical to one in
    flight waits for that one's answer."""
    if getattr(store, "cache_key", None) is None:
        return await compute()
    facts = await run_in_threadpool(dated_facts, store)
    key = cache.key(store, *parts, epoch(facts, day))
    asked = day.isoformat().encode()
    ours: list[bytes] = []  # the body, when this request is the one that made it

    async def made() -> bytes:
        body = await compute()
        ours.append(body)
        kept = asked + body
        cache.put(key, kept)
        return kept

    kept = cache.get(key)
    if kept is None:
        kept = await queue.shared(key, made)
        if ours:  # made for this very date: no copy of a body of half a megabyte to cut the date off
            return ours[0]
    then, body = kept[:10], kept[10:]
    return body if then == asked else body.replace(then, asked)


__all__ = ["answer", "dated_facts", "epoch"]
