"""Linked Data pages: IRIs resolve (303 by Accept), documents per format, HTML that is
parsed, never matched as text (Datasette's test_html.py)."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path

import pytest
from accept import BROWSER
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from werkzeug.test import TestResponse

from nkgraph.config import Settings
from nkgraph.formats import GRAPH_FORMATS, from_media_type
from nkgraph.model.loading import load_dataset
from nkgraph.web import create_app

PAGES = Path(__file__).parent / "data" / "pages.trig"
ID = "https://w3id.org/nkgraph/id/"
RDF_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


@pytest.fixture
def fixture_client() -> FlaskClient:
    app = create_app(Settings(data=(PAGES,)), dataset=load_dataset([PAGES]))
    app.testing = True
    return app.test_client()


def soup(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")  # type: ignore[attr-defined]


def parse(response: object, media_type: str) -> Graph:
    fmt = from_media_type(media_type, GRAPH_FORMATS)
    assert fmt is not None, media_type
    graph = Graph()
    graph.parse(data=response.data, format=fmt.rdflib_format)  # type: ignore[attr-defined]
    return graph


# --- Resolving IRIs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept", "location"),
    [
        ("/id/armenia", BROWSER, "/page/armenia"),
        ("/id/armenia", None, "/page/armenia"),
        ("/id/armenia", "text/turtle", "/data/armenia.ttl"),
        ("/id/armenia", "application/n-triples", "/data/armenia.nt"),
        ("/id/armenia", "application/ld+json", "/data/armenia.jsonld"),
        ("/id/armenia", "application/rdf+xml", "/data/armenia.rdf"),
        ("/id/armenia", "text/turtle;q=0.5, application/ld+json", "/data/armenia.jsonld"),
        ("/id/armenia.ttl", BROWSER, "/data/armenia.ttl"),
        ("/id/armenia.rdf", None, "/data/armenia.rdf"),
        ("/id/karabakh-exodus-2023/s1", BROWSER, "/page/karabakh-exodus-2023/s1"),
        ("/id/karabakh-exodus-2023/st-fled-to-armenia", "text/turtle", "/data/karabakh-exodus-2023/st-fled-to-armenia.ttl"),
    ],
    ids=["browser", "no-accept", "turtle", "ntriples", "jsonld", "rdfxml", "q-values", "ext-ttl", "ext-rdf", "sentence", "statement"],
)  # fmt: skip
def test_iri_redirects_303(
    shipped_client: FlaskClient, path: str, accept: str | None, location: str
) -> None:
    response = shipped_client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]
    assert 'rel="alternate"' in response.headers["Link"]


def test_iri_with_unacceptable_type_is_406(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/id/armenia", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_following_the_redirect_gives_rdf(shipped_client: FlaskClient, media_type: str) -> None:
    response = shipped_client.get(
        "/id/armenia", headers={"Accept": media_type}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = parse(response, media_type)
    assert (URIRef(ID + "armenia"), RDFS.label, Literal("Armenia", lang="en")) in graph


def test_negotiated_data_document(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/data/armenia", headers={"Accept": "application/n-triples"})
    assert (response.status_code, response.mimetype) == (200, "application/n-triples")
    assert response.headers["Content-Location"] == "/data/armenia.nt"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/id/no-such-thing",
        "/page/no-such-thing",
        "/data/no-such-thing.ttl",
        "/term/NoSuchTerm",
        "/kinds/unicorns",
    ],
)
def test_unknown_resource_is_404_with_a_search_box(shipped_client: FlaskClient, path: str) -> None:
    response = shipped_client.get(path, headers={"Accept": BROWSER})
    assert (response.status_code, response.mimetype) == (404, "text/html")
    form = soup(response).find("form", role="search")
    assert isinstance(form, Tag)
    assert form["action"] == "/search"
    assert form.find("input", attrs={"name": "q"}) is not None


def test_unknown_resource_for_json_clients(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/id/no-such-thing", headers={"Accept": "application/json"})
    assert (response.status_code, response.mimetype) == (404, "application/problem+json")
    assert json.loads(response.data)["status"] == 404


# --- Pages ---------------------------------------------------------------------------


def test_page_has_alternates_and_link_header(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/page/armenia")
    assert (response.status_code, response.mimetype) == (200, "text/html")
    alternates = {
        link["type"]: link["href"] for link in soup(response).find_all("link", rel="alternate")
    }
    assert sorted(alternates) == sorted(RDF_TYPES)
    for media_type, href in alternates.items():
        document = shipped_client.get(href)
        assert (document.status_code, document.mimetype) == (200, media_type)
        assert f"<{href}>" in response.headers["Link"]


def test_entity_page_shows_facts_with_their_sentences(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/karabakh-armenian-exodus-2023"))
    h1 = page.find("h1")
    assert (
        h1 is not None
        and h1.get_text(strip=True) == "Flight of ethnic Armenians from Nagorno-Karabakh, 2023"
    )
    about = page.find("section", id="statements-subject")
    assert isinstance(about, Tag)
    forced = about.find("li", attrs={"data-iri": ID + "karabakh-exodus-2023/st-forced-to-flee"})
    assert isinstance(forced, Tag)
    bounds = forced.find("span", class_="bounds")
    assert bounds is not None and bounds.get_text(strip=True) == "(lower bound 100,000, excluded)"
    sentence = _sentence_of(forced)
    assert "more than 100,000" in [m.get_text() for m in sentence.find_all("mark", class_="figure")]
    unit = sentence.find("a", class_="evidence-unit")
    assert isinstance(unit, Tag) and unit["href"] == "/page/karabakh-exodus-2023/s1"
    assert unit.get_text() == "Sentence 1"


def test_repeated_words_are_listed_as_two_mentions(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/azerbaijani-offensive-2023"))
    section = page.find("section", id="mentions")
    assert isinstance(section, Tag)
    in_s9 = [
        li.get_text(" ", strip=True)
        for li in section.find_all("li")
        if li.find("a", href="/page/karabakh-exodus-2023/s9")
    ]
    # Sentence 9 says "the attack" twice: "Following the attack" and "as a result of the attack".
    assert len(in_s9) == 2 and all(text.startswith("the attack in") for text in in_s9)
    assert in_s9[0].endswith("(characters 2407\u20132417)")
    assert in_s9[1].endswith("(characters 2608\u20132618)")


def test_a_past_state_of_affairs_shows_its_time(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/republic-of-artsakh"))
    item = page.find(
        "li", attrs={"data-iri": ID + "karabakh-exodus-2023/st-nk-governed-as-artsakh"}
    )
    assert isinstance(item, Tag)
    held = item.find(class_="held-at")
    assert isinstance(held, Tag)
    assert held.get_text(" ", strip=True) == "When it held: had been governed"
    link = held.find("a")
    assert (
        isinstance(link, Tag)
        and link["href"] == "/page/karabakh-exodus-2023/time-had-been-governed"
    )


def test_attribution_and_quotation_are_shown(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/azerbaijani-offensive-2023"))
    item = page.find("li", attrs={"data-iri": ID + "karabakh-exodus-2023/st-evacuation"})
    assert isinstance(item, Tag)
    claim = item.find("p", class_="claim")
    assert isinstance(claim, Tag)
    hrefs = {a["href"] for a in claim.find_all("a")}
    assert {"/page/azerbaijan-military", "/page/politico"} <= hrefs
    assert claim.get_text() == (
        "Azerbaijani military offensive on Nagorno-Karabakh, September 2023 is characterised as"
        " evacuation, according to Military of Azerbaijan (the article's verb: “declaring”),"
        " translated by Politico, in sentence 3."
    )
    assert [m.get_text() for m in _sentence_of(item).find_all("mark", class_="quote")] == [
        "evacuation"
    ]


def test_types_link_to_the_ontology(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/karabakh-exodus-2023/fig-forced-to-flee"))
    types = page.find("p", class_="types")
    assert isinstance(types, Tag)
    assert [a["href"] for a in types.find_all("a")] == ["/term/Count"]
    figure = page.find("p", class_="figure-text")
    assert figure is not None
    assert figure.get_text(strip=True) == "more than 100,000 (lower bound 100,000, excluded)"


def test_text_unit_page(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/karabakh-exodus-2023/s2"))
    text = page.find("blockquote", class_="unit-text")
    assert text is not None and text.get_text(strip=True).startswith("Armenian officials said")
    derived = page.find("section", id="statements-evidence")
    assert isinstance(derived, Tag) and derived.find_all("li", class_="statement")
    mentioned = page.find("section", id="mentioned")
    assert isinstance(mentioned, Tag)
    assert "/page/armenpress" in {a["href"] for a in mentioned.find_all("a")}


def test_ontology_document_and_term_page(shipped_client: FlaskClient) -> None:
    document = soup(shipped_client.get("/ontology", headers={"Accept": BROWSER}))
    section = document.find("section", id="numberFled")
    assert isinstance(section, Tag)
    assert section.find("a", href="/term/numberFled") is not None
    term = shipped_client.get("/term/numberFled")
    usage = soup(term).find("section", id="usage")
    assert isinstance(usage, Tag) and usage.find_all("li")
    turtle = shipped_client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = parse(turtle, "text/turtle")
    assert (URIRef("https://w3id.org/nkgraph/ontology#numberFled"), RDFS.label, None) in graph
    assert shipped_client.get("/ontology.jsonld").mimetype == "application/ld+json"


def test_term_iri_links_to_the_ontology_document(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/term/MoreThan"))
    assert page.find("a", href="/ontology#MoreThan") is not None


def test_home_page_leads_to_the_article_and_lists_kinds(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/", headers={"Accept": BROWSER})
    page = soup(response)
    kinds = {li["id"]: li for li in page.select("ul.kinds li")}
    for key in (
        "countries",
        "people",
        "organisations",
        "events",
        "figures",
        "quotations",
        "claims",
    ):
        assert (
            int(kinds[f"kind-{key}"].find("span", class_="count").get_text().replace(",", "")) > 0
        )
        assert kinds[f"kind-{key}"].find("a")["href"] == f"/kinds/{key}"
    start = page.find("section", id="start")
    assert start.find("a", class_="start-read")["href"] == "/article"
    assert {a["href"] for a in start.find_all("a")} >= {"/claims", "/figures", "/timeline"}
    assert page.find("a", href="/query") is not None


def test_kind_page_links_to_entities(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/kinds/countries"))
    assert "/page/armenia" in {a["href"] for a in page.select("ul.members a")}


def test_search(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/search", query_string={"q": "pashin"}))
    assert "/page/nikol-pashinyan" in [a["href"] for a in page.select("ul.results a")]


def _sentence_of(statement: Tag) -> Tag:
    """The evidence sentence shown (once) above a statement and the others from it."""
    unit = statement.find_parent("div", class_="from-unit")
    assert isinstance(unit, Tag)
    quote = unit.find("blockquote", class_="evidence")
    assert isinstance(quote, Tag)
    return quote


def _page_iris(page: BeautifulSoup, selector: str) -> set[str]:
    return {ID + a["href"].removeprefix("/page/") for a in page.select(selector)}


def _alternate(response: TestResponse, media_type: str) -> str:
    """The alternate of a listing page in ``media_type``: the Link header and the page's
    own <link> must agree on it."""
    page = soup(response)
    links = {link["type"]: link["href"] for link in page.select('link[rel="alternate"]')}
    header = response.headers["Link"]
    assert f'<{links[media_type]}>; rel="alternate"; type="{media_type}"' in header
    assert links[media_type] in [a["href"] for a in page.select("p.downloads a")]
    return str(links[media_type])


@pytest.mark.parametrize(
    ("path", "params", "selector"),
    [
        ("/kinds/countries", {}, "ul.members a"),
        ("/kinds/people", {}, "ul.members a"),
        ("/search", {"q": "armen"}, "ul.results a"),
    ],
)
def test_listing_pages_have_their_results_as_alternates(
    shipped_client: FlaskClient, path: str, params: dict[str, str], selector: str
) -> None:
    response = shipped_client.get(path, query_string=params)
    listed = _page_iris(soup(response), selector)
    assert listed
    url = _alternate(response, "application/sparql-results+json")
    results = shipped_client.get(url)
    assert results.status_code == 200
    assert results.mimetype == "application/sparql-results+json"
    rows = json.loads(results.data)["results"]["bindings"]
    assert {row["x"]["value"] for row in rows} == listed
    csv = shipped_client.get(_alternate(response, "text/csv"))
    assert (csv.status_code, csv.mimetype) == (200, "text/csv")
    assert len(csv.data.decode().splitlines()) == len(listed) + 1


def test_empty_search_has_no_alternates(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/search")
    assert "Link" not in response.headers
    assert soup(response).select('link[rel="alternate"]') == []


def test_query_page_moved_to_query(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/query"))
    assert page.find("div", id="yasgui") is not None


# --- Pages in words ------------------------------------------------------------------


def test_statements_read_as_sentences(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/nikol-pashinyan"))
    claims = [p.get_text() for p in page.select("#statements-subject p.claim")]
    assert (
        "Nikol Pashinyan holds the post Prime Minister of Armenia, says the article, in sentence 5."
        in claims
    )
    predicate = page.select_one("#statements-subject p.claim span.predicate")
    assert predicate is not None and predicate["title"] == "org:holds"


def test_no_prefixed_name_outside_the_technical_view(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/nikol-pashinyan"))
    technical = page.find("details", class_="technical")
    assert isinstance(technical, Tag)
    technical.extract()
    main = page.find("main")
    assert main is not None
    words = main.get_text(" ")
    for name in ("org:holds", "sem:hasActor", "schema:Person", "rdf:subject", "wikidata-link/"):
        assert name not in words


def test_technical_view_is_folded_and_has_no_duplicate_rows(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/nikol-pashinyan"))
    technical = page.find("details", class_="technical")
    assert isinstance(technical, Tag) and not technical.has_attr("open")
    assert technical.find("code", string=ID + "nikol-pashinyan") is not None
    rows = [(tr.th.get_text(), tr.td.get_text("|")) for tr in technical.select("table tr")]
    assert rows and len(rows) == len(set(rows))
    headings = [tr.th.get_text() for tr in technical.select("table tr")]
    assert len(headings) == len(set(headings))
    assert "holds the post" in headings
    assert technical.select('a.alternate[type="text/turtle"]')


def test_wikidata_link_says_how_it_was_verified(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/page/nikol-pashinyan"))
    wikidata = page.find("p", class_="wikidata")
    assert isinstance(wikidata, Tag)
    item = wikidata.find("a", href="http://www.wikidata.org/entity/Q7035479")
    assert item is not None and item.get_text() == "Nikol Pashinyan"
    verified = wikidata.find(class_="verified")
    assert verified is not None
    assert verified.find("a", href="/term/PublicSourcePairing") is not None
    assert "checked on 2026-11-25" in verified.get_text()
    assert any(a["href"].startswith("https://github.com/") for a in verified.find_all("a"))


def test_sentence_page_shows_its_text_once_with_every_span_marked(
    shipped_client: FlaskClient,
) -> None:
    page = soup(shipped_client.get("/page/karabakh-exodus-2023/s5"))
    assert page.select("blockquote.evidence") == []
    statements = page.select("#statements-evidence li.statement")
    assert len(statements) > 10
    text = page.find("blockquote", class_="unit-text")
    assert isinstance(text, Tag)
    marks = {m.get_text(): m["class"][0] for m in text.find_all("mark")}
    assert marks["should be able to remain in their home in peace and dignity"] == "quote"
    assert marks["neutral, independent third party."] == "quote"
    assert marks["Secretary of State"] == "mention"


def test_every_resource_page_says_what_it_shows(shipped_client: FlaskClient) -> None:
    for path in (
        "/page/armenia",
        "/page/karabakh-exodus-2023/s2",
        "/term/numberFled",
        "/page/karabakh-exodus-2023/st-forced-to-flee",
        "/page/karabakh-exodus-2023/fig-forced-to-flee",
    ):
        page = soup(shipped_client.get(path))
        lead = page.select_one("main header p.lead")
        assert lead is not None and lead.get_text().strip(), path


# --- Escaping and the fixture --------------------------------------------------------


def test_markup_in_literals_is_shown_as_text(fixture_client: FlaskClient) -> None:
    response = fixture_client.get("/page/mallory")
    page = soup(response)
    assert page.find("script") is None
    h1 = page.find("h1")
    assert h1 is not None and h1.get_text() == "<script>alert('mallory')</script> Mallory"
    town = soup(fixture_client.get("/page/town"))
    assert town.find("b") is None
    item = town.find("li", class_="statement")
    assert isinstance(item, Tag)
    assert _sentence_of(item).find("i") is None
    assert [m.get_text() for m in _sentence_of(item).find_all("mark", class_="quote")] == [
        "more than 5 <i>people</i>"
    ]


def test_wikidata_link_without_a_record(fixture_client: FlaskClient) -> None:
    page = soup(fixture_client.get("/page/mallory"))
    wikidata = page.find("p", class_="wikidata")
    assert isinstance(wikidata, Tag)
    assert [a["href"] for a in wikidata.find_all("a")] == ["http://www.wikidata.org/entity/Q42"]
    verified = wikidata.find(class_="verified")
    assert verified is not None
    assert verified.get_text() == "No record says how this link was checked."


def test_search_escapes_the_query(fixture_client: FlaskClient) -> None:
    broken = fixture_client.get("/search", query_string={"q": '"} } <x>\\'})
    assert (broken.status_code, soup(broken).select("ul.results a")) == (200, [])
    response = fixture_client.get("/search", query_string={"q": "<SCRIPT>alert('"})
    assert [a["href"] for a in soup(response).select("ul.results a")] == ["/page/mallory"]


def test_base_iri_is_configurable() -> None:
    dataset = Dataset()
    dataset.graph(URIRef("https://kg.example.org/graph/g")).add(
        (URIRef("https://kg.example.org/id/thing"), RDFS.label, Literal("A thing"))
    )
    app: Flask = create_app(Settings(base_iri="https://kg.example.org/"), dataset=dataset)
    client = app.test_client()
    response = client.get("/id/thing", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.headers["Location"]) == (303, "/data/thing.ttl")
    page = soup(client.get("/page/thing"))
    h1 = page.find("h1")
    assert h1 is not None and h1.get_text() == "A thing"
    assert client.get("/id/armenia").status_code == 404


def test_home_page_offers_the_graph_in_every_format(shipped_client: FlaskClient) -> None:
    page = soup(shipped_client.get("/"))
    links = page.select("#downloads a[download]")
    names = {link.get_text() for link in links}
    assert {
        "nkgraph.ttl",
        "nkgraph.trig",
        "nkgraph.nt",
        "nkgraph.nq",
        "nkgraph.jsonld",
        "nkgraph.rdf",
    } <= names
    first = shipped_client.get(str(links[0]["href"]))
    assert first.status_code == 200
    assert first.mimetype == links[0]["type"]
    alternates = {str(link["href"]) for link in page.select('link[rel="alternate"]')}
    assert {str(link["href"]) for link in links} <= alternates


def test_named_graph_iri_redirects_to_the_graph_store(shipped_client: FlaskClient) -> None:
    response = shipped_client.get("/graph/karabakh-exodus-2023/metadata")
    assert response.status_code == 303
    followed = shipped_client.get(response.headers["Location"], headers={"Accept": "text/turtle"})
    assert followed.status_code == 200
    graph = Graph().parse(data=followed.data, format="turtle")
    assert (
        URIRef("https://w3id.org/nkgraph/id/karabakh-exodus-2023/supplied-notes"),
        None,
        None,
    ) in graph


def test_unknown_graph_iri_is_404(shipped_client: FlaskClient) -> None:
    assert shipped_client.get("/graph/no-such-graph").status_code == 404
