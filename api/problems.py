"""One place maps Crosswalk's errors to HTTP: `application/problem+json` (RFC 9457).

QueryRefused → 403   ResultTooLarge, QueryError, InputError → 400
QueryTimeout, StoreUnavailable → 503   other StoreError → 500
"""

from __future__ import annotations

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

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str) -> JSONResponse:
    slug = title.lower().replace(" ", "-")
    body = {"type": f"https://w3id.org/crosswalk/problems/{slug}", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def status_of(exc: CrosswalkError) -> tuple[int, str]:
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
        return problem(status, title, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return problem(400, "Bad request", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail) if exc.status_code != 404 else "Not found", str(exc.detail))
