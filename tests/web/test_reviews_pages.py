"""Fact-check reviews on the pages: a reviewed statement's or quotation's page lists its
reviews in words, every review has a page of its own, and the reading view marks the
reviewed words and gives the verdict at the mark's note and on the claim, without
JavaScript. The app serves the shipped graph plus two example reviews."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from accept import BROWSER
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from page_kinds import REVIEWS

from nkgraph.config import Settings
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.web import create_app

STATEMENT_PAGE = "/page/karabakh-exodus-2023/st-anti-terrorism"
QUOTATION_PAGE = "/page/karabakh-exodus-2023/q-ethnic-cleansing"
REVIEW_PAGE = "/page/review/example-anti-terrorism"


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    dataset = load_dataset([*shipped().data_files(), REVIEWS])
    app = create_app(Settings(), dataset=dataset)
    app.testing = True
    yield app.test_client()


def page(client: FlaskClient, path: str) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": BROWSER})
    assert (response.status_code, response.mimetype) == (200, "text/html")
    return BeautifulSoup(response.data, "html.parser")


def text(node: object) -> str:
    assert node is not None, "element missing"
    return " ".join(node.get_text(" ").split())  # type: ignore[attr-defined]


def test_statement_page_lists_its_review(client: FlaskClient) -> None:
    section = page(client, STATEMENT_PAGE).select_one("section#reviews")
    assert section is not None
    assert text(section.select_one("h2")) == "Fact-check reviews (1)"
    (review,) = section.select("li.review")
    assert text(review.select_one(".review-summary")) == (
        "Reviewed by Example Review Desk on 2 October 2023: Example verdict: disputed"
        " (rating 2 of 5)"
    )
    assert "it checks nothing" in text(review.select_one("blockquote.review-body"))
    assert review.select_one("a.review-url")["href"] == "https://reviews.example/anti-terrorism"
    assert review.select_one("a.review-page")["href"] == REVIEW_PAGE
    assert review.select_one("a.review-author")["href"] == "https://reviews.example/desk"


def test_quotation_page_lists_its_review(client: FlaskClient) -> None:
    section = page(client, QUOTATION_PAGE).select_one("section#reviews")
    assert section is not None
    summary = text(section.select_one(".review-summary"))
    assert summary == (
        "Reviewed by Ann Example on 3 October 2023: Example verdict: needs context"
        " (rating 3.5 on a scale of 0 to 5)"
    )
    assert section.select_one("a.review-url") is None  # the review gives no web address


def test_unreviewed_statement_has_no_review_section(client: FlaskClient) -> None:
    assert page(client, "/page/karabakh-exodus-2023/st-aggression").select("#reviews") == []


def test_review_has_its_own_page(client: FlaskClient) -> None:
    soup = page(client, REVIEW_PAGE)
    title = "Fact-check by Example Review Desk: Example verdict: disputed"
    assert text(soup.select_one("h1")) == title
    assert text(soup.title).startswith(title)
    assert "fact-check review" in text(soup.select_one("p.lead"))
    own = soup.select_one("section#review")
    assert own is not None
    assert own.select_one(".review-item a")["href"] == STATEMENT_PAGE
    assert "Turkey's Foreign Ministry" in text(own.select_one(".review-claim q"))


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        (BROWSER, REVIEW_PAGE),
        ("text/turtle", "/data/review/example-anti-terrorism.ttl"),
    ],
    ids=["page", "turtle"],
)
def test_review_iri_resolves(client: FlaskClient, accept: str, location: str) -> None:
    response = client.get("/id/review/example-anti-terrorism", headers={"Accept": accept})
    assert (response.status_code, response.headers["Location"]) == (303, location)


def test_reading_view_marks_reviewed_words(client: FlaskClient) -> None:
    soup = page(client, "/article")
    marked = {a["href"]: a for a in soup.select("a.mark.reviewed")}
    assert set(marked) == {"#q-anti-terrorism", "#q-ethnic-cleansing"}
    note = soup.select_one("#reviewed-note")
    assert note is not None and "fact-checker" in text(note)
    assert all(a["aria-describedby"] == "reviewed-note" for a in marked.values())
    assert "k-reviewed" in soup.select_one(".legend").decode_contents()


def test_reading_view_gives_the_verdict_without_javascript(client: FlaskClient) -> None:
    soup = page(client, "/article")
    quotation_note = soup.select_one("section.mark-note#q-ethnic-cleansing")
    assert "Fact-check of these words: Reviewed by Ann Example" in text(
        quotation_note.select_one(".mark-review")
    )
    statement_note = soup.select_one("section.mark-note#q-anti-terrorism")
    assert text(statement_note.select_one(".carried-review")) == (
        "Fact-check: Example verdict: disputed (rating 2 of 5)"
    )
    card = soup.select_one("article.claim#st-anti-terrorism")
    assert "reviewed" in card["class"]
    facts = text(card.select_one("dd.claim-reviews"))
    assert facts.startswith("Reviewed by Example Review Desk on 2 October 2023")
    assert card.select_one("dd.claim-reviews a")["href"] == REVIEW_PAGE


def test_without_reviews_nothing_is_marked(shipped_client: FlaskClient) -> None:
    soup = page(shipped_client, "/article")
    assert soup.select("a.mark.reviewed, #reviewed-note, .k-reviewed, article.claim.reviewed") == []
    assert page(shipped_client, STATEMENT_PAGE).select("#reviews") == []


@pytest.mark.browser
def test_selecting_reviewed_words_shows_the_verdict_beside_the_text(
    browser: Any, reviewed_server: Any
) -> None:
    """In a real Chromium: the panel shows a selected quotation's review and the verdict
    on the claims it carries, and the reviewed words are told apart from the others."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(reviewed_server.url + "/article")
    quote = browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#q-anti-terrorism"]')
    plain = browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#q-provocations"]')
    assert quote.value_of_css_property("outline-style") == "dashed"
    assert plain.value_of_css_property("outline-style") == "none"
    quote.click()
    panel = browser.find_element(By.ID, "panel-body")
    WebDriverWait(browser, 10).until(lambda _: "Fact-check:" in panel.text)
    assert "Reviewed by Example Review Desk on 2 October 2023" in panel.text
    browser.find_element(By.CSS_SELECTOR, 'a.mark[href="#q-ethnic-cleansing"]').click()
    WebDriverWait(browser, 10).until(lambda _: "Fact-check of these words" in panel.text)
    assert "Example verdict: needs context" in panel.text


def test_who_says_what_gives_the_verdict_on_the_claim(client: FlaskClient) -> None:
    card = page(client, "/claims").select_one("article.claim#st-anti-terrorism")
    assert "reviewed" in card["class"]
    assert text(card.select_one("dd.claim-reviews")).startswith(
        "Reviewed by Example Review Desk on 2 October 2023: Example verdict: disputed"
    )
