"""End to end in a real headless Chromium: from the home page to an entity, and a fact
with the sentence it comes from."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_home_to_entity_fact_with_its_sentence(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(shipped_server.url + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "nkgraph"
    browser.find_element(By.CSS_SELECTOR, "#kind-countries a").click()
    browser.find_element(By.LINK_TEXT, "Armenia").click()
    assert browser.current_url == shipped_server.url + "/page/armenia"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Armenia"
    fact = browser.find_element(By.CSS_SELECTOR, "#statements-object li.statement")
    assert fact.find_element(By.CSS_SELECTOR, ".claim a").text
    # The sentence is shown once above the statements taken from it.
    sentence = fact.find_element(
        By.XPATH, "./ancestor::div[contains(@class, 'from-unit')]//blockquote[@class='evidence']"
    )
    assert sentence.find_element(By.CSS_SELECTOR, "a.evidence-unit").text.startswith("Sentence")
    assert sentence.find_elements(By.TAG_NAME, "mark")
    # The IRI itself resolves, in the browser, to the same page.
    browser.get(shipped_server.url + "/id/armenia")
    assert browser.current_url == shipped_server.url + "/page/armenia"
