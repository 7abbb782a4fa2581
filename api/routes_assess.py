"""`POST /assess`: a system profile in (YAML or JSON body), its tiers, duties and crosswalk out.

It writes nothing, so it needs no token. Its cost is bounded: the body is size-capped (the
settings' body limit, and the profile reader's own), the reasoner's input is made of closed
lists (one placement per market and tier start date), at most `CONCURRENT` assessments run at
once (others get 503 at once, not a queue), and each is stopped after `SECONDS` (503).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryError, QueryTimeout, RuleFileError
from crosswalk.graph.profile import Profile, read_profile
from crosswalk.queries.assess import assess

from .assess_cli import markdown
from .assess_render import render_html, render_pdf

router = APIRouter(tags=["assessment"])
SECONDS = 20.0  # the whole assessment; the reasoner alone gets the same bound
CONCURRENT = 2
_running = asyncio.Semaphore(CONCURRENT)


def _read(body: bytes, content_type: str) -> Profile:
    """The profile in the body. JSON is read as YAML (one reader, one set of errors, line numbers
    that point into the body); JSON that YAML 1.1 refuses (tabs between tokens) is parsed as JSON
    and read again as YAML, its line numbers then those of that YAML."""
    try:
        return read_profile(Path("profile.yaml"), body)
    except RuleFileError as exc:
        if "json" not in content_type or not any(p.field == "(yaml)" for p in exc.problems):
            raise
    try:
        data = json.loads(body)
    except ValueError as bad:
        raise QueryError(f"the body is not JSON: {bad}") from None
    return read_profile(Path("profile.json"), yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode())


@router.post(
    "/assess",
    summary="Classify an AI system profile in each of its markets: tiers, duties, crosswalk (writes nothing)",
    response_model=None,
)
async def assess_profile(
    request: Request,
    as_of: Annotated[str | None, Query(description="Date, YYYY-MM-DD; default today")] = None,
    market: Annotated[list[str] | None, Query(description="Only these markets of the profile")] = None,
    format: Annotated[str, Query(description="json, md, html or pdf")] = "json",
) -> dict[str, Any] | Response:
    if format not in ("json", "md", "html", "pdf"):
        raise QueryError(f"unknown format {format!r}; use json, md, html or pdf")
    try:
        when = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise QueryError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)") from None
    limit = request.app.state.settings.max_body_bytes
    body = await request.body()
    if len(body) > limit:
        raise HTTPException(413, f"the request body is over the limit of {limit} bytes")
    profile = _read(body, request.headers.get("content-type", ""))
    if _running.locked():
        raise HTTPException(503, f"{CONCURRENT} assessments are running; try again shortly")
    async with _running:
        work = run_in_threadpool(assess, request.app.state.store, profile, when, market, SECONDS)
        try:
            result = await asyncio.wait_for(work, SECONDS)
        except TimeoutError:
            raise QueryTimeout(f"the assessment ran past its time limit of {SECONDS:g} s") from None
    if format == "md":
        return PlainTextResponse(markdown(result), media_type="text/markdown; charset=utf-8")
    if format == "html":
        return HTMLResponse(render_html(result.to_dict()))
    if format == "pdf":
        return Response(await run_in_threadpool(render_pdf, result.to_dict()), media_type="application/pdf")
    return result.to_dict()


@router.get("/assess/tiers", summary="The risk tiers an assessment classifies into, each with its article")
def tiers() -> list[dict[str, object]]:
    from crosswalk.queries.assess.tiers import definitions

    return definitions()


EXAMPLE = Path(__file__).parent / "templates" / "assess-example.yaml"


@router.get(
    "/assess", summary="A form to assess a profile (HTML), or how to call POST /assess (JSON)", response_model=None
)
def form(request: Request) -> dict[str, Any] | Response:
    accept = request.headers.get("accept", "")
    if "text/html" not in accept:
        return {
            "post": "/assess",
            "body": "a system profile, YAML or JSON (docs/assess.md)",
            "parameters": {
                "as_of": "YYYY-MM-DD",
                "market": "repeatable jurisdiction code",
                "format": "json|md|html|pdf",
            },
            "tiers": "/assess/tiers",
            "example": EXAMPLE.read_text(encoding="utf-8"),
        }
    from .assess_render import render_form

    return HTMLResponse(render_form(EXAMPLE.read_text(encoding="utf-8"), date.today().isoformat()))
