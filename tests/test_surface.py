"""The HTTP surface under hostile and ordinary use: party caps, the analysis queue, the date-epoch
cache. Real HTTP against the real app: the `crosswalk serve` process on loopback (`server`), or
the app in process over httpx's ASGI transport where a test needs its own settings."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from crosswalk.api.app import create_app
from crosswalk.api.epochs import dated_facts, epoch
from crosswalk.api.routes_rest import _ANSWERS
from crosswalk.api.settings import Settings
from crosswalk.graph.store import Store
from crosswalk.queries.compare import compare, matrix
from crosswalk.queries.money import last_rate_day

T = TypeVar("T")


@asynccontextmanager
async def _client(corpus_dir: Path, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The real app over the on-disk corpus, served in process (lifespan included)."""
    app = create_app(Settings(store=str(corpus_dir), query_workers=0, ingest_if_empty=False, **settings))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://crosswalk.test", timeout=60) as client,
    ):
        yield client


def _run(corpus_dir: Path, body: Callable[[httpx.AsyncClient], Awaitable[T]], **settings: Any) -> T:
    async def main() -> T:
        async with _client(corpus_dir, **settings) as client:
            return await body(client)

    return asyncio.run(main())


def _problem(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert set(r.json()) == {"type", "title", "status", "detail"}
    return str(r.json()["detail"])


# ---------------------------------------------------------------- parties: deduplicated, capped
def test_a_thousand_copies_of_two_codes_are_two_parties(server: str) -> None:
    j = [("j", "EU"), ("j", "kr")] * 500
    m = httpx.get(f"{server}/matrix", params=[*j, ("as_of", "2027-02-01")], timeout=30)
    assert m.status_code == 200 and m.json()["jurisdictions"] == ["EU", "KR"] and len(m.json()["pairs"]) == 1
    b = httpx.get(f"{server}/baseline", params=[*j, ("as_of", "2027-02-01")], timeout=30)
    assert b.status_code == 200 and b.json()["jurisdictions"] == ["EU", "KR"]
    c = httpx.get(f"{server}/compare", params=[*j, ("as_of", "2027-02-01")], timeout=30)
    assert c.status_code == 200 and (c.json()["a"], c.json()["b"]) == ("EU", "KR")
    q = httpx.get(f"{server}/queries/baseline", params={"js": ",".join(["EU", "KR"] * 500)}, timeout=30)
    once = httpx.get(f"{server}/queries/baseline", params={"js": "EU,KR"}, timeout=30)
    assert q.status_code == 200 and q.json()["rows"] == once.json()["rows"]
    d = httpx.get(f"{server}/diff", params=[*j, ("from", "2026-07-01"), ("to", "2026-09-01")], timeout=30)
    assert d.status_code == 200
    r = httpx.get(f"{server}/reports/harmonization", params=[*j, ("format", "json")], timeout=60)
    assert r.status_code == 200 and [p["code"] for p in r.json()["parties"]] == ["EU", "KR"]


@pytest.mark.parametrize("path", ["/matrix", "/baseline", "/compare", "/reports/harmonization"])
def test_every_unknown_code_is_named_at_once(server: str, path: str) -> None:
    params = [("j", "EU"), ("j", "XX"), ("j", "YY"), ("j", "XX"), ("format", "json")]
    detail = _problem(httpx.get(f"{server}{path}", params=params), 400)
    assert "'XX'" in detail and "'YY'" in detail and detail.count("'XX'") == 1


def test_a_thousand_distinct_unknown_codes_are_refused_quickly(server: str) -> None:
    params = [("j", f"Z{i:03d}") for i in range(1000)]
    detail = _problem(httpx.get(f"{server}/matrix", params=params, timeout=10), 400)
    assert "'Z000'" in detail and "…" in detail  # named, but not all thousand of them
    detail = _problem(httpx.get(f"{server}/queries/baseline", params={"js": ",".join(p[1] for p in params)}), 400)
    assert "parameter js" in detail and "'Z000'" in detail


def test_more_parties_than_the_cap_are_refused_naming_it(corpus_dir: Path) -> None:
    async def body(client: httpx.AsyncClient) -> None:
        four = [("j", c) for c in ("EU", "KR", "CN", "US-CO")]
        assert "at most 3 different" in _problem(await client.get("/matrix", params=four), 400)
        assert "at most 3 different" in _problem(await client.get("/baseline", params=four), 400)
        js = {"js": "EU,KR,CN,US-CO"}
        assert "at most 3 different" in _problem(await client.get("/queries/baseline", params=js), 400)
        ok = await client.get("/matrix", params=[*four[:3], *four[:3]])
        assert ok.status_code == 200 and len(ok.json()["pairs"]) == 3

    _run(corpus_dir, body, max_parties=3)


def test_the_cli_deduplicates_parties(corpus_dir: Path, cli: Callable[..., Any]) -> None:
    out = cli("matrix", "EU", "eu", "KR", "EU", "--format", "json", "--store", str(corpus_dir))
    assert out.code == 0 and json.loads(out.out)["jurisdictions"] == ["EU", "KR"]
    bad = cli("baseline", "EU", "XX", "YY", "--store", str(corpus_dir))
    assert bad.code != 0 and "'XX'" in bad.err and "'YY'" in bad.err


# ---------------------------------------------------------------- the analysis queue
def test_analyses_beyond_the_queue_get_503_with_retry_after(corpus_dir: Path) -> None:
    codes = ["EU", "KR", "CN", "US-CO", "BR", "CoE", "JP", "GB"]

    async def body(client: httpx.AsyncClient) -> list[httpx.Response]:
        # distinct heavy analyses sent at once: a matrix read from a warmed version can finish
        # before the next request arrives, so reports (about a second each) are mixed in
        asks = [
            client.get("/matrix", params=[*[("j", c) for c in codes[i:]], ("as_of", "2027-02-01")]) for i in range(5)
        ] + [
            client.get(
                "/reports/harmonization",
                params=[("j", "EU"), ("j", codes[i + 1]), ("as_of", "2027-02-01"), ("format", "json")],
            )
            for i in range(5)
        ]
        return list(await asyncio.gather(*asks))

    answers = _run(corpus_dir, body, analysis_slots=1, analysis_queue=1)
    busy = [r for r in answers if r.status_code == 503]
    assert busy and any(r.status_code == 200 for r in answers)
    for r in busy:
        assert "busy" in _problem(r, 503) and int(r.headers["retry-after"]) >= 1


def test_identical_requests_in_flight_share_one_analysis(corpus_dir: Path) -> None:
    # one slot and no room to wait: without sharing, all but one of these would be 503
    params = [("j", "EU"), ("j", "KR"), ("as_of", "2026-10-15"), ("format", "json")]

    async def body(client: httpx.AsyncClient) -> list[httpx.Response]:
        return list(await asyncio.gather(*(client.get("/reports/harmonization", params=params) for _ in range(6))))

    answers = _run(corpus_dir, body, analysis_slots=1, analysis_queue=0)
    assert [r.status_code for r in answers] == [200] * 6
    assert len({r.content for r in answers}) == 1


def test_an_analysis_past_its_time_limit_is_503_and_the_server_still_answers(corpus_dir: Path) -> None:
    async def body(client: httpx.AsyncClient) -> tuple[httpx.Response, httpx.Response]:
        three = [("j", c) for c in ("EU", "KR", "CN")]
        late = await client.get("/reports/harmonization", params=[*three, ("format", "json")])
        return late, await client.get("/jurisdictions")

    late, after = _run(corpus_dir, body, analysis_timeout=0.05)
    assert "time limit of 0.05 s" in _problem(late, 503)
    assert after.status_code == 200


# ---------------------------------------------------------------- the date-epoch cache
def _quiet_stretch(store: Store) -> tuple[date, date, date]:
    """Two days with no dated fact between them, after the last rate day, and the next fact."""
    facts = [d for d in dated_facts(store) if d > last_rate_day()]
    start, end = next((a, b) for a, b in itertools.pairwise(facts) if (b - a).days >= 4)
    return start + timedelta(days=1), end - timedelta(days=1), end


def test_dates_of_one_epoch_share_a_cached_answer_that_equals_a_fresh_one(corpus_dir: Path, corpus: Store) -> None:
    d1, d2, event = _quiet_stretch(corpus)
    facts = dated_facts(corpus)
    assert epoch(facts, d1) == epoch(facts, d2) != epoch(facts, event)
    three = [("j", "EU"), ("j", "US-CO"), ("j", "KR")]

    async def body(client: httpx.AsyncClient) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for day in (d1, d2):
            out[f"compare {day}"] = await client.get("/compare", params=[*three[:2], ("as_of", day.isoformat())])
            out[f"matrix {day}"] = await client.get("/matrix", params=[*three, ("as_of", day.isoformat())])
            out[f"entries after {day}"] = len(_ANSWERS)
        await client.get("/compare", params=[*three[:2], ("as_of", event.isoformat())])
        out["entries after the event"] = len(_ANSWERS)
        return out

    seen = _run(corpus_dir, body)
    assert seen[f"entries after {d2}"] == seen[f"entries after {d1}"]  # d2 was served from d1's entries
    assert seen["entries after the event"] == seen[f"entries after {d2}"] + 1  # a dated fact is an epoch of its own
    fresh = json.loads(json.dumps(compare(corpus, ["EU", "US-CO"], d2).to_dict(), ensure_ascii=False))
    assert seen[f"compare {d2}"].json() == fresh and fresh["as_of"] == d2.isoformat()
    fresh_matrix = json.loads(json.dumps(matrix(corpus, ["EU", "US-CO", "KR"], d2).to_dict()))
    assert seen[f"matrix {d2}"].json() == fresh_matrix


# ---------------------------------------------------------------- the Markdown report
def _tokens(tokens: list[Any]) -> list[Any]:
    out = []
    for t in tokens:
        out.append(t)
        out += _tokens(t.children or [])
    return out


def test_markdown_report_keeps_rule_file_text_as_text(corpus: Store) -> None:
    from markdown_it import MarkdownIt

    from crosswalk.api.report_markdown import render_markdown
    from crosswalk.queries.report import build_report

    report = build_report(corpus, ["EU", "US-CO"], date(2026, 11, 24))
    clean = render_markdown(report)
    provs = report["provisions"]
    iri = next(i for i in provs if f"(<{i}>)" in clean and f"(<{i}>) {provs[i]['summary']}" in clean)
    hostile = json.loads(json.dumps(report))
    p = hostile["provisions"][iri]
    p["citation"] = "Art. [5] | (x) \\ *y*"
    p["summary"] = "<script>alert(1)</script> a\n\n# not a heading\n<div onclick=x>block</div> &amp; `code`"
    instrument = hostile["instruments"][0]
    instrument["short_title"] = "<img src=x onerror=alert(1)> [t](javascript:alert(1))"
    instrument["source"] = "javascript:alert(1)"
    text = render_markdown(hostile)
    md = MarkdownIt("commonmark").enable("table")
    tokens = _tokens(md.parse(text))
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]  # no raw HTML survives
    assert len([t for t in tokens if t.type == "heading_open"]) == len(
        [t for t in _tokens(md.parse(clean)) if t.type == "heading_open"]
    )  # and no text became a heading
    html = md.render(text)
    assert "<script" not in html and "<img" not in html and "<div" not in html and "javascript:" not in html.split('"')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;amp;" in html
    links = [t for t in tokens if t.type == "link_open"]
    assert all(t.attrs["href"].startswith(("http://", "https://")) for t in links)
    # the citation's links, in tables too, still lead to the provision with the label as written
    cited = [i for i, t in enumerate(tokens) if t.type == "link_open" and t.attrs["href"] == iri]
    assert cited
    for i in cited:
        label = ""
        for t in tokens[i + 1 :]:
            if t.type == "link_close":
                break
            label += t.content
        assert label == "Art. [5] | (x) \\ *y*"


@pytest.mark.parametrize(
    "bad",
    [
        {"max_parties": 1},
        {"analysis_slots": 0},
        {"analysis_queue": -1},
        {"analysis_timeout": 0},
        {"public_url": "ftp://x"},
    ],
)
def test_nonsense_surface_settings_are_refused_at_start(bad: dict[str, Any]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=next(iter(bad))):
        Settings(**bad)
