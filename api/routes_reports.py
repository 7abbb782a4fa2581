"""`GET /reports/harmonization`: the harmonization report over HTTP, and the web app's comparison
page (the HTML report with a form above it to pick parties, a date and concept groups)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import RDFS

from crosswalk.graph.errors import QueryError
from crosswalk.graph.store import Store
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import reference_graph
from crosswalk.queries.parties import parties
from crosswalk.queries.report import build_report, check_request, group_labels

from .heavy import queue_of
from .negotiate import NotAcceptable, choose
from .report_render import FORMATS, render, render_html
from .response_cache import Key, ResponseCache

router = APIRouter(tags=["reports"])
SCHEMA_PATH = Path(__file__).parent / "report.schema.json"
Format = Literal["html", "pdf", "md", "json"]
ACCEPTS = (("text/html", "html"), ("application/pdf", "pdf"), ("text/markdown", "md"), ("application/json", "json"))
_RENDERED = ResponseCache(entries=64, max_bytes=64_000_000)  # a PDF is a few MB


@router.get("/reports/harmonization/schema", summary="JSON Schema of the harmonization report's JSON format")
async def report_schema() -> Response:
    return Response(SCHEMA_PATH.read_bytes(), media_type="application/schema+json")


def _negotiate(fmt: str | None, accept: str | None) -> str:
    if fmt:
        return fmt
    media = choose(accept, [m for m, _ in ACCEPTS])  # HTML first: what `*/*` and no Accept get
    if media is None:
        raise NotAcceptable([m for m, _ in ACCEPTS])
    return dict(ACCEPTS)[media]


def _form(
    request: Request,
    codes: list[str],
    groups: list[str],
    as_of: date | None,
    error: str = "",
    changes_to: date | None = None,
) -> dict[str, Any]:
    g = reference_graph()
    members = vocabulary().jurisdictions.members
    query = [("j", c) for c in codes] + [("group", x) for x in groups]
    query += [("as_of", as_of.isoformat())] if as_of else []
    query += [("changes_to", changes_to.isoformat())] if changes_to else []
    return {
        "action": request.url.path,
        "jurisdictions": [{"code": c, "label": str(g.value(i, RDFS.label) or c)} for c, i in sorted(members.items())],
        "groups": [{"key": k, "label": v} for k, v in sorted(group_labels().items(), key=lambda kv: kv[1])],
        "chosen_groups": groups,
        "today": date.today().isoformat(),
        "download": {f: f"{request.url.path}?{urlencode([*query, ('format', f)])}" for f in FORMATS},
        "error": error,
        "changes_to": changes_to.isoformat() if changes_to else "",
    }


def _optional_date(text: str | None) -> date | None:
    """The report form sends `changes_to=` empty when the box is left blank: no changes asked for."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"changes_to {text!r} is not a date (YYYY-MM-DD)") from None


def _filename(codes: list[str], as_of: date | None, fmt: str) -> str:
    return f"crosswalk-{'-'.join(codes)}-{(as_of or date.today()).isoformat()}.{fmt}"


@router.get(
    "/reports/harmonization",
    summary="Harmonization report for two or more jurisdictions (HTML page with a form, PDF, Markdown or JSON)",
    response_class=Response,
    responses={
        200: {
            "description": "The report; with no `j` and HTML requested, the empty comparison page",
            "content": {media: {} for media in FORMATS.values()},
        },
        400: {"description": "Unknown jurisdiction or group, fewer than two parties, bad date or format"},
    },
)
async def harmonization(
    request: Request,
    j: Annotated[list[str] | None, Query(description="Jurisdiction code, repeated: ?j=EU&j=US-CO&j=KR")] = None,
    as_of: Annotated[date | None, Query(description="Date the comparison holds at (YYYY-MM-DD); default today")] = None,
    group: Annotated[list[str] | None, Query(description="Concept-group key, repeated; default all groups")] = None,
    format: Annotated[Format | None, Query(description="html, pdf, md or json; default by Accept, else html")] = None,
    changes_to: Annotated[
        str | None,
        Query(description="Also say what changes for each pair between as_of and this later date (YYYY-MM-DD)"),
    ] = None,
) -> Response:
    fmt = _negotiate(format, request.headers.get("accept"))
    until = _optional_date(changes_to)
    groups = list(dict.fromkeys(group or []))
    store = request.app.state.store
    try:
        codes = parties(j or [], cap=request.app.state.settings.max_parties)
    except QueryError as exc:
        if fmt != "html":
            raise
        return HTMLResponse(render_html(None, link_base="/", form=_form(request, [], groups, as_of, str(exc))), 400)
    if fmt == "html" and not codes:
        return HTMLResponse(render_html(None, link_base="/", form=_form(request, codes, groups, as_of)))
    # Keyed by the exact date, not its epoch (api/epochs.py): a report prints its date and the day
    # it was made throughout, in a PDF too, where no date can be rewritten afterwards.
    key = _RENDERED.key(store, tuple(codes), as_of or date.today(), tuple(groups), fmt, until)
    body = _RENDERED.get(key)
    if body is None:
        try:
            check_request(codes, groups)  # bad input is said before waiting for a slot
            queue = queue_of(request.app)
            body = await queue.shared(
                key, lambda: queue.run(_made, request, store, codes, as_of, groups, fmt, key, until)
            )
        except QueryError as exc:
            if fmt != "html":
                raise
            page = render_html(None, link_base="/", form=_form(request, codes, groups, as_of, str(exc), until))
            return HTMLResponse(page, status_code=400)
    headers = {} if fmt == "html" else {"content-disposition": f'inline; filename="{_filename(codes, as_of, fmt)}"'}
    return Response(body, media_type=FORMATS[fmt], headers=headers)


def _made(
    request: Request,
    store: Store,
    codes: list[str],
    as_of: date | None,
    groups: list[str],
    fmt: str,
    key: Key | None,
    changes_to: date | None = None,
) -> bytes:
    """The report built, rendered and kept, in one go on the analysis queue (api/heavy.py): kept
    even when the client has stopped waiting, so that asking again gets it."""
    report = build_report(store, codes, as_of, groups or None, changes_to=changes_to)
    if fmt == "html":
        body = render_html(
            report, link_base="/", form=_form(request, codes, groups, as_of, changes_to=changes_to)
        ).encode()
    else:
        body = render(report, fmt)
    _RENDERED.put(key, body)
    return body
