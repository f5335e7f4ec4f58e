"""The screenshot of the web page in the README (docs/serve.png), taken as a new user
would get there: `peacezones serve`, hot pursuit on, a comparison against the historical
policy with 10 replicates. Needs Chromium (Debian's `chromium`) and the dev extras.

    .venv/bin/python docs/serve_screenshot.py [RESULTS_DIR]
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from peacezones.web.app import create_app

OUT = Path(__file__).parent / "serve.png"


def main() -> None:
    results = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "serve"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(results, workers=2), port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1150})
        page.goto(f"http://127.0.0.1:{port}/")
        done = (
            "document.body.dataset.job === 'done' && "
            "document.body.dataset.shown === document.body.dataset.report"
        )
        page.wait_for_function(done, timeout=600_000)
        page.check("#hot-pursuit")
        page.fill("#replicates", "10")
        page.click("#compare")
        page.wait_for_function("document.body.dataset.job !== 'done'")
        page.wait_for_function(done, timeout=1_800_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT))
        status = page.locator("#status").inner_text()
        rows = page.locator("#comparison-table tbody tr").all_inner_texts()
        browser.close()
    server.should_exit = True
    print(status, f"({time.perf_counter() - started:.0f} s)")
    print("\n".join(r.replace("\t", " | ") for r in rows))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
