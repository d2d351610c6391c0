"""End to end in a real headless Chromium: open the query page, run an example, see rows."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_example_query_shows_rows(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(shipped_server.url + "/query")
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
    # The dataset's IRIs open this service's pages; literals show as plain values.
    iris = browser.find_elements(By.CSS_SELECTOR, ".yasr a.iri")
    ours = [a for a in iris if a.get_attribute("title").startswith("https://w3id.org/nkgraph/")]
    assert ours
    assert all(a.get_attribute("href").startswith(shipped_server.url + "/") for a in ours)
    values = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, ".yasr .nonIri")]
    assert values and not any("^^" in v or v.startswith('"') for v in values)
    # The download links carry the query that ran.
    csv_link = browser.find_element(By.CSS_SELECTOR, "a.download[data-format=csv]")
    assert "query=" in csv_link.get_attribute("href")
    assert browser.get_log("browser") == [] or all(
        "favicon" in entry["message"] for entry in browser.get_log("browser")
    )


def test_sparql_in_the_address_bar_shows_a_table(browser: Any, shipped_server: Any) -> None:
    from urllib.parse import quote

    from selenium.webdriver.common.by import By

    browser.get(shipped_server.url + "/sparql")
    assert browser.current_url == shipped_server.url + "/query"
    query = "SELECT ?s WHERE { ?s a <http://schema.org/Country> } ORDER BY ?s"
    browser.get(shipped_server.url + "/sparql?query=" + quote(query))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Query results"
    links = browser.find_elements(By.CSS_SELECTOR, "table.results-table tbody a")
    assert "Armenia" in [a.text for a in links]
    armenia = next(a for a in links if a.text == "Armenia")
    armenia.click()
    assert browser.current_url == shipped_server.url + "/page/armenia"
