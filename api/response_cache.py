"""Rendered response bodies kept per version of the store, bounded in entries and in bytes.

The key starts with the store's `cache_key` (its serial and write count), so a write retires
every older entry: the first entry stored under a new version drops all entries of older ones.
Stores that do not count their writes (remote ones) are never cached. Within a version the
least recently used entry goes first when either bound is reached; a body larger than a quarter
of the byte budget is not kept at all (it would push out everything else).

>>> cache = ResponseCache(entries=2, max_bytes=100)
>>> class Store: cache_key = (1, 0)
>>> for name in ("a", "b", "c"):
...     cache.put(cache.key(Store, name), name.encode() * 10)
>>> cache.get(cache.key(Store, "a")) is None, cache.get(cache.key(Store, "c"))
(True, b'cccccccccc')
>>> len(cache), cache.bytes
(2, 20)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

Key = tuple[Hashable, ...]


class ResponseCache:
    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._bodies: OrderedDict[Key, bytes] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()  # an analysis thread may store its own result (api/heavy.py)

    @staticmethod
    def key(store: object, *parts: Hashable) -> Key | None:
        identity = getattr(store, "cache_key", None)
        return None if identity is None else (identity, *parts)

    def __len__(self) -> int:
        return len(self._bodies)

    def get(self, key: Key | None) -> bytes | None:
        if key is None:
            return None
        with self._lock:
            if key not in self._bodies:
                return None
            self._bodies.move_to_end(key)
            return self._bodies[key]

    def put(self, key: Key | None, body: bytes) -> None:
        if key is None or len(body) > self.max_bytes // 4:
            return
        with self._lock:
            self._put(key, body)

    def _put(self, key: Key, body: bytes) -> None:
        if key[0] != self._version:  # a new store version: older bodies are never asked for again
            self._bodies.clear()
            self.bytes = 0
            self._version = key[0]
        old = self._bodies.pop(key, None)
        self.bytes -= len(old) if old is not None else 0
        self._bodies[key] = body
        self.bytes += len(body)
        while len(self._bodies) > self.entries or self.bytes > self.max_bytes:
            _, dropped = self._bodies.popitem(last=False)
            self.bytes -= len(dropped)
