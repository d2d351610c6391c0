"""End to end in a real headless Chromium: open the query page, run an example, see rows."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The flags this machine's closed network needs (no background look-ups).
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def test_example_query_shows_rows(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(shipped_server.url + "/")
    assert int(browser.find_element(By.ID, "count-triples").text.replace(",", "")) > 0
    wait = WebDriverWait(browser, 20)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    example = browser.find_elements(By.CSS_SELECTOR, "button.example")[0]
    # The examples are the competency questions, shipped with the package.
    assert example.text.startswith("1. How many people had fled to Armenia")
    example.click()
    rows = wait.until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr td") or False
    )
    assert rows
    assert "No data available" not in rows[0].text
    # The download links carry the query that ran.
    csv_link = browser.find_element(By.CSS_SELECTOR, "a.download[data-format=csv]")
    assert "query=" in csv_link.get_attribute("href")
    assert browser.get_log("browser") == [] or all(
        "favicon" in entry["message"] for entry in browser.get_log("browser")
    )
