"""Server settings, from the environment (prefix CROSSWALK_) or arguments to `create_app`.

Each number has bounds: a nonsense value (a timeout of 0, a 1 MB worker, -1 rows) is refused
when the server starts, in one line naming the variable, instead of a server that cannot work.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from crosswalk.graph.errors import InputError
from crosswalk.graph.store import store_kind


class Settings(BaseSettings):
    """Every setting of `crosswalk serve`, each documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="CROSSWALK_")

    store: str | None = None  # store URL; default: the embedded store in the user data directory
    # seconds a /sparql query may run before it is stopped (503)
    query_timeout: float = Field(10.0, gt=0, le=3600, allow_inf_nan=False)
    # killable worker processes for /sparql on an on-disk store; 0: run in process
    query_workers: int = Field(2, ge=0, le=64)
    # memory cap of one /sparql worker (a worker needs about 150 MB to start)
    query_memory_mb: int = Field(2048, ge=256, le=1024 * 1024)
    max_rows: int = Field(10_000, ge=1)  # results larger than this are refused (400)
    # request bodies larger than this are refused (413), checked while reading
    max_body_bytes: int = Field(1_000_000, ge=1024)
    # /sparql answers larger than this are refused (400): the worker stops writing at the cap
    max_response_bytes: int = Field(16_000_000, ge=1024)
    # /sparql queries that may wait for a free worker; more are answered 503 + Retry-After
    query_queue: int = Field(32, ge=0, le=10_000)
    # how long one may wait for a worker (its time limit starts only then)
    query_queue_seconds: float = Field(10.0, gt=0, le=3600, allow_inf_nan=False)
    ingest_if_empty: bool = True  # ingest the bundled corpus when the store holds no instrument
    write_token: str | None = None  # bearer token for writes over HTTP; unset: writes disabled
    # the HTTP surface (api/heavy.py, api/headers.py, docs/security.md)
    # (nonsense values are refused at start, with the field named)
    max_parties: Annotated[int, Field(ge=2)] = 60  # distinct jurisdictions one request may name (400 beyond)
    analysis_slots: Annotated[int, Field(ge=1)] = 2  # matrices, multi-party reports and PDFs computed at once
    analysis_queue: Annotated[int, Field(ge=0)] = 8  # requests that may wait for a slot; beyond: 503 with Retry-After
    analysis_timeout: Annotated[float, Field(gt=0)] = 120.0  # seconds a client waits for an analysis before a 503
    # the server's public base URL (https://host/prefix); unset: relative redirects
    public_url: Annotated[str | None, Field(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")] = None


def load_settings(**overrides: Any) -> Settings:
    """`Settings` from the environment and `overrides`, a bad value raised as one line per
    setting (`InputError`: `crosswalk serve` exits 2 with it, no traceback)."""
    try:
        settings = Settings(**overrides)
        if settings.store:
            store_kind(settings.store)  # a typo in the store URL stops the start, in one line
        return settings
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            lines.append(f"CROSSWALK_{name.upper()}={error.get('input')!r}: {error['msg'].lower()}")
        raise InputError("invalid setting: " + "; ".join(lines)) from None
