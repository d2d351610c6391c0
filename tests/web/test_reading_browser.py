"""The article pages in a real headless Chromium, on the shipped graph served by
``nkgraph serve``: selecting marks, following a claim to its source and back, copying a
citation through the browser's own Clipboard API (permission granted, nothing stubbed)."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PREFIXED = re.compile(r"\b(nk|sem|schema|org|prov|skos|rdf|rdfs|foaf|oa|owl|xsd|art|id):[A-Za-z]")


def wait_for(browser: Any, condition: Any, timeout: float = 10.0) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def panel_text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.ID, "panel-body").text)


def grant_clipboard(browser: Any, origin: str) -> None:
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )


def clipboard(browser: Any) -> str:
    text: str = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, e => done('failed: ' + e));"
    )
    return text


def assert_no_prefixed_names(browser: Any) -> None:
    text = browser.execute_script("return document.body.innerText")
    assert PREFIXED.findall(text) == [], browser.current_url


def test_select_a_quotation_then_a_figure(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(shipped_server.url + "/article")
    quote = browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#q-anti-terrorism"]')
    quote.click()
    wait_for(browser, lambda b: "Foreign Ministry of Turkey" in panel_text(b))
    text = panel_text(browser)
    assert "anti-terrorism measures exclusively targeting military elements" in text
    assert "“claimed”" in text
    assert "no reporter or translator named" in text
    assert "contested" in text
    assert browser.current_url == shipped_server.url + "/article"  # the panel, not a jump
    assert quote.get_attribute("aria-current") == "true"
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "panel-heading"
    # A figure, by keyboard: focus its mark and press Enter.
    figure = browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#fig-accommodated"]')
    figure.send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "more than 34,000" in panel_text(b))
    text = panel_text(browser)
    assert "Hedge: more than" in text
    assert "lower bound 34,000, not included" in text
    assert "Armenian officials" in text and "reported by Armenpress" in text
    assert quote.get_attribute("aria-current") is None
    # Back to the text, where the reader left it.
    browser.find_element(By.CSS_SELECTOR, "#panel-body button.back-to-mark").click()
    assert browser.switch_to.active_element == figure
    assert_no_prefixed_names(browser)


def test_a_link_to_a_mark_opens_it_in_the_panel(browser: Any, shipped_server: Any) -> None:
    browser.get(shipped_server.url + "/article#fig-one-day")
    wait_for(browser, lambda b: "one day" in panel_text(b))
    assert "exact" in panel_text(browser)


def test_follow_a_claim_to_its_source_and_back(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(shipped_server.url + "/claims")
    group = browser.find_element(By.ID, "source-turkey-foreign-ministry")
    group.find_element(By.CSS_SELECTOR, "h2 a").click()
    wait_for(browser, lambda b: b.current_url.endswith("/page/turkey-foreign-ministry"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Foreign Ministry of Turkey"
    browser.back()
    wait_for(browser, lambda b: b.current_url.endswith("/claims"))
    card = browser.find_element(By.ID, "st-anti-terrorism")
    card.find_element(By.LINK_TEXT, "Sentence 11").click()
    wait_for(browser, lambda b: b.current_url.endswith("/article#s11"))
    sentence = browser.find_element(By.ID, "s11")
    assert "anti-terrorism measures" in sentence.text
    browser.back()
    wait_for(browser, lambda b: b.current_url.endswith("/claims"))


def test_copy_a_citation(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By

    grant_clipboard(browser, shipped_server.url)
    browser.get(shipped_server.url + "/cite/karabakh-exodus-2023/st-fled-to-armenia")
    shown = browser.find_element(By.CSS_SELECTOR, ".cite-text").text
    assert shown.startswith("Armenian officials said, as reported by Armenpress: “100,437”.")
    browser.find_element(By.CSS_SELECTOR, "button.copy").click()
    wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, ".copy-status").text == "Copied.")
    assert clipboard(browser) == shown


def test_who_called_the_attack_anti_terrorism_measures(browser: Any, shipped_server: Any) -> None:
    """From the home page, without a prefixed name: who claimed the attack was
    "anti-terrorism measures", through whom the article heard it, and a citation."""
    from selenium.webdriver.common.by import By

    grant_clipboard(browser, shipped_server.url)
    browser.get(shipped_server.url + "/")
    assert_no_prefixed_names(browser)
    browser.find_element(By.LINK_TEXT, "Read the article").click()
    wait_for(browser, lambda b: b.current_url.endswith("/article"))
    assert_no_prefixed_names(browser)
    # As a reader who searches the page for the words: the marked quotation holding them.
    words = [
        m
        for m in browser.find_elements(By.CSS_SELECTOR, "a.mark.k-quotation")
        if "anti-terrorism measures" in m.text
    ]
    assert len(words) == 1
    words[0].click()
    wait_for(browser, lambda b: "Who says it" in panel_text(b))
    card = browser.find_element(By.CSS_SELECTOR, "#panel-body article.claim")
    facts = dict(
        zip(
            [dt.text for dt in card.find_elements(By.CSS_SELECTOR, "dl.claim-facts dt")],
            [dd.text for dd in card.find_elements(By.CSS_SELECTOR, "dl.claim-facts dd")],
            strict=True,
        )
    )
    assert facts["Who says it"] == "Foreign Ministry of Turkey"
    assert facts["Verb"] == "“claimed”"
    assert facts["Through whom"] == "no reporter or translator named: the article gives it directly"
    assert facts["Voice"] == "attributed to its source"
    assert_no_prefixed_names(browser)
    card.find_element(By.CSS_SELECTOR, "button.copy").click()
    wait_for(
        browser, lambda b: card.find_element(By.CSS_SELECTOR, ".copy-status").text == "Copied."
    )
    copied = clipboard(browser)
    assert copied == card.find_element(By.CSS_SELECTOR, ".cite-text").text
    assert copied.startswith(
        "Foreign Ministry of Turkey claimed: “anti-terrorism measures exclusively targeting"
        " military elements”."
    )
    assert (
        ", sentence 11. https://w3id.org/nkgraph/id/karabakh-exodus-2023/st-anti-terrorism"
        in copied
    )


def test_without_javascript_marks_lead_to_their_notes(browser: Any, shipped_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(shipped_server.url + "/article")
    # reading.js would have shown the copy buttons: the page's scripts are off.
    assert browser.find_element(By.CSS_SELECTOR, "button.copy").get_attribute("hidden") == "true"
    browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#q-anti-terrorism"]').click()
    wait_for(browser, lambda b: b.current_url.endswith("/article#q-anti-terrorism"))
    assert panel_text(browser).startswith("Select a marked word")  # no panel without scripts
    note = browser.find_element(By.ID, "q-anti-terrorism")
    note.find_element(By.CSS_SELECTOR, "ul.carried a").click()
    wait_for(browser, lambda b: b.current_url.endswith("/article#st-anti-terrorism"))
    card = browser.find_element(By.ID, "st-anti-terrorism")
    assert card.find_element(By.CSS_SELECTOR, "dd.who").text == "Foreign Ministry of Turkey"
    assert not card.find_element(By.CSS_SELECTOR, "button.copy").is_displayed()
    assert card.find_element(By.CSS_SELECTOR, ".cite-text").text.startswith(
        "Foreign Ministry of Turkey claimed:"
    )
    browser.back()
    note = browser.find_element(By.ID, "q-anti-terrorism")
    note.find_element(By.LINK_TEXT, "Back to the text").click()
    wait_for(browser, lambda b: b.current_url.endswith("/article#at-q-anti-terrorism"))
