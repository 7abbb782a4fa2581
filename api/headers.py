"""What every HTTP response carries, in one ASGI layer around the app (`Surface`):

- security headers: a Content-Security-Policy under which the workbench, the SPARQL editor (the
  vendored YASGUI) and the pages work with no inline script and nothing from another host;
  `X-Content-Type-Options: nosniff`; no framing (`frame-ancestors 'none'`, `X-Frame-Options`);
  `Referrer-Policy: no-referrer`. `/docs` and `/redoc` (FastAPI's pages, which load Swagger UI
  and ReDoc from jsDelivr with an inline script) get a policy that allows exactly that;
- `Vary: Accept`, since most resources are negotiated (api/negotiate.py);
- HEAD on every GET route: the request runs as GET and the body is dropped, headers kept;
- trailing-slash redirects that do not echo the `Host` header: Starlette builds them from it,
  here they become relative (or absolute under the `public_url` setting);
- unexpected errors answered here (problem+json, api/problems.py), so a 500 carries these
  headers too;
- CORS on `/sparql` only (Starlette's CORSMiddleware): GET and POST from any origin, and the
  OPTIONS preflight, so a YASGUI hosted elsewhere can query the endpoint. No credentials: the
  endpoint is public and read-only, and the write routes never answer another origin's script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import internal_error

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc pages: their scripts and styles come from jsDelivr, started inline
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "font-src 'self' data: https://fonts.gstatic.com; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Surface:
    def __init__(self, app: ASGIApp, public_url: str | None = None) -> None:
        self.app = app
        self.public = public_url.rstrip("/") if public_url else ""
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            max_age=3600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        policy = DOCS_CSP if path in ("/docs", "/redoc") else CSP
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += [(b"content-security-policy", policy.encode()), *COMMON]
                if not path.startswith("/static/"):
                    headers = _vary_accept(headers)
                if message["status"] in (307, 308):
                    headers = [(k, self._local(v, host) if k.lower() == b"location" else v) for k, v in headers]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await sending(message)

        target = self.cors if path == "/sparql" else self.app
        try:
            await target(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await internal_error(scope["method"], path, exc)(scope, receive, sending)

    def _local(self, location: bytes, host: str) -> bytes:
        """A redirect to this server without the scheme and host the client sent (Starlette's
        trailing-slash redirect builds them from the Host header)."""
        parts = urlsplit(location.decode("latin-1"))
        if not parts.netloc or parts.netloc != host:
            return location
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        return (self.public + local).encode("latin-1")


def _vary_accept(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`Accept` added to the response's Vary (CORS puts `Origin` there on /sparql)."""
    vary = [v for k, v in headers if k.lower() == b"vary"]
    names = {n.strip().lower() for v in vary for n in v.split(b",")}
    if b"accept" in names or b"*" in names:
        return headers
    merged = b", ".join([*vary, b"Accept"])
    return [(k, v) for k, v in headers if k.lower() != b"vary"] + [(b"vary", merged)]


__all__ = ["CSP", "Surface"]
