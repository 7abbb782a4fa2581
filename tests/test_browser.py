"""The pages people use, in a real headless Chromium against the running server: the SPARQL
editor opened from a permalink, and the comparison page. Chromium is Debian's package, which
`.ci/run` installs; where it is missing these tests are skipped, saying so."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's)")


def _dom(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran (a fresh profile: YASGUI keeps tabs in localStorage)."""
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",  # this machine has no network beyond loopback
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=8000",
        "--dump-dom",
    ]
    done = subprocess.run([CHROMIUM, *flags, url], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_permalink_opens_the_query_in_the_editor(server: str, tmp_path: Path) -> None:
    query = "SELECT ?c WHERE { ?p <https://w3id.org/crosswalk/ontology#citation> ?c } LIMIT 2"
    dom = _dom(f"{server}/sparql?{urlencode({'query': query, 'endpoint': '/sparql'})}", tmp_path)
    lines = re.findall(r'<pre class=" CodeMirror-line " role="presentation">(.*?)</pre>', dom, re.S)
    editor_text = unescape(" ".join(re.sub(r"<[^>]+>", "", line) for line in lines))
    assert query in editor_text  # YASGUI ran, from our own static files, and read the URL


def test_comparison_page_in_a_browser(server: str, tmp_path: Path) -> None:
    dom = _dom(f"{server}/reports/harmonization?j=EU&j=KR&as_of=2026-11-24", tmp_path)
    assert "Harmonization report: European Union, Republic of Korea" in dom
    boxes = dict(re.findall(r'<input type="checkbox" name="j" value="([^"]+)"( checked="[^"]*")?', dom))
    assert boxes["EU"] and boxes["KR"] and not boxes["CN"]  # the form shows what was asked
    assert dom.count("<svg") >= 2  # the heat map and the index matrix
