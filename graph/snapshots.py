"""Consistent snapshots of an on-disk embedded store, one per store version, for other processes.

Oxigraph lets one process write an on-disk store. Another process may open it read-only, but
pyoxigraph documents that as undefined behaviour while the writer writes, and so it proved: the
query workers saw "Corruption" errors and half-written states (issue 15). pyoxigraph 0.5 has
no secondary-instance mode. What it has is `Store.backup(dir)`, a RocksDB checkpoint: one
consistent state of the store, made of hard links to its immutable table files (about 20 ms on
the corpus). So the writer publishes one checkpoint per store version, and readers in other
processes open the one they were asked for, read-only:

    <store>.snapshots/<generation>/        a checkpoint nobody ever writes to
    <store>.snapshots/<generation>/.readers  a reader holds a shared flock on it while it reads

`EmbeddedStore.generation` counts the writes; after each one the writer publishes the new
version's checkpoint *before* it moves `generation`, so a reader told "generation g" finds it.
An old checkpoint is deleted once the writer can lock its `.readers` file exclusively, that is
when no reader holds it; the newest is never deleted. A reader asked for a checkpoint that is
already gone opens the newest one instead: still one consistent state, and a later one.

>>> directory(Path("/var/lib/crosswalk/store"))
PosixPath('/var/lib/crosswalk/store.snapshots')
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import uuid
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)
READERS = ".readers"


def directory(store_path: Path) -> Path:
    """Where the checkpoints of the store at `store_path` live: beside it, never inside it
    (the store's folder belongs to RocksDB)."""
    return store_path.parent / f"{store_path.name}.snapshots"


def reset(store_path: Path) -> None:
    """Forget every checkpoint: the writer numbers versions from 0 each time it opens the store."""
    shutil.rmtree(directory(store_path), ignore_errors=True)
    directory(store_path).mkdir(parents=True)


def publish(store: ox.Store, store_path: Path, generation: int) -> None:
    """Checkpoint `store` as version `generation`, then delete the older checkpoints no reader holds."""
    root = directory(store_path)
    staging = root / f".{generation}.{uuid.uuid4().hex}.tmp"
    try:
        store.backup(str(staging))  # creates `staging`; fails if it exists
        (staging / READERS).touch()
        staging.rename(root / str(generation))  # readers only ever see whole checkpoints
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in _versions(root):
        if old < generation:
            _delete_unless_read(root / str(old))


def _versions(root: Path) -> list[int]:
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    return sorted(int(n) for n in names if n.isdigit())


def _delete_unless_read(checkpoint: Path) -> None:
    try:
        fd = os.open(checkpoint / READERS, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)  # a reader holds it; try again after the next write
        return
    try:
        # Renamed while locked: a reader that locks it after us finds its name gone and moves on.
        trash = checkpoint.parent / f".{checkpoint.name}.{uuid.uuid4().hex}.old"
        checkpoint.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    finally:
        os.close(fd)


class Lease:
    """A reader's hold on one checkpoint (a shared flock): while it lasts, the checkpoint stays."""

    def __init__(self, fd: int, checkpoint: Path) -> None:
        self.fd, self.checkpoint = fd, checkpoint

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def lease(store_path: Path, generation: int) -> Lease | None:
    """Hold the checkpoint of version `generation`, or the newest if that one is gone; None when
    the store publishes no checkpoints (no `<store>.snapshots` folder). OSError when it does but
    none can be held (never the live store then: a writer may be writing it)."""
    root = directory(store_path)
    if not root.is_dir():
        return None
    wanted: int | None = generation
    for _ in range(100):  # each retry follows a write that deleted what we were about to read
        versions = _versions(root)
        if not versions:
            break
        version = wanted if wanted in versions else versions[-1]
        checkpoint = root / str(version)
        try:
            fd = os.open(checkpoint / READERS, os.O_RDONLY)
        except FileNotFoundError:
            wanted = None
            continue
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while the writer renames it away
        if (checkpoint / READERS).exists():
            return Lease(fd, checkpoint)
        os.close(fd)
        wanted = None
    raise OSError(f"no checkpoint of the store at {store_path} could be held")
