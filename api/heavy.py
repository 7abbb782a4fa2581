"""The analysis queue: matrices, multi-party baselines, harmonization reports and PDFs run here,
a few at a time, so that no number of requests can pin the server.

Why a queue in the server process, not /sparql's killable workers: an analysis is Python over
dozens of SPARQL reads, and its speed comes from memos it shares across requests (each
jurisdiction's sides, verdicts on pairs of buckets, per store version); a worker process would
start cold every time and need its own view of the store. With the party cap
(`max_parties`, queries/parties.py) the cost of one analysis is bounded (a 38-party matrix is
about 1 s; a 12-party PDF report about 45 s on two busy cores), so bounding how many run at
once bounds the server's load:

- at most `analysis_slots` analyses compute at once (threads of the server process);
- at most `analysis_queue` more wait for a slot; any request beyond that is answered at once
  with 503 and `Retry-After` (the time the queue ahead is expected to take);
- identical requests in flight share one computation (`shared`): a hundred copies of one
  report request cost one report, not a full queue;
- a client waits at most `analysis_timeout` seconds, queueing included, then gets 503. A thread
  cannot be killed: an analysis that overruns keeps its slot until it ends, so the slots bound
  the real work even then; a report stores its result itself, so asking again gets it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from crosswalk.graph.errors import QueryTimeout, StoreUnavailable

T = TypeVar("T")


class Busy(StoreUnavailable):
    """Every analysis slot is taken and the queue is full: 503, try again after `retry_after` s."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AnalysisQueue:
    def __init__(self, slots: int, waiting: int, timeout: float) -> None:
        self.slots, self.waiting, self.timeout = slots, waiting, timeout
        self._free = asyncio.Semaphore(slots)
        self._queued = 0
        self._seconds = 1.0  # moving average of how long one analysis takes, for Retry-After
        self._running: dict[Hashable, asyncio.Future[Any]] = {}

    def retry_after(self) -> int:
        return max(1, math.ceil(self._seconds * (self._queued / self.slots + 1)))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker thread once a slot is free; Busy when the queue is full,
        QueryTimeout when the answer is not there within the time limit."""
        if self._free.locked() and self._queued >= self.waiting:
            raise Busy(
                f"the server is busy with {self.slots} analyses and {self._queued} waiting; try again later",
                self.retry_after(),
            )
        deadline = time.monotonic() + self.timeout
        self._queued += 1
        try:
            await asyncio.wait_for(self._free.acquire(), self.timeout)
        except TimeoutError:
            raise self._late() from None
        finally:
            self._queued -= 1
        started = time.monotonic()
        task = asyncio.ensure_future(run_in_threadpool(fn, *args))
        task.add_done_callback(lambda t: self._done(t, started))
        try:
            return await asyncio.wait_for(asyncio.shield(task), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise self._late() from None

    async def shared(self, key: Hashable | None, make: Callable[[], Awaitable[T]]) -> T:
        """`make()`, or the result of the identical request already in flight under `key`."""
        if key is None:
            return await make()
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(make())
            self._running[key] = running
            running.add_done_callback(lambda t: self._finished(key, t))
        result: T = await asyncio.shield(running)
        return result

    def _finished(self, key: Hashable, task: asyncio.Future[Any]) -> None:
        self._running.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved: every waiter may have gone

    async def drain(self) -> None:
        """Wait until no analysis runs (at shutdown, before the store closes under one)."""
        for _ in range(self.slots):
            await self._free.acquire()

    def _done(self, task: asyncio.Future[Any], started: float) -> None:
        self._free.release()  # the slot is free when the work is done, not when the client left
        self._seconds = 0.7 * self._seconds + 0.3 * (time.monotonic() - started)
        if not task.cancelled():
            task.exception()  # retrieved, so an abandoned failure is not reported as unhandled

    def _late(self) -> QueryTimeout:
        return QueryTimeout(f"the analysis ran past its time limit of {self.timeout:g} s; the server is busy")


def queue_of(app: Any) -> AnalysisQueue:
    """The app's queue, made on first use (inside the event loop that serves the app)."""
    queue: AnalysisQueue | None = getattr(app.state, "analysis_queue", None)
    if queue is None:
        s = app.state.settings
        queue = AnalysisQueue(s.analysis_slots, s.analysis_queue, s.analysis_timeout)
        app.state.analysis_queue = queue
    return queue


__all__ = ["AnalysisQueue", "Busy", "queue_of"]
