"""Reads derived from one version of an on-disk store, kept beside it for the next process.

A process that opens the store cold (the command line, a server starting) would otherwise read
the same rows through RocksDB again: at 50 jurisdictions x 1,000 provisions, the matrix's reads
take 2.5 s of it, a file of them loads in 0.06 s (issue 18, decision 0009).

    <store>.reads/<name>           one file per read, headed by the data version it was read from

Only the process that holds the store writable keeps or uses them (Oxigraph locks an on-disk
store to one writer; read-only openers may be reading while another process writes). Every
write removes the folder before it starts (`EmbeddedStore._ready_to_write`), so a file present
was read after the last write; the data version in its head (graph/version.py) guards against
writers other than Crosswalk. A file that is unreadable, of another format or of another
version is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

# marshal's format may change between Python versions: a file of another one is ignored
FORMAT = ("crosswalk-kept-read", 1, sys.version_info[:2])


def directory(store_path: Path) -> Path:
    """Beside the store, never inside it (the store's folder belongs to RocksDB)."""
    return store_path.parent / f"{store_path.name}.reads"


def forget(store_path: Path) -> None:
    """Remove every kept read (before a write). Raises OSError if they cannot be removed: a
    write must not leave a read of the older version behind."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(directory(store_path))


def load(store_path: Path, name: str, version: str, *, peek: bool = False) -> Any | None:
    """The kept read `name` of data version `version`, or None; with `peek`, True if it is
    there (its head read, not its rows)."""
    try:
        with (directory(store_path) / name).open("rb") as kept:
            if marshal.load(kept) != (*FORMAT, version):
                return None
            return True if peek else marshal.load(kept)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def save(store_path: Path, name: str, version: str, data: Any) -> None:
    """Keep `data` (of marshal's types) as read from data version `version`. Written whole to a
    temporary file and renamed, so a reader never sees half a file."""
    folder = directory(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            marshal.dump((*FORMAT, version), out)  # the head first: `peek` reads it alone
            marshal.dump(data, out)
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["directory", "forget", "load", "save"]
