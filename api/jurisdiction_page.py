"""A jurisdiction's page (issue 14): its instruments with status and dates, where its curation is
complete and what is known to be missing, by group, and the caveats on its law. Read from the
store with one query per part, so it shows what the analysis reads."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from rdflib import URIRef

from crosswalk.graph.store import Rows, Store

PREFIX = "PREFIX xw: <https://w3id.org/crosswalk/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "

INSTRUMENTS = (
    PREFIX
    + """SELECT ?i ?title ?status ?binding ?general ?proposed ?adopted ?inForce ?repealed ?lapsed
       (COUNT(DISTINCT ?p) AS ?provisions) WHERE {
  ?i a xw:Instrument ; xw:jurisdiction ?j ; rdfs:label ?title ; xw:status/xw:key ?status ; xw:binding ?binding .
  OPTIONAL { ?i xw:generalLaw ?general }
  OPTIONAL { ?i xw:proposedOn ?proposed } OPTIONAL { ?i xw:adoptedOn ?adopted }
  OPTIONAL { ?i xw:enteredIntoForce ?inForce } OPTIONAL { ?i xw:repealedOn ?repealed }
  OPTIONAL { ?i xw:lapsedOn ?lapsed }
  OPTIONAL { ?p xw:partOf ?i ; xw:citation ?c }
}
GROUP BY ?i ?title ?status ?binding ?general ?proposed ?adopted ?inForce ?repealed ?lapsed
ORDER BY ?title"""
)
COVERAGE = (
    PREFIX
    + """SELECT ?state (GROUP_CONCAT(DISTINCT ?group; separator=", ") AS ?groups) ?asOf ?note WHERE {
  { ?s a xw:CoverageStatement ; xw:coversGroup ?g . BIND("covered" AS ?state) }
  UNION { ?s a xw:KnownOmission ; xw:omitsGroup ?g . BIND("known omission" AS ?state) }
  ?s xw:jurisdiction ?j ; xw:coverageAsOf ?asOf . ?g xw:key ?group .
  OPTIONAL { ?s xw:note ?note }
}
GROUP BY ?s ?state ?asOf ?note
ORDER BY ?state ?groups"""
)
CAVEATS = (
    PREFIX
    + """SELECT ?title ?kind ?from ?until ?by ?source ?note (COUNT(?p) AS ?provisions) WHERE {
  ?c a xw:Caveat ; xw:caveatOn ?i ; xw:caveatKind ?kind ; xw:caveatFrom ?from ; xw:caveatBy ?by ;
     xw:officialSource ?source ; xw:note ?note ; xw:caveatAffects ?p .
  ?i xw:jurisdiction ?j ; rdfs:label ?title .
  OPTIONAL { ?c xw:caveatUntil ?until }
}
GROUP BY ?title ?kind ?from ?until ?by ?source ?note
ORDER BY ?from"""
)


def caveat_html(row: Mapping[str, object], where: str = "") -> str:
    """A caveat in words, with its order or announcement linked: "enforcement stay from
    2026-04-27 until … (X.AI LLC v. Weiser): …". `row` has kind, from, until, by, source, note
    (the caveat queries' columns); `where` says what it is on."""
    until = f" until {escape(str(row['until']))}" if row.get("until") is not None else ""
    return (
        f"<strong>{escape(str(row['kind']).replace('-', ' '))}</strong> from {escape(str(row['from']))}{until}"
        f'{where} (<a href="{escape(str(row["source"]))}">{escape(str(row["by"]))}</a>): {escape(str(row["note"]))}'
    )


def _rows(store: Store, sparql: str, j: URIRef) -> list[dict[str, object]]:
    result = store.query(sparql, {"j": j})
    assert isinstance(result, Rows)
    return [dict(r) for r in result.dicts()]


def _local(iri: object) -> str:
    text = str(iri)
    base = "https://w3id.org/crosswalk"
    return text[len(base) :] if text.startswith(base) else text


def jurisdiction_html(store: Store, j: URIRef) -> str:
    """The jurisdiction's instruments, coverage and caveats as an HTML fragment."""
    parts = [
        "<h2>Instruments</h2><table><tr><th>instrument</th><th>layer</th><th>status</th>"
        "<th>dates</th><th>provisions</th></tr>"
    ]
    for r in _rows(store, INSTRUMENTS, j):
        dates = "; ".join(
            f"{label} {r[key]}"
            for key, label in (
                ("proposed", "proposed"),
                ("adopted", "adopted"),
                ("inForce", "in force"),
                ("repealed", "repealed"),
                ("lapsed", "lapsed"),
            )
            if r.get(key) is not None
        )
        binding = str(r["binding"]) in ("true", "1")
        layer = "general law" if r.get("general") is not None else ("AI law" if binding else "soft law")
        parts.append(
            f'<tr><td><a href="{escape(_local(r["i"]))}">{escape(str(r["title"]))}</a></td><td>{layer}</td>'
            f"<td>{escape(str(r['status']))}</td><td>{escape(dates)}</td><td>{escape(str(r['provisions']))}</td></tr>"
        )
    parts.append("</table>")
    coverage = _rows(store, COVERAGE, j)
    parts.append("<h2>Coverage by group</h2>")
    if coverage:
        parts.append(
            "<p>Only against a group declared covered may an absence be called a gap; a known omission "
            "names what is not curated.</p><ul>"
        )
        for r in coverage:
            note = f": {escape(str(r['note']))}" if r.get("note") is not None else ""
            parts.append(
                f"<li><strong>{escape(str(r['state']))}</strong> ({escape(str(r['groups']))}), "
                f"as of {escape(str(r['asOf']))}{note}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>No coverage statement and no known omission: every absence is “not curated”.</p>")
    caveats = _rows(store, CAVEATS, j)
    if caveats:
        parts.append("<h2>Caveats</h2><ul>")
        for r in caveats:
            where = f" on {escape(str(r['title']))}, {escape(str(r['provisions']))} provisions"
            parts.append(f"<li>{caveat_html(r, where)}</li>")
        parts.append("</ul>")
    return "".join(parts)


__all__ = ["caveat_html", "jurisdiction_html"]
