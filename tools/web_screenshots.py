"""Screenshots of the main web pages for the README (docs/screenshots/), from the demo store.

    make demo && .venv/bin/python tools/web_screenshots.py [--db out/demo/marsad.db]

Serves the store on a free loopback port and photographs the pages with Debian's Chromium
(Playwright, /usr/bin/chromium) at a small viewport, so the PNGs stay small.
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1100, "height": 720}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "demo" / "marsad.db")
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        article = conn.execute("SELECT article_a FROM reuse_passages ORDER BY id").fetchone()[0]
        family = conn.execute("SELECT id FROM reuse_families ORDER BY size DESC").fetchone()[0]
        narrative = conn.execute(
            "SELECT id FROM narratives ORDER BY json_array_length(articles) DESC"
        ).fetchone()[0]
    pages = {
        "overview": "/",
        "search": "/search?q=%D8%A7%D9%84%D8%AD%D8%B3%D9%83%D8%A9",  # الحسكة
        "article": f"/article/{article}",
        "isnad": f"/isnad/{family}",
        "narrative": f"/narrative/{narrative}",
        "outlet": "/outlet/%D9%88%D9%83%D8%A7%D9%84%D8%A9%20%D8%A7%D9%84%D9%81%D8%B1%D8%A7%D8%AA"
        "%20%D9%84%D9%84%D8%A3%D9%86%D8%A8%D8%A7%D8%A1",  # وكالة الفرات للأنباء
    }
    cmd = [sys.executable, "-m", "marsad", "serve", "--db", str(args.db), "--port", str(port)]
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/static/marsad.css").read()
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport=VIEWPORT)
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
