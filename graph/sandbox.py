"""Untrusted SPARQL in worker processes that can be killed: the public endpoint's hard time limit.

Oxigraph evaluates an aggregate or an ORDER BY over a cross join to the end before it yields a
first row, and nothing can interrupt it inside the process; a thread that timed out would burn
a core (and memory) until it finished. So `/sparql` runs each query in one of a few worker
processes, each holding a read-only view of the on-disk store. Past the deadline the worker is
killed and replaced, and the caller gets QueryTimeout. Each worker's memory is capped
(RLIMIT_DATA): a query that needs more dies alone, and the server keeps serving.

A worker writes the answer itself, in the format the client asked for (graph/answers.py), and
sends back bytes: the server relays them and builds no terms.

Workers reopen their view when the store's write count (`EmbeddedStore.generation`) moves, so
they never answer from before a write. The analysis layer, whose queries are our own, runs in
process as before.

Workers run without a network (`isolate_network`): SPARQL SERVICE is executed by Oxigraph's own
HTTP client, and a worker that cannot reach any host cannot be made to call one.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import math
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from . import errors
from .answers import Answer, Formats
from .errors import CrosswalkError, EndpointBusy, QueryTimeout, StoreError, StoreUnavailable
from .store import Dataset

_CONTEXT = multiprocessing.get_context("spawn")  # no fork: the server holds threads and a RocksDB handle


def _cap_memory(limit_bytes: int | None) -> None:
    if limit_bytes:
        # Since Linux 4.7 RLIMIT_DATA counts anonymous mappings too, i.e. what an allocator gets.
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no interface but a loopback
    that is down: no socket it opens reaches any host, the server's own loopback included.
    Oxigraph runs SPARQL SERVICE calls with its own HTTP client, so whatever a query's text
    slips past the endpoint's check, the engine in a worker cannot call out (issue 15: defence
    in depth, not the decision). As root a network namespace alone; otherwise inside a user
    namespace where the kernel allows one. False where neither is allowed (then only the
    endpoint's parse stands between a query and the network)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


@dataclass(frozen=True)
class Job:
    """One `/sparql` query for a worker: what `EmbeddedStore.answer` takes, and the store
    version the answer must come from."""

    sparql: str
    formats: Formats
    dataset: Dataset = field(default_factory=Dataset)
    own_dataset: bool = False
    base_iri: str | None = None
    max_rows: int | None = None
    max_bytes: int | None = None
    generation: int = 0


def _serve(conn: Connection, path: str, limit_bytes: int | None) -> None:
    """The worker loop: a Job in, one payload out per job. The first message out says whether
    the worker's network is cut off."""
    from .embedded import EmbeddedStore

    conn.send(("isolated", isolate_network()))
    _cap_memory(limit_bytes)
    store: EmbeddedStore | None = None
    generation: int | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or job.generation != generation:
                if store is not None:
                    store.close()
                # that version's checkpoint: a consistent snapshot (decision 0004)
                store, generation = EmbeddedStore.snapshot(Path(path), job.generation), job.generation
            answer = store.answer(
                job.sparql,
                job.formats,
                job.dataset,
                own_dataset=job.own_dataset,
                base_iri=job.base_iri,
                max_rows=job.max_rows,
                max_bytes=job.max_bytes,
            )
        except CrosswalkError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
            continue
        except MemoryError:
            conn.send(("error", "ResultTooLarge", "the query needs more memory than one query may use; narrow it"))
            continue
        # a small header, then the bytes as they are (no pickle of the body): the server reads
        # the header on its event loop and knows the body's size before it reads the body
        conn.send(("ok", answer.media_type, len(answer.body)))
        conn.send_bytes(answer.body)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    spare: bool = False
    isolated: bool | None = None  # None until the worker's first message is read

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


# How long a query may run on the spare worker: long enough for any query a person would call
# cheap (a lookup, an ASK, a page of a SELECT answers in milliseconds), short enough that slow
# queries cannot hold the spare too.
SPARE_SECONDS = 1.0
STARTUP_SECONDS = 60.0  # a fresh worker imports its libraries before its first query (1-3 s here)
SLOW_REMEMBERED = 1024  # digests of queries that ran past a time limit, most recent kept


def _digest(sparql: str) -> bytes:
    return hashlib.blake2b(sparql.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# Answers up to this size are read from the worker's pipe on the event loop: they fit in a Linux
# pipe's 64 kB buffer, so the worker has written all of it without waiting for the reader. A
# larger one arrives in pieces as the reader makes room, and is read in a thread.
INLINE_BYTES = 60_000


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _readable(conn: Connection, seconds: float) -> bool:
    """Whether `conn` has something to read within `seconds`, awaited on the running loop (the
    loop's own poll, not `conn.poll`, which builds a selector on every call)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, _settle, future)
    try:
        await asyncio.wait_for(future, seconds)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop makes a watched descriptor non-blocking; Connection reads block


def _stopped() -> StoreUnavailable:
    return StoreUnavailable("the query stopped its worker (it may need more memory than one query may use); narrow it")


def _answer(head: tuple[Any, ...], body: bytes) -> Answer:
    """The worker's header and body as an Answer, or its error raised as the error it was."""
    if head[0] == "error":
        _, name, message = head
        raise getattr(errors, name, StoreError)(message)
    return Answer(head[1], body)


class QuerySandbox:
    """A pool of killable query workers over the embedded store at `path`.

    Queueing must not eat a query's time (issue 15): its time limit starts when a worker starts
    it. Waiting for a worker has its own bound: at most `max_waiting` queries wait, each at most
    `wait_seconds`; past either the caller gets EndpointBusy (503 with Retry-After), never a
    "ran past its time limit" for a query that never ran.

    So that slow queries cannot starve cheap ones, the pool keeps one spare worker beyond
    `workers`. A query goes to a regular worker when one is free; when all are busy it goes to
    the spare, under a time limit of SPARE_SECONDS: an ASK or a lookup answers at once while two
    slow queries run, and a slow query that lands on the spare is stopped after a second and told
    to come back (503, Retry-After), so it holds the spare no longer than that. Only when the
    spare is busy too does a query wait in the bounded queue.

    A query that ran past its time limit before (the pool remembers the digests of the last
    1,024) never goes to the spare: a client sending a runaway query in a loop kept the spare
    busy and cheap queries waited (see `_pick`).

    A killed worker is replaced by a standby process that has already imported its libraries
    (1-3 s here), and a new standby warms up in the background; a query takes a warm regular
    worker before one still importing: a cheap query that took a fresh replacement waited for
    its imports (3.3 s on its p99 while slow queries ran).
    """

    def __init__(
        self,
        path: Path,
        workers: int = 2,
        memory_mb: int | None = 2048,
        *,
        wait_seconds: float = 10.0,
        max_waiting: int = 32,
    ) -> None:
        self.path = path
        self.wait_seconds, self.max_waiting = wait_seconds, max_waiting
        self._limit = memory_mb * 1024 * 1024 if memory_mb else None
        self._free = threading.Condition()
        self._idle: list[_Worker] = [self._spawn() for _ in range(workers)]
        self._spares: list[_Worker] = [self._spawn(spare=True)]
        self._standby: _Worker | None = None
        self._slow: OrderedDict[bytes, None] = OrderedDict()  # digests of queries that ran out of time
        self._waiting = 0
        # coroutines waiting for a worker (`answer_async`), each woken through its own loop
        self._async_waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()
        self._closed = False
        self._warm_standby_later()

    def _spawn(self, spare: bool = False) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(child, str(self.path), self._limit), daemon=True)
        process.start()  # returns at once; the child imports while it waits for its first query
        child.close()
        return _Worker(process, parent, spare)

    def _warm_standby_later(self) -> None:
        threading.Thread(target=self._warm_standby, name="sparql-standby", daemon=True).start()

    def _warm_standby(self) -> None:
        worker = self._spawn()
        try:
            if worker.conn.poll(STARTUP_SECONDS):
                worker.isolated = worker.conn.recv()[1]
        except (EOFError, OSError):  # it died starting: the next replacement starts cold
            worker.kill()
            return
        with self._free:
            if self._standby is None and not self._closed:
                self._standby = worker
                return
        worker.kill()

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill `worker`; its successor is the warm standby (a fresh process if none is ready).
        The killed process is reaped in the background: on a loaded machine that took seconds,
        during which its successor was missing from the pool."""
        worker.process.kill()
        threading.Thread(target=worker.kill, name="sparql-reap", daemon=True).start()
        with self._free:
            successor, self._standby = self._standby, None
        self._warm_standby_later()
        successor = successor or self._spawn()
        successor.spare = worker.spare
        return successor

    def network_isolated(self, timeout: float = 60.0) -> bool:
        """Whether the workers run without a network: asks a fresh one (it says so first)."""
        worker = self._spawn()
        try:
            return worker.conn.poll(timeout) and worker.conn.recv() == ("isolated", True)
        finally:
            worker.kill()

    @staticmethod
    def _warm(worker: _Worker) -> bool:
        """Whether the worker has finished importing (its first message is sent or read)."""
        return worker.isolated is not None or worker.conn.poll(0)

    def _pick(self, known_slow: bool) -> _Worker | None:
        """A free worker, warm ones first. A query that ran past its time limit before (by the
        digest of its text) never gets the spare: it waits for a regular worker, still importing
        if need be, so that a client sending one runaway query in a loop cannot keep the spare
        from cheap queries. Any other query takes a warm regular worker, else the warm spare,
        else one still importing. Called with the lock held."""
        for worker in self._idle:
            if self._warm(worker):
                self._idle.remove(worker)
                return worker
        if not known_slow and self._spares and self._warm(self._spares[0]):
            return self._spares.pop()
        if self._idle:
            return self._idle.pop()
        return self._spares.pop() if self._spares and not known_slow else None

    def _pick_or_queue(self, retry_after: int, known_slow: bool) -> _Worker | None:
        """A free worker (`_pick`); else a place in the bounded queue (None: the caller waits
        and must leave it), or EndpointBusy when the queue is full. Called with the lock held."""
        worker = self._pick(known_slow)
        if worker is not None:
            return worker
        if self._waiting >= self.max_waiting:
            raise EndpointBusy(
                f"every query worker is busy and {self._waiting} queries are waiting; try again",
                retry_after=retry_after,
            )
        self._waiting += 1
        return None

    def _stayed_busy(self, retry_after: int) -> EndpointBusy:
        return EndpointBusy(
            f"every query worker stayed busy for {self.wait_seconds:g} s; try again", retry_after=retry_after
        )

    def _take(self, retry_after: int, known_slow: bool) -> _Worker:
        """A free worker (`_pick`), else wait for one in the bounded queue."""
        with self._free:
            worker = self._pick_or_queue(retry_after, known_slow)
            if worker is not None:
                return worker
            try:
                end = time.monotonic() + self.wait_seconds
                while (worker := self._pick(known_slow)) is None:
                    left = end - time.monotonic()
                    if left <= 0:
                        raise self._stayed_busy(retry_after)
                    self._free.wait(left)
                return worker
            finally:
                self._waiting -= 1

    def _remember_slow(self, sparql: str) -> None:
        with self._free:
            self._slow[_digest(sparql)] = None
            self._slow.move_to_end(_digest(sparql))
            while len(self._slow) > SLOW_REMEMBERED:
                self._slow.popitem(last=False)

    def _give_back(self, worker: _Worker) -> None:
        with self._free:
            if self._closed:
                worker.kill()
                return
            (self._spares if worker.spare else self._idle).append(worker)
            self._free.notify()
            self._wake_one()

    def _wake_one(self) -> None:
        """Wake the first coroutine waiting for a worker (called with the lock held)."""
        while self._async_waiters:
            loop, future = self._async_waiters.popleft()
            if not future.done():
                loop.call_soon_threadsafe(_settle, future)
                return

    def answer(self, job: Job, *, timeout: float) -> Answer:
        """Run `job` in a worker; past `timeout` seconds of running (not of waiting) the worker is
        killed and replaced, and the caller gets QueryTimeout (EndpointBusy on the spare)."""
        retry_after = max(1, math.ceil(timeout))
        with self._free:
            known_slow = _digest(job.sparql) in self._slow
        worker = self._take(retry_after, known_slow)
        try:
            if worker.isolated is None:  # a fresh worker's first message, before its first query's clock starts
                if not worker.conn.poll(STARTUP_SECONDS):
                    raise EOFError
                worker.isolated = worker.conn.recv()[1]
            limit = min(timeout, SPARE_SECONDS) if worker.spare else timeout
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                worker, error = self._overran(worker, job, limit, timeout, retry_after)
                raise error
            head = worker.conn.recv()
            body = worker.conn.recv_bytes() if head[0] == "ok" else b""
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise _stopped() from None
        finally:
            self._give_back(worker)
        return _answer(head, body)

    def _overran(
        self, worker: _Worker, job: Job, limit: float, timeout: float, retry_after: int
    ) -> tuple[_Worker, Exception]:
        """A query ran past its limit: its worker is replaced, the query remembered as slow, and
        the error to raise is the queue's (the spare's shorter limit) or the time limit's."""
        worker = self._replace(worker)
        self._remember_slow(job.sparql)
        if limit < timeout:
            return worker, EndpointBusy(
                "every query worker is busy with long queries, and this query took longer than the "
                f"{limit:g} s a query may run while they are; try again shortly",
                retry_after=retry_after,
            )
        return worker, QueryTimeout(
            f"the query ran past its time limit of {timeout:g} s and was stopped; narrow it or add a LIMIT"
        )

    async def answer_async(self, job: Job, *, timeout: float) -> Answer:
        """`answer` for the server's event loop, with the same limits, queue and spare, and no
        thread: the wait for a worker and for its answer are awaits on the loop (the pipe's file
        descriptor watched by the loop), and only a body over INLINE_BYTES is read in a thread.
        At 16 connections the two thread hops per query cost more of the server's one core than
        all the rest of `/sparql` (measured: docs/performance.md)."""
        retry_after = max(1, math.ceil(timeout))
        with self._free:
            known_slow = _digest(job.sparql) in self._slow
        worker = await self._take_async(retry_after, known_slow)
        handed_over = False
        try:
            if worker.isolated is None:
                if not await _readable(worker.conn, STARTUP_SECONDS):
                    raise EOFError
                worker.isolated = worker.conn.recv()[1]
            limit = min(timeout, SPARE_SECONDS) if worker.spare else timeout
            worker.conn.send(job)
            started = time.monotonic()
            try:
                ready = await _readable(worker.conn, limit)
            except asyncio.CancelledError:
                # the request was cancelled while its query runs: a thread waits for the answer
                # (within the same limit) and gives the worker back, or replaces it
                left = limit - (time.monotonic() - started)
                threading.Thread(target=self._drain, args=(worker, job, left), daemon=True).start()
                handed_over = True
                raise
            if not ready:
                worker, error = self._overran(worker, job, limit, timeout, retry_after)
                raise error
            head = worker.conn.recv()
            if head[0] != "ok":
                body = b""
            elif head[2] <= INLINE_BYTES:
                body = worker.conn.recv_bytes()
            else:  # a large answer arrives through the pipe in pieces: not on the event loop
                handed_over = True  # the thread gives the worker back when it has read the body
                body = await asyncio.to_thread(self._body_then_give_back, worker)
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise _stopped() from None
        finally:
            if not handed_over:
                self._give_back(worker)
        return _answer(head, body)

    def _body_then_give_back(self, worker: _Worker) -> bytes:
        try:
            return worker.conn.recv_bytes()
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise _stopped() from None
        finally:
            self._give_back(worker)

    def _drain(self, worker: _Worker, job: Job, seconds: float) -> None:
        """Read and drop the answer of a query whose caller went away, then give the worker back
        (or replace it, past the query's limit)."""
        try:
            if not worker.conn.poll(max(0.0, seconds)):
                worker = self._replace(worker)
                self._remember_slow(job.sparql)
            elif worker.conn.recv()[0] == "ok":
                worker.conn.recv_bytes()
        except (EOFError, OSError):
            worker = self._replace(worker)
        self._give_back(worker)

    async def _take_async(self, retry_after: int, known_slow: bool) -> _Worker:
        """`_take` for the event loop: a free worker, else wait on the loop in the same bounded
        queue (the same count of waiters as threads waiting in `_take`)."""
        loop = asyncio.get_running_loop()
        with self._free:
            worker = self._pick_or_queue(retry_after, known_slow)
            if worker is not None:
                return worker
        try:
            end = time.monotonic() + self.wait_seconds
            while True:
                future: asyncio.Future[None] = loop.create_future()
                with self._free:
                    worker = self._pick(known_slow)
                    if worker is not None:
                        return worker
                    self._async_waiters.append((loop, future))
                left = end - time.monotonic()
                if left <= 0:
                    raise self._stayed_busy(retry_after)
                with contextlib.suppress(TimeoutError):  # woken or not: look again, then the deadline decides
                    await asyncio.wait_for(future, left)
                with self._free:
                    worker = self._pick(known_slow)
                    if worker is not None:
                        return worker
                    if self._idle or self._spares:  # freed, but not for this query: the next waiter's
                        self._wake_one()
        finally:
            with self._free:
                self._waiting -= 1
                if self._async_waiters and (self._idle or self._spares):  # a wake this waiter did not use
                    self._wake_one()

    def close(self) -> None:
        with self._free:
            self._closed = True
            workers, self._idle, self._spares = self._idle + self._spares, [], []
            if self._standby is not None:
                workers.append(self._standby)
                self._standby = None
        for worker in workers:
            worker.kill()


__all__ = ["Job", "QuerySandbox", "isolate_network"]
