"""Take the screenshots the README and docs/ show, from the real pages.

Starts ``nkgraph serve`` on the shipped graph on a free port, opens each page in Debian's
headless Chromium (selenium, as the browser tests do) and writes one PNG per shot into
``docs/images/`` (or ``--out DIR``). Run it after changing a page:

    python scripts/screenshots.py

Needs the package installed with its test extras (selenium) and Debian's ``chromium`` and
``chromium-driver``.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "docs" / "images"
WIDTH, HEIGHT = 1100, 760


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file name, the page, and what to do before taking it."""

    name: str
    path: str
    prepare: Callable[[Any], None] | None = None


def _run_example(driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror") or False
    )
    driver.find_element(By.ID, "example-03-people-and-posts").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr td") or False
    )
    driver.execute_script("document.getElementById('editor').scrollIntoView()")


SHOTS = (
    Shot("reading-view.png", "/article"),
    Shot("claims-page.png", "/claims"),
    Shot("person-page.png", "/page/nikol-pashinyan"),
    Shot("sentence-page.png", "/page/karabakh-exodus-2023/s5"),
    Shot("home-page.png", "/"),
    Shot("query-page.png", "/query", _run_example),
    Shot(
        "sparql-results.png",
        "/sparql?format=html&query=PREFIX+nk%3A+%3Chttps%3A%2F%2Fw3id.org%2Fnkgraph%2Fontology%23%3E"
        "+SELECT+%3Ffigure+%3Fvalue+WHERE+%7B+%3Ffigure+nk%3AstatedValue+%3Fvalue+%7D",
    ),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving() -> Iterator[str]:
    """``nkgraph serve`` on the shipped graph, until the block ends."""
    port = _free_port()
    command = [sys.executable, "-m", "nkgraph", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 (our own command)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=1):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nkgraph serve did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium, driven by selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver_path is None:
        raise RuntimeError("needs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
    options.add_argument("--hide-scrollbars")
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
        try:
            yield driver
        finally:
            driver.quit()


def take(out: Path) -> list[Path]:
    """Take every shot into ``out``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serving() as url, chromium() as driver:
        for shot in SHOTS:
            driver.get(url + shot.path)
            if shot.prepare is not None:
                shot.prepare(driver)
            target = out / shot.name
            driver.save_screenshot(str(target))
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNGs ({OUT})")
    for path in take(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
