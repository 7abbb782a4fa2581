"""Credentials for a remote store: HTTP Basic or Digest, from settings or a netrc, never the URL.

A user name and password in the store URL (``http://user:pass@host/sparql``) would end up in
shell histories, process lists, logs and every error message that names the endpoint, so such a
URL is refused (without repeating the password). Instead:

- ``CROSSWALK_STORE_USER`` and ``CROSSWALK_STORE_PASSWORD``, or
- a netrc entry for the endpoint's host (``CROSSWALK_NETRC``, else ``~/.netrc``), and
- ``CROSSWALK_STORE_AUTH``: ``digest`` (Virtuoso's ``/sparql-auth`` and
  ``/sparql-graph-crud-auth``) or ``basic`` (GraphDB, Fuseki, Stardog); default ``digest``.

The password lives only in the `Credentials` object, whose repr hides it.
"""

from __future__ import annotations

import netrc
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .errors import QueryError

SCHEMES = ("basic", "digest")


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    scheme: str = "digest"

    def auth(self) -> httpx.Auth:
        """The httpx authentication for these credentials."""
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.password)
        return httpx.DigestAuth(self.user, self.password)


def refuse_userinfo(url: str) -> None:
    """Refuse a URL that carries credentials, naming the URL without them."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        safe = f"{parts.scheme}://{host}{port}{parts.path}"
        raise QueryError(
            f"the store URL {safe} must not carry a user name or password; set CROSSWALK_STORE_USER and "
            "CROSSWALK_STORE_PASSWORD or a netrc entry for the host instead (docs/deploy.md)"
        )


def for_url(url: str) -> Credentials | None:
    """The credentials configured for the endpoint at `url`, if any."""
    scheme = os.environ.get("CROSSWALK_STORE_AUTH", "digest").strip().lower()
    if scheme not in SCHEMES:
        raise QueryError(f"CROSSWALK_STORE_AUTH must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    user = os.environ.get("CROSSWALK_STORE_USER")
    password = os.environ.get("CROSSWALK_STORE_PASSWORD")
    if user:
        return Credentials(user, password or "", scheme)
    host = urlsplit(url).hostname or ""
    path = Path(os.environ.get("CROSSWALK_NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        # the message of a parse error quotes the offending line, which may hold a password
        line = getattr(exc, "lineno", None)
        raise QueryError(f"cannot read the netrc file {path}" + (f" (line {line})" if line else "")) from None
    if entry is None:
        return None
    login, _, secret = entry
    return Credentials(login or "", secret or "", scheme)
