"""Store URLs and store folders: a typo is refused in one line, and a store nobody may write to
can still be read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswalk.graph.embedded import EmbeddedStore
from crosswalk.graph.errors import InputError, StoreUnavailable
from crosswalk.graph.store import open_store


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://x", "unknown scheme ftp:"),
        ("file:///tmp/x", "unknown scheme file:"),
        ("sparql+http://x", "unknown scheme sparql+http:"),
        ("memory:x", "memory: takes nothing after it"),
        ("oxigraph:", "oxigraph: needs a directory, as in oxigraph:DIR"),
    ],
)
def test_an_unknown_store_url_is_refused_and_makes_no_folder(
    url: str, words: str, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=re.escape(words)):
        open_store(url)
    for command in (["stats", "--store", url], ["serve", "--store", url]):
        result = cli(*command)
        assert result.code == 2
        assert result.err.startswith(f"error: cannot open store {url!r}: {words}; ")
        assert len(result.err.strip().splitlines()) == 1
        assert "use a directory, oxigraph:DIR, memory: or http(s)://HOST/sparql" in result.err
    assert os.listdir(tmp_path) == []  # no folder named `ftp:` or anything else


@pytest.fixture
def read_only_store(corpus_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the corpus store in a folder this process cannot write to: a read-only bind
    mount as root (root ignores file modes), a folder without write permission otherwise."""
    store = tmp_path / "store"
    shutil.copytree(corpus_dir, store)
    if os.geteuid() != 0:
        os.chmod(store, 0o555)
        yield store
        os.chmod(store, 0o755)
        return
    view = tmp_path / "view"
    view.mkdir()
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(store), str(view)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount read-only here: {done.stderr.decode().strip()}")
    try:
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_store_nobody_may_write_is_read_and_refuses_writes_clearly(read_only_store: Path, excerpt: Path, cli) -> None:
    assert not os.access(read_only_store, os.W_OK)
    result = cli("query", "provisions", "-p", "j=US-CO", "--format", "json", "--store", str(read_only_store))
    assert result.code == 0, result.err
    assert "US-CO" in result.out
    store = EmbeddedStore(read_only_store)
    try:
        with pytest.raises(StoreUnavailable, match=r"read-only .*writes are unavailable, reading works"):
            store.drop_graph(store.graphs()[0])
    finally:
        store.close()
    result = cli("ingest", str(excerpt), "--store", str(read_only_store))
    assert result.code == 1
    assert result.err.strip().startswith(f"error: the embedded store at {read_only_store} is read-only")
    assert len(result.err.strip().splitlines()) == 1


def test_serve_on_a_store_another_process_holds_is_one_line(tmp_path: Path, cli) -> None:
    holder = EmbeddedStore(tmp_path / "store")  # as a running `crosswalk serve` would
    try:
        result = cli("serve", "--store", str(tmp_path / "store"), "--port", "1")
    finally:
        holder.close()
    assert result.code == 1
    assert result.err.startswith(f"error: the embedded store at {tmp_path / 'store'} is in use by another process")
    assert len(result.err.strip().splitlines()) == 1
