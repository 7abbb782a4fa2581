"""JSON-LD on request for the REST resources: the same JSON, with an inline `@context` that maps
its keys onto the Crosswalk ontology, so `Accept: application/ld+json` (or `?format=jsonld`)
yields RDF any JSON-LD processor reads. Keys without a mapping (counts, paging) are plain JSON
that a processor ignores.

The REST router uses `JsonLdRoute` as its route class: a handler returns its JSON as usual and
the route re-wraps the body when JSON-LD was asked for.

>>> wrap("/jurisdictions", [{"iri": "https://w3id.org/crosswalk/id/jurisdiction/EU"}])["@graph"][0]["iri"][-2:]
'EU'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from crosswalk.ontology import XW

from .negotiate import choose

MEDIA = "application/ld+json"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CONCEPTS = "https://w3id.org/crosswalk/concept/"

_PROVISION = {
    "provision": "@id",
    "citation": f"{XW}citation",
    "summary": f"{XW}summary",
    "modality": None,
    "source": {"@id": f"{XW}officialSource", "@type": "@id"},
    "instrument": {"@id": f"{XW}partOf", "@type": "@id"},
    "instrument_title": None,
    "applies_from": {"@id": f"{XW}appliesFrom", "@type": f"{XSD}date"},
    "concept": {"@id": f"{XW}concerns", "@type": "@id"},
    "binding": None,
    "parameters": None,
    "jurisdiction": None,
}
CONTEXTS: dict[str, dict[str, Any]] = {
    "/jurisdictions": {"iri": "@id", "code": f"{XW}code", "label": f"{RDFS}label"},
    "/instruments": {
        "iri": "@id",
        "title": f"{RDFS}label",
        "instrument": f"{SKOS}altLabel",
        "source": {"@id": f"{XW}officialSource", "@type": "@id"},
        "curated": {"@id": f"{XW}curationDate", "@type": f"{XSD}date"},
        "enteredIntoForce": {"@id": f"{XW}enteredIntoForce", "@type": f"{XSD}date"},
        "binding": f"{XW}binding",
    },
    "/provisions": {"@base": CONCEPTS, "items": "@graph", **_PROVISION},
    "/concepts": {
        "@base": CONCEPTS,
        "concept": "@id",
        "label": f"{SKOS}prefLabel",
        "definition": f"{SKOS}definition",
        "concepts": {"@reverse": f"{XW}inGroup"},
        "group": None,
    },
}
PROV = "http://www.w3.org/ns/prov#"
# comparisons and baselines: each finding (or baseline entry) is a node derived from the provisions it cites
GENERIC = {
    "@base": CONCEPTS,
    **_PROVISION,
    "findings": "@included",
    "common": "@included",
    "a": {"@id": f"{PROV}wasDerivedFrom"},
    "b": {"@id": f"{PROV}wasDerivedFrom"},
    "provisions": {"@id": f"{PROV}wasDerivedFrom", "@container": "@index"},
    "concept_label": f"{RDFS}label",
}


def wants_jsonld(request: Request) -> bool:
    """JSON-LD when asked by `?format=jsonld`, or preferred to plain JSON by Accept (q-values:
    `*/*` and ties stay JSON)."""
    fmt = request.query_params.get("format")
    return fmt == "jsonld" if fmt else choose(request.headers.get("accept"), ["application/json", MEDIA]) == MEDIA


def wrap(path: str, body: Any) -> dict[str, Any]:
    context = {k: v for k, v in CONTEXTS.get(path, GENERIC).items() if v is not None}
    context |= {k: None for k, v in CONTEXTS.get(path, GENERIC).items() if v is None}  # explicitly plain JSON
    if isinstance(body, list):
        return {"@context": context, "@graph": body}
    return {"@context": context, **body}


class JsonLdRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        path = self.path

        async def route(request: Request) -> Response:
            response = await handler(request)
            if not wants_jsonld(request) or response.media_type != "application/json" or response.status_code != 200:
                return response
            body = json.loads(bytes(response.body))
            return Response(json.dumps(wrap(path, body), ensure_ascii=False), media_type=MEDIA)

        return route


__all__ = ["MEDIA", "JsonLdRoute", "wants_jsonld", "wrap"]
