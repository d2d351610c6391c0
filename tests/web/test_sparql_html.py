"""``/sparql`` in a browser: the query page without a query, an HTML table with one;
machine clients get what they got before (parsed HTML, never matched as text)."""

# Queries stay on one line, however long.
# ruff: noqa: E501

from __future__ import annotations

import json

import pytest
from accept import BROWSER
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from nkgraph.formats import GRAPH_FORMATS, RESULT_FORMATS

PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX nk: <https://w3id.org/nkgraph/ontology#> "


def page(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")  # type: ignore[attr-defined]


def test_browser_without_a_query_opens_the_query_page(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/sparql", headers={"Accept": BROWSER})
    assert (response.status_code, response.headers["Location"]) == (303, "/query")


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
    ],
    ids=["no-accept", "any", "turtle", "jsonld", "html-less-wanted"],
)
def test_machines_without_a_query_get_the_service_description(
    shipped_client: FlaskClient, accept: str | None, media_type: str
) -> None:
    response = shipped_client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert (response.status_code, response.mimetype) == (200, media_type)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
    ],
)
def test_machines_with_a_query_get_results(
    shipped_client: FlaskClient, accept: str | None, media_type: str
) -> None:
    response = shipped_client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept} if accept else {}
    )
    assert (response.status_code, response.mimetype) == (200, media_type)


def test_select_as_a_table_with_labels_links_and_plain_values(shipped_client: FlaskClient) -> None:
    query = (
        PREFIXES
        + 'SELECT ?figure ?value WHERE { ?figure nk:statedValue ?value ; nk:surfaceForm "100,437" }'
    )
    response = shipped_client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": BROWSER}
    )
    assert (response.status_code, response.mimetype) == (200, "text/html")
    assert "Accept" in response.headers["Vary"]
    html = page(response)
    assert html.title is not None and html.title.get_text() == "Query results · nkgraph"
    assert [th.get_text() for th in html.select("table.results-table th")] == ["figure", "value"]
    figure, value = html.select("table.results-table tbody tr")[0].find_all("td")
    link = figure.find("a")
    assert isinstance(link, Tag)
    assert link["href"].startswith("/page/karabakh-exodus-2023/")
    assert link.get_text() == "100,437"
    literal = value.find("span", class_="literal")
    assert isinstance(literal, Tag)
    assert (literal.get_text(), literal["title"]) == ("100,437", "xsd:integer")


def test_table_links_to_the_same_result_in_every_format(shipped_client: FlaskClient) -> None:
    query = PREFIXES + "SELECT ?x WHERE { ?x a nk:Count } LIMIT 2"
    html = page(
        shipped_client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER})
    )
    links = {a["type"]: a["href"] for a in html.select("p.downloads a.alternate")}
    assert set(links) == {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    }
    for media_type, href in links.items():
        response = shipped_client.get(href, headers={"Accept": BROWSER})
        assert (response.status_code, response.mimetype) == (200, media_type)


def test_ask_and_construct_in_a_browser(shipped_client: FlaskClient) -> None:
    ask = page(
        shipped_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "html"})
    )
    answer = ask.find("p", id="answer")
    assert answer is not None and answer.get_text() == "The answer is yes."
    construct = (
        PREFIXES
        + "CONSTRUCT { <https://w3id.org/nkgraph/id/armenia> rdfs:label ?l } WHERE { <https://w3id.org/nkgraph/id/armenia> rdfs:label ?l }"
    )
    html = page(
        shipped_client.get(
            "/sparql", query_string={"query": construct}, headers={"Accept": BROWSER}
        )
    )
    assert [th.get_text() for th in html.select("th")] == ["subject", "predicate", "object"]
    cells = [td.get_text() for td in html.select("tbody td")]
    assert cells == ["Armenia", "label", "Armenia"]
    assert {a["type"] for a in html.select("p.downloads a.alternate")} >= {"text/turtle"}


def test_a_broken_query_in_a_browser_is_an_error_page(shipped_client: FlaskClient) -> None:
    response = shipped_client.get(
        "/sparql", query_string={"query": "SELECT {"}, headers={"Accept": BROWSER}
    )
    assert (response.status_code, response.mimetype) == (400, "text/html")


def test_query_page_links_come_from_the_url_builder(shipped_client: FlaskClient) -> None:
    """The query page's service description link, endpoint and download links (built by
    ``Urls``, not by the template) point at the endpoint, one ``format=`` per format."""
    html = page(shipped_client.get("/query"))
    description = html.select_one('link[rel="alternate"]')
    assert description is not None
    assert (description["type"], description["href"]) == ("text/turtle", "/sparql?format=turtle")
    downloads = {str(a["data-format"]): str(a["href"]) for a in html.select("a.download")}
    assert downloads == {
        fmt.name: f"/sparql?format={fmt.name}" for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS)
    }
    config = html.select_one("#nkgraph-config")
    assert config is not None
    assert json.loads(config.get_text())["endpoint"] == "/sparql"
