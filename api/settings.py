"""Server settings, from the environment (prefix CROSSWALK_) or arguments to `create_app`."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of `crosswalk serve`, each documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="CROSSWALK_")

    store: str | None = None  # store URL; default: the embedded store in the user data directory
    query_timeout: float = 10.0  # seconds a /sparql query may run before it is stopped (503)
    query_workers: int = 2  # killable worker processes for /sparql on an on-disk store; 0: run in process
    query_memory_mb: int = 2048  # memory cap of one /sparql worker
    max_rows: int = 10_000  # results larger than this are refused (400)
    max_body_bytes: int = 1_000_000  # request bodies larger than this are refused (413), checked while reading
    # /sparql answers larger than this are refused (400): the worker stops writing at the cap
    max_response_bytes: int = 16_000_000
    query_queue: int = 32  # /sparql queries that may wait for a free worker; more are answered 503 + Retry-After
    query_queue_seconds: float = 10.0  # how long one may wait for a worker (its time limit starts only then)
    ingest_if_empty: bool = True  # ingest the bundled corpus when the store holds no instrument
    write_token: str | None = None  # bearer token for writes over HTTP; unset: writes disabled
