"""The negotiator's workbench on the start page, clicked through in a real Chromium: Playwright
drives Debian's `chromium` (`.ci/run` installs it; Playwright's own browser download is never
used), against the real `crosswalk serve` process. Parties and a date, then the heat map, then a
cell, then a finding and its provisions, then the date control and the changes between two dates.

What the page shows is checked against what the JSON API says (the page decides nothing), and
against a reading of the law: on 1 July 2026 Colorado's AI-interaction notice (C.R.S. 6-1-1704,
from 30 June 2026) applies and the EU's (AI Act Art. 50(1), from 2 August 2026) does not yet."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency (pyproject.toml)")

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's)")

DAY = "2026-12-03"
COMPARED = {"equivalent", "aligned", "divergent", "conflict", "tension", "gap"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        assert CHROMIUM is not None
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # the page runs under the server's Content-Security-Policy: any violation is a failure
    pg.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert not errors, errors  # no script error on any page a test opened


def _compare(server: str, a: str, b: str, as_of: str) -> dict[str, Any]:
    response = httpx.get(f"{server}/compare", params=[("j", a), ("j", b), ("as_of", as_of)], timeout=60)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _agreement(c: dict[str, Any]) -> tuple[str, int, int]:
    """The cell's number, worked here from the comparison by the rule docs/workbench.md states:
    over concepts both parties' curated law lets us compare, equivalent or aligned 1, divergent 1/2."""
    concepts = {k: {f["concept"] for f in c["findings"] if f["kind"] == k and not f["institutional"]} for k in COMPARED}
    compared = set().union(*concepts.values())
    nc = {f["concept"] for f in c["findings"] if f["kind"] == "not-curated" and not f["institutional"]} - compared
    if not compared:
        return "n/a", 0, len(nc)
    agreeing = len(concepts["equivalent"]) + len(concepts["aligned"])
    score = (agreeing + 0.5 * len(concepts["divergent"])) / len(compared)
    return f"{round(score * 100)}%", len(compared), len(nc)


def _cell(pg: Any, a: str, b: str) -> Any:
    return pg.locator(f'td[data-a="{a}"][data-b="{b}"]')


def _until(pg: Any, condition: str, seconds: float = 30) -> None:
    """Wait until a JavaScript condition holds. Playwright's wait_for_function evaluates its
    predicate with eval inside the page, which the page's CSP (no 'unsafe-eval') forbids;
    `evaluate` goes through the DevTools protocol, which the CSP does not govern."""
    deadline = time.monotonic() + seconds
    while not pg.evaluate(condition):
        assert time.monotonic() < deadline, f"not within {seconds:g} s: {condition}"
        time.sleep(0.05)


def _pick(pg: Any, server: str, codes: list[str], as_of: str) -> None:
    pg.goto(f"{server}/")
    for code in codes:
        pg.check(f'input[name="j"][value="{code}"]')
    pg.fill("#as_of", as_of)
    pg.click("text=Compare")
    _until(pg, "document.querySelectorAll('td.cell').length > 0 && !document.querySelector('td.pending')")


def test_parties_and_date_draw_a_heat_map_with_its_counts(server: str, page: Any) -> None:
    _pick(page, server, ["EU", "KR", "US-CO", "ZA", "AU"], DAY)
    assert re.search(r"j=EU&j=KR&j=US-CO&j=ZA&j=AU&as_of=2026-12-03$", page.url)  # the view is a permalink
    assert page.locator("td.cell").count() == 20 and page.locator("td.self").count() == 5
    # each cell's number and counts are the comparison's, and the colour comes from that number
    text = _cell(page, "EU", "US-CO").inner_text()
    shown, compared, not_curated = _agreement(_compare(server, "EU", "US-CO", DAY))
    lines = text.splitlines()
    assert lines[0] == shown and lines[1] == f"{compared} compared"
    assert lines[-1].startswith(f"{not_curated} not curated")
    assert _cell(page, "US-CO", "EU").inner_text() == text  # the matrix is symmetric
    # South Africa (privacy law only) and Australia share nothing curated: grey hatching, never red;
    # so does South Africa beside Korea, where only South Africa's general law meets Korea's AI law
    za_kr = _cell(page, "ZA", "KR")
    assert "nodata" in za_kr.get_attribute("class") and "gen. law" in za_kr.inner_text()
    za_au = _cell(page, "ZA", "AU")
    assert _agreement(_compare(server, "ZA", "AU", DAY))[:2] == ("n/a", 0)
    assert "nodata" in za_au.get_attribute("class") and za_au.inner_text().startswith("n/a")
    assert "repeating-linear-gradient" in za_au.evaluate("e => getComputedStyle(e).backgroundImage")
    red = "rgb(178, 24, 43)"
    assert za_au.evaluate("e => getComputedStyle(e).backgroundColor") != red
    legend = page.locator("#legend").inner_text()
    assert "Agreement where both are curated" in legend and "not curated" in legend and "80\u2013100%" in legend
    # nothing clipped: every cell's content fits inside it
    overflow = page.evaluate(
        "[...document.querySelectorAll('td.cell button')].filter(b => b.scrollWidth > b.clientWidth + 1"
        " || b.scrollHeight > b.clientHeight + 1).length"
    )
    assert overflow == 0


def test_a_cell_opens_the_pair_and_a_finding_its_provisions(server: str, page: Any) -> None:
    _pick(page, server, ["EU", "KR", "US-CO"], DAY)
    _cell(page, "EU", "US-CO").locator("button").click()
    page.wait_for_selector("#pair details.finding")
    assert "European Union (EU) and Colorado (US-CO) at 2026-12-03" in page.inner_text("#pair-title")
    assert "pair=EU%2CUS-CO" in page.url
    api = _compare(server, "EU", "US-CO", DAY)
    finding = next(f for f in api["findings"] if f["concept"] == "AIInteractionDisclosure")
    shown = page.locator('details.finding[data-concept="AIInteractionDisclosure"]')
    assert shown.count() == 1 and f"divergent: {finding['stricter']} stricter" in shown.inner_text()
    assert page.locator("#pair details.finding").count() == len(api["findings"])
    institutional = page.locator("#kind-institutional details.finding")
    assert institutional.count() == sum(f["institutional"] for f in api["findings"]) > 0
    shown.locator("summary").click()
    body = shown.locator(".body")
    body.wait_for()
    text = body.inner_text()
    eu, co = finding["a"][0], finding["b"][0]
    assert "EU AI Act Art. 50(1)" in text and "Colorado AI Act C.R.S. 6-1-1704" in text
    assert eu["summary"] in text and co["summary"] in text
    assert "applies from 2026-08-02" in text and "applies from 2026-06-30" in text
    # Colorado's enforcement stay shows where its provision is, with its source
    assert "enforcement stay" in text and "X.AI LLC v. Weiser" in text
    links = body.locator("a").evaluate_all("ns => ns.map(n => n.href)")
    assert eu["source"] in links and co["source"] in links and co["caveats"][0]["source"] in links
    assert all(reason in text for reason in finding["reasons"])


def test_the_date_control_replays_the_matrix_and_the_pair(server: str, page: Any) -> None:
    page.goto(f"{server}/?j=EU&j=US-CO&as_of={DAY}&pair=EU,US-CO")  # a permalink opens the pair
    page.wait_for_selector('#pair details.finding[data-concept="AIInteractionDisclosure"]')
    before = _cell(page, "EU", "US-CO").inner_text()
    page.fill("#as_of", "2026-07-01")
    page.dispatch_event("#as_of", "change")
    _until(page, "document.querySelector('#pair-title')?.textContent.includes('2026-07-01')")
    _until(page, "!document.querySelector('td.pending')")
    assert "as_of=2026-07-01" in page.url
    assert _cell(page, "EU", "US-CO").inner_text() != before
    # on 1 July 2026 the EU's notice is adopted but applies only from 2 August 2026: a gap on the
    # EU's side, with Art. 50(1) shown as pending, while Colorado's applies
    gap = page.locator('details.finding.gap[data-concept="AIInteractionDisclosure"]')
    assert "gap: nothing in force in EU" in gap.inner_text()
    gap.locator("summary").click()
    text = gap.locator(".body").inner_text()
    assert "Colorado AI Act C.R.S. 6-1-1704" in text and "EU: Adopted, applies later" in text
    assert "EU AI Act Art. 50(1)" in text and "applies from 2026-08-02" in text


def test_changes_between_two_dates_with_the_events_behind_them(server: str, page: Any) -> None:
    page.goto(f"{server}/?j=EU&j=US-CO&as_of=2026-07-01&pair=EU,US-CO")
    page.wait_for_selector("form.diff")
    page.fill("#until", "2026-09-01")
    page.click("text=Show changes")
    page.wait_for_selector("table.changes")
    api = httpx.get(
        f"{server}/diff", params=[("j", "EU"), ("j", "US-CO"), ("from", "2026-07-01"), ("to", "2026-09-01")]
    ).json()
    rows = page.locator("table.changes tbody tr")
    assert rows.count() == len(api["changes"]) > 0
    row = rows.filter(has_text="Disclosure of interaction with AI")
    # on 2026-09-01 Colorado's disclosure duty (C.R.S. 6-1-1704) is under the X.AI LLC v. Weiser
    # enforcement stay: stricter on paper only, and the row says so (the stricter audit, should-fix 1)
    text = row.inner_text()
    assert "gap (none in force in EU)" in text and "divergent (US-CO stricter, on paper only)" in text
    assert "EU: EU AI Act Art. 50(1) applies from 2026-08-02" in row.inner_text()


def test_diff_over_http_refuses_bad_input(server: str) -> None:
    one = httpx.get(f"{server}/diff", params=[("j", "EU"), ("from", "2026-07-01"), ("to", "2026-09-01")])
    assert one.status_code == 400 and "exactly two" in one.json()["detail"]
    backwards = httpx.get(
        f"{server}/diff", params=[("j", "EU"), ("j", "KR"), ("from", "2026-09-01"), ("to", "2026-07-01")]
    )
    assert backwards.status_code == 400 and "must be after" in backwards.json()["detail"]


def test_the_editor_and_the_pages_run_under_the_content_security_policy(server: str, page: Any) -> None:
    # the fixture fails the test on any CSP violation or script error on these pages
    page.goto(f"{server}/sparql?query=ASK%20%7B%7D")
    page.wait_for_selector(".CodeMirror")
    assert "ASK {}" in page.inner_text(".CodeMirror")
    assert page.evaluate("document.querySelectorAll('#examples option').length") > 5  # editor.js ran
    for path in ("/reports/harmonization?j=EU&j=KR&as_of=2026-11-24", "/ontology", "/id/eu-ai-act/art50-1"):
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 200
        assert "content-security-policy" in response.headers
