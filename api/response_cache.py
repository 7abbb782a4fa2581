"""Rendered response bodies kept per version of the store: the key starts with the store's
`cache_key` (its serial and write count), so a write retires every older entry. Stores that do
not count their writes (remote ones) are never cached."""

from __future__ import annotations

from collections.abc import Hashable


class ResponseCache:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._bodies: dict[tuple[Hashable, ...], bytes] = {}

    @staticmethod
    def key(store: object, *parts: Hashable) -> tuple[Hashable, ...] | None:
        identity = getattr(store, "cache_key", None)
        return None if identity is None else (identity, *parts)

    def get(self, key: tuple[Hashable, ...] | None) -> bytes | None:
        return None if key is None else self._bodies.get(key)

    def put(self, key: tuple[Hashable, ...] | None, body: bytes) -> None:
        if key is None:
            return
        if len(self._bodies) >= self.limit:
            self._bodies.clear()  # retired versions are never asked for again: start afresh
        self._bodies[key] = body
