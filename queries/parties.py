"""The parties of a request: one function every caller passes its jurisdiction codes through
(the REST routes, the reports, the named queries' `jurisdictions` parameters, the CLI).

Codes are put in the vocabulary's spelling ("eu" is EU), duplicates dropped in order of first
appearance, and a request naming more distinct parties than the cap is refused before any
work. Every unknown code is named at once. Without this, `/matrix?j=EU&j=EU&…` with 1,000 values
computed a 1,000 x 1,000 matrix (34.7 s in the server process).

>>> parties(["eu", "KR", "EU", "kr"])
['EU', 'KR']
>>> parties(["EU"] * 1000)
['EU']
>>> parties(["EU", "XX", "YY"])
Traceback (most recent call last):
...
crosswalk.graph.errors.QueryError: unknown jurisdictions 'XX', 'YY'; `crosswalk jurisdictions` lists the codes
>>> parties(["EU", "KR", "CN"], cap=2)
Traceback (most recent call last):
...
crosswalk.graph.errors.QueryError: at most 2 different jurisdictions per request, got 3
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from crosswalk.graph.errors import QueryError
from crosswalk.graph.vocabulary import vocabulary

# The default cap on distinct parties (the server's `max_parties` setting). The vocabulary holds
# 38 jurisdictions today and the matrix benchmark runs 50, so every real request fits with room
# to grow; a matrix costs n^2/2 comparisons, so the cap is what bounds its cost.
PARTY_CAP = 60


def parties(codes: Iterable[str], *, cap: int = PARTY_CAP, at_least: int = 0, what: str = "this request") -> list[str]:
    """The distinct parties named by `codes`, in the vocabulary's spelling and first-seen order.

    Refused (QueryError, HTTP 400): unknown codes (all named, with close matches), more than
    `cap` distinct parties, fewer than `at_least`."""
    known = vocabulary().jurisdictions
    folded = {c.casefold(): c for c in known.members}
    seen: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for raw in codes:
        code = raw.strip()
        canonical = code if code in known else folded.get(code.casefold())
        if canonical is None:
            unknown[code] = None
        else:
            seen[canonical] = None
        if len(unknown) > 20:  # enough to say it; the rest of a hostile list is not read
            break
    if unknown:
        names = list(unknown)
        if len(names) == 1:
            close = difflib.get_close_matches(names[0].casefold(), list(folded), n=3, cutoff=0.6)
            if close:
                meant = ", ".join(folded[c] for c in close)
                raise QueryError(f"unknown jurisdiction {names[0]!r}; did you mean {meant}?")
        listed = ", ".join(repr(n) for n in names[:20]) + (", …" if len(names) > 20 else "")
        word = "jurisdiction" if len(names) == 1 else "jurisdictions"
        raise QueryError(f"unknown {word} {listed}; `crosswalk jurisdictions` lists the codes")
    out = list(seen)
    if len(out) > cap:
        raise QueryError(f"at most {cap} different jurisdictions per request, got {len(out)}")
    if len(out) < at_least:
        count = {2: "two", 3: "three"}.get(at_least, str(at_least))
        raise QueryError(f"{what} needs at least {count} jurisdictions (different ones), got {len(out)}")
    return out


__all__ = ["PARTY_CAP", "parties"]
