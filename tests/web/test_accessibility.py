"""Accessibility in a real browser: axe-core 4 on every kind of page, and the keyboard.

axe-core (Deque, MPL-2.0) is vendored under ``vendor/`` at the version ``package.json``
pins, so the check runs offline; the copy inside axe-selenium-python is axe 3.1, which
hangs on the WCAG 2.1 rule tags. It is injected through Selenium into Debian's Chromium
and run with the WCAG 2.0 and 2.1 A and AA rules, colour contrast included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from page_kinds import PAGE_KINDS, PageKind

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHECKOUT = Path(__file__).resolve().parents[2]

#: Rules left out on one kind of page, each with the reason (none today).
KNOWN: dict[str, dict[str, str]] = {}

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, disableOtherRules: true})
  .then((results) => done(JSON.stringify(results.violations)))
  .catch((error) => done(JSON.stringify([{id: "axe-error", help: String(error), nodes: []}])));
"""


def _open(browser: Any, url: str, kind: PageKind) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url + kind.path)
    if kind.ready:
        WebDriverWait(browser, 20).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, kind.ready))
        )


def _violations(browser: Any, kind: PageKind) -> list[str]:
    browser.set_script_timeout(60)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found = json.loads(browser.execute_async_script(_RUN_AXE, TAGS))
    known = KNOWN.get(kind.name, {})
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
        if v["id"] not in known
    ]


def test_axe_is_the_pinned_version() -> None:
    package = json.loads((CHECKOUT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["axe-core"] == AXE_VERSION
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}")


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_no_wcag_violations(browser: Any, request: pytest.FixtureRequest, kind: PageKind) -> None:
    _open(browser, request.getfixturevalue(kind.server).url, kind)
    found = _violations(browser, kind)
    assert found == [], "\n".join(found)


def test_query_page_with_each_example_and_its_results(browser: Any, reviewed_server: Any) -> None:
    """The query page once YASGUI has drawn each local example and its result table
    (the editor colours every kind of token; the federated examples need the network)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    kind = next(k for k in PAGE_KINDS if k.name == "query-page")
    _open(browser, reviewed_server.url, kind)
    examples = [
        b.get_attribute("id")
        for b in browser.find_elements(By.CSS_SELECTOR, "button.example")
        if not b.text.startswith("Federated")
    ]
    assert len(examples) >= 10
    found = []
    for example in examples:
        drawn = browser.find_elements(By.CSS_SELECTOR, ".yasr .yasr_results > *")
        browser.find_element(By.ID, example).click()
        wait = WebDriverWait(browser, 20)
        if drawn:
            wait.until(ec.staleness_of(drawn[0]))
        wait.until(
            lambda driver: driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr td") or False
        )
        found += [f"{example}: {v}" for v in _violations(browser, kind)]
    assert found == []


_FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)
_VISIBLE_FOCUSABLE = f"""
return Array.from(document.querySelectorAll("{_FOCUSABLE}")).filter((el) => {{
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const folded = el.closest("details:not([open]) > :not(summary)");
  return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && !folded;
}});
"""


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_every_interactive_element_is_reached_by_tab(
    browser: Any, request: pytest.FixtureRequest, kind: PageKind
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _open(browser, request.getfixturevalue(kind.server).url, kind)
    wanted = browser.execute_script(_VISIBLE_FOCUSABLE)
    reached = []
    for _ in range(len(wanted) + 5):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if reached and active == reached[0]:
            break  # focus went round the page and back to the first stop
        if active not in reached:  # a press a busy browser let pass counts for nothing
            reached.append(active)
    missing = [el.get_attribute("outerHTML")[:120] for el in wanted if el not in reached]
    assert missing == []
