"""The SPARQL query editor page: the vendored YASGUI (api/static/yasgui), pointed at /sparql,
with Crosswalk's prefixes and the cookbook's recipes as examples (runnable as they stand, their
parameters written in; the named queries with parameters are at /queries). No external resource
is loaded, and no inline script runs (the Content-Security-Policy allows none); YASGUI's
share button gives a permalink to each query."""

from __future__ import annotations

import json
from html import escape

from crosswalk.ontology import PREFIXES
from crosswalk.queries.cookbook import recipes

START = (
    "SELECT ?provision ?citation ?summary WHERE {\n"
    "  ?provision xw:citation ?citation ; xw:summary ?summary .\n} LIMIT 20"
)


def page() -> str:
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    examples = {r.name: r.text for r in recipes()}
    # data for static/editor/editor.js, in a JSON block a script cannot break out of ("</" escaped)
    config = json.dumps({"examples": examples, "start": prologue + START}).replace("</", "<\\/")
    options = "".join(f'<option value="{escape(r.name)}">{escape(r.title)}</option>' for r in recipes())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crosswalk SPARQL editor</title>
<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">
<script src="/static/yasgui/yasgui.min.js"></script>
</head><body>
<h1>Crosswalk SPARQL editor</h1>
<p>Read-only endpoint <code>/sparql</code>. Recipe (runs as it stands):
<select id="examples"><option value="">—</option>{options}</select>
Named queries with parameters: <a href="/queries">/queries</a>. API docs: <a href="/docs">/docs</a>.</p>
<div id="yasgui"></div>
<script id="editor-config" type="application/json">{config}</script>
<script src="/static/editor/editor.js"></script>
</body></html>"""
