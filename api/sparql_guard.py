"""What the public SPARQL endpoint refuses: updates, LOAD/CLEAR/DROP…, and SERVICE.

The query text is reduced to its keywords — comments, string literals and IRIs removed — so a
keyword inside a string or an IRI is not mistaken for an operation.

>>> refusal("SELECT * WHERE { ?s ?p 'DROP ALL' }") is None
True
>>> refusal("DROP ALL")
'SPARQL Update (DROP) is not allowed: this endpoint is read-only'
"""

from __future__ import annotations

import re

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_IRIS = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENTS = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*", re.IGNORECASE)


def keywords_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    text = _STRINGS.sub('""', sparql)
    text = _IRIS.sub("<>", text)
    return _COMMENTS.sub(" ", text)


def refusal(sparql: str) -> str | None:
    """Why the read-only endpoint refuses this text, or None if it may run."""
    text = keywords_only(sparql)
    body = _PROLOGUE.sub("", text.replace("<>", " ")).lstrip()
    first = re.match(r"[A-Za-z]+", body)
    if first and first.group(0).upper() in UPDATE_KEYWORDS:
        return f"SPARQL Update ({first.group(0).upper()}) is not allowed: this endpoint is read-only"
    if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
        return "SERVICE (federated queries to other endpoints) is not allowed on this endpoint"
    return None
