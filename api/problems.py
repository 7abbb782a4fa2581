"""One place maps Crosswalk's errors to HTTP: `application/problem+json` (RFC 9457).

QueryRefused → 403   ResultTooLarge, QueryError, InputError → 400
QueryTimeout, StoreUnavailable → 503 (Busy: with Retry-After)   other StoreError → 500
anything unexpected → 500, its text kept out of the answer (logged for the operator)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

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
    return 500, "Store error"


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
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, str(exc.detail))
        return problem(exc.status_code, title, str(exc.detail), exc.headers)  # 405 keeps its Allow header

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette answers these from its outermost layer; the text of the exception may hold
        # paths or data, so it goes to the log, never to the client.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "Internal error", "the server failed to answer this request; the error is logged")
