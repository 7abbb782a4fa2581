"""One place maps Crosswalk's errors to HTTP: `application/problem+json` (RFC 9457).

QueryRefused → 403   ResultTooLarge, QueryError, InputError → 400
QueryTimeout, StoreUnavailable → 503 (Busy: with Retry-After)   other StoreError → 500
NotAcceptable → 406   HTTPException → its status, titled from EXPLAINED
anything unexpected → 500, its text kept out of the answer (logged for the operator)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosswalk.graph.errors import (
    CrosswalkError,
    InputError,
    QueryRefused,
    QueryTimeout,
    RuleFileError,
    ShapeError,
    StoreUnavailable,
)

from .negotiate import NotAcceptable

PROBLEM = "application/problem+json"
TYPES = "https://w3id.org/crosswalk/problems/"
log = logging.getLogger("crosswalk.api")

# Every problem type Crosswalk answers with: status, title, and what it means for the client.
# Each type IRI dereferences to this text (`GET /problems/{slug}`, HTML or Markdown).
EXPLAINED: dict[int, tuple[str, str]] = {
    400: (
        "Bad request",
        "The request cannot be answered as asked: an unknown jurisdiction, concept or parameter, "
        "a malformed date or query, too many parties, or a result over the row limit. `detail` says which, "
        "and what would be valid. Nothing was changed.",
    ),
    401: ("Unauthorized", "Writes need the server's write token as `Authorization: Bearer <token>`."),
    403: (
        "Forbidden",
        "Refused on principle: SPARQL Update, LOAD and SERVICE on the public endpoint, or a write "
        "with a wrong token or with writes disabled. Repeating the request will not help.",
    ),
    404: ("Not found", "No resource has this path or identifier. Crosswalk's IRIs are listed at `/` and in the data."),
    405: (
        "Method not allowed",
        "The resource exists but not for this method; the `Allow` header lists the ones it takes.",
    ),
    406: (
        "Not acceptable",
        "None of the formats this resource is available in is acceptable by the request's "
        "`Accept` header; `detail` lists them. `?format=` chooses one explicitly.",
    ),
    413: ("Payload too large", "The request body is over the server's size limit (`CROSSWALK_MAX_BODY_BYTES`)."),
    500: (
        "Internal error",
        "The server failed; the error is in its log, not in this answer. "
        "Please report it with the request that caused it.",
    ),
    503: (
        "Service unavailable",
        "The server is busy (analyses queued, see `Retry-After`), a query or analysis ran "
        "past its time limit, or the store is unavailable. Try again later, or ask for less.",
    ),
}
TITLES = {status: title for status, (title, _) in EXPLAINED.items()}


def slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def problem(status: int, title: str, detail: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {"type": f"{TYPES}{slug(title)}", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(exc: CrosswalkError) -> tuple[int, str]:
    if isinstance(exc, NotAcceptable):
        return 406, "Not acceptable"
    if isinstance(exc, QueryRefused):
        return 403, "Forbidden"
    if isinstance(exc, InputError):
        return 400, "Bad request"
    if isinstance(exc, (QueryTimeout, StoreUnavailable)):
        return 503, "Service unavailable"
    return 500, "Internal error"


def install(app: FastAPI) -> None:
    @app.exception_handler(CrosswalkError)
    async def crosswalk_error(_: Request, exc: CrosswalkError) -> JSONResponse:
        status, title = status_of(exc)
        detail = exc.details() if isinstance(exc, (RuleFileError, ShapeError)) else str(exc)
        retry = getattr(exc, "retry_after", None)
        return problem(status, title, detail, {"Retry-After": str(retry)} if retry is not None else None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return problem(400, "Bad request", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = TITLES.get(exc.status_code) or HTTPStatus(exc.status_code).phrase
        return problem(exc.status_code, title, str(exc.detail), exc.headers)  # 405 keeps its Allow header

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(request.method, request.url.path, exc)


def internal_error(method: str, path: str, exc: BaseException) -> JSONResponse:
    """The answer to an unexpected error: the text of the exception may hold paths or data, so it
    goes to the log, never to the client. (api/headers.py answers with it, inside the layer that
    adds the security headers; Starlette's own last-resort handler would answer outside it.)"""
    log.error("unhandled error on %s %s", method, path, exc_info=exc)
    return problem(500, "Internal error", "the server failed to answer this request; the error is logged")
