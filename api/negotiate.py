"""Content negotiation by the `Accept` header (RFC 9110 §12.5.1): q-values and wildcards.

The header is parsed by python-mimeparse; a media type's quality is that of the *most specific*
range that matches it, so `text/html;q=0, */*` refuses HTML and accepts the rest. Among the
types the server offers, the one of highest quality wins; ties go to the server's order of
preference (the first offered). No header means `*/*`. Nothing acceptable is `None`: the route
raises `NotAcceptable` (406).

>>> choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ["text/turtle", "text/html"])
'text/html'
>>> choose("*/*", ["text/turtle", "text/html"])
'text/turtle'
>>> choose("application/ld+json;q=0.5, text/turtle;q=0.9", ["application/ld+json", "text/turtle"])
'text/turtle'
>>> choose("text/html;q=0, */*", ["text/html"]) is None
True
>>> prefers("application/sparql-results+json, text/turtle, text/html;q=0.2", "text/html", ["text/turtle"])
False
"""

from __future__ import annotations

from collections.abc import Sequence

import mimeparse  # type: ignore[import-untyped]
from starlette.requests import Request

from crosswalk.graph.errors import CrosswalkError

Range = tuple[str, str, dict[str, str]]
_ANY: list[Range] = [("*", "*", {"q": "1"})]


class NotAcceptable(CrosswalkError):
    """None of the offered types is acceptable to the client (HTTP 406)."""

    def __init__(self, offers: Sequence[str]) -> None:
        super().__init__(f"no acceptable representation; this resource is available as {', '.join(offers)}")


def ranges(accept: str | None) -> list[Range]:
    """The header's media ranges; a malformed member is skipped, as if it were not there."""
    if not accept or not accept.strip():
        return _ANY
    parsed = []
    for part in accept.lower().split(",")[:64]:  # a client needs no more; a hostile one gets no more
        if part.strip():
            try:
                parsed.append(mimeparse.parse_media_range(part))
            except mimeparse.MimeTypeParseException:
                continue
    return parsed or _ANY


def quality(media: str, accepted: list[Range]) -> float:
    q, fitness = mimeparse.quality_and_fitness_parsed(media, accepted)
    return q if fitness >= 0 else 0.0


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers (first offered on a tie), or None."""
    accepted = ranges(accept)
    best, best_q = None, 0.0
    for media in offers:
        q = quality(media, accepted)
        if q > best_q:
            best, best_q = media, q
    return best


def prefers(accept: str | None, media: str, others: Sequence[str]) -> bool:
    """The client prefers `media` to every one of `others` (a tie is not a preference)."""
    accepted = ranges(accept)
    mine = quality(media, accepted)
    return mine > 0 and all(mine > quality(other, accepted) for other in others)


def wants_editor(request: Request) -> bool:
    """`/sparql` answers a person with the query editor only when the client prefers HTML to
    every SPARQL result and RDF type it accepts: Comunica lists many RDF types and text/html at
    a lower q, and must get the service description; a browser gets the editor."""
    from crosswalk.graph.answers import GRAPH_FORMATS, SELECT_FORMATS  # the endpoint's formats

    machine = [media for media, _ in (*SELECT_FORMATS.values(), *GRAPH_FORMATS.values())]
    return prefers(request.headers.get("accept"), "text/html", machine)


__all__ = ["NotAcceptable", "choose", "prefers", "quality", "ranges", "wants_editor"]
