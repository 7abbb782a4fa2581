"""Screenshots of the workbench for docs/screenshots/ (`make screenshots`): starts `crosswalk serve`
on loopback over the given store (ingesting the corpus if it is empty), opens the start page in
Debian's Chromium through Playwright, and saves small PNGs of what a negotiator sees: the heat map,
then a pair with one finding opened. Run again after any change to the pages."""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DAY = "2026-12-03"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True, help="store directory (the corpus is ingested if it is empty)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium on this machine: apt-get install chromium")
    port = _port()
    base = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("crosswalk")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--store", args.store])
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/queries", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(f"{base}/?j=EU&j=KR&j=US-CO&j=CN&j=GB&j=ZA&as_of={DAY}")
            drawn = "document.querySelectorAll('td.cell').length && !document.querySelector('td.pending')"
            page.wait_for_function(drawn)
            page.locator("#matrix").screenshot(path=OUT / "workbench-matrix.png")
            page.locator('td[data-a="EU"][data-b="US-CO"] button').click()
            finding = page.locator('details.finding[data-concept="AIInteractionDisclosure"]')
            finding.locator("summary").click()
            finding.locator(".body").wait_for()
            finding.scroll_into_view_if_needed()
            page.screenshot(path=OUT / "workbench-finding.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for png in sorted(OUT.glob("workbench-*.png")):
        print(f"{png.relative_to(OUT.parent.parent)}: {png.stat().st_size // 1024} kB")


if __name__ == "__main__":
    main()
