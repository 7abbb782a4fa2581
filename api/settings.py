"""Server settings, from the environment (prefix CROSSWALK_) or arguments to `create_app`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of `crosswalk serve`, each documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="CROSSWALK_")

    store: str | None = None  # store URL; default: the embedded store in the user data directory
    query_timeout: float = 10.0  # seconds a /sparql query may run before it is stopped (503)
    query_workers: int = 2  # killable worker processes for /sparql on an on-disk store; 0: run in process
    query_memory_mb: int = 2048  # memory cap of one /sparql worker
    max_rows: int = 10_000  # results larger than this are refused (400)
    max_body_bytes: int = 1_000_000  # request bodies larger than this are refused (413)
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
