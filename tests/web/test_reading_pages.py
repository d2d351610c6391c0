"""The article pages (web/reading.py) through Flask's test client: status, media type,
and what a reader finds on each, parsed (never matched as substrings of the HTML)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from accept import BROWSER
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from nkgraph.config import Settings
from nkgraph.model.loading import load_dataset
from nkgraph.web import create_app

CSL = "application/vnd.citationstyles.csl+json"
ART = "https://w3id.org/nkgraph/id/karabakh-exodus-2023/"
PAGES = [
    "/article",
    "/claims",
    "/figures",
    "/timeline",
    "/cite/karabakh-exodus-2023/st-anti-terrorism",
]
# A prefixed name (sem:hasActor, nk:Statement) in the text a reader sees.
PREFIXED = re.compile(r"\b(nk|sem|schema|org|prov|skos|rdf|rdfs|foaf|oa|owl|xsd|art|id):[A-Za-z]")
INTERNAL = re.compile(r"\b(client|brief)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    app = create_app(Settings(), dataset=load_dataset())
    app.testing = True
    yield app.test_client()


def get(client: FlaskClient, path: str) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


def visible_text(page: BeautifulSoup) -> str:
    for hidden in page.find_all(["script", "style", "title", "desc"]):
        hidden.decompose()
    return page.get_text(" ")


@pytest.mark.parametrize(
    "path", ["/", *PAGES], ids=["home", "article", "claims", "figures", "timeline", "cite"]
)
def test_every_page_has_a_title_a_lead_one_h1_and_the_way_back(
    client: FlaskClient, path: str
) -> None:
    page = get(client, path)
    assert page.title is not None and page.title.get_text().strip()
    assert len(page.find_all("h1")) == 1
    assert page.find(class_="lead").get_text().strip()
    assert page.find("main") is not None
    nav = page.find("nav", class_="site")
    assert {"/article", "/claims", "/figures", "/timeline"} <= {
        a["href"] for a in nav.find_all("a")
    }
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids are unique"


@pytest.mark.parametrize(
    "path", ["/", *PAGES], ids=["home", "article", "claims", "figures", "timeline", "cite"]
)
def test_pages_speak_words_not_prefixed_names(client: FlaskClient, path: str) -> None:
    text = visible_text(get(client, path))
    assert PREFIXED.findall(text) == []
    assert INTERNAL.findall(text) == []


def test_home_leads_to_the_article(client: FlaskClient) -> None:
    start = get(client, "/").find("section", id="start")
    read = start.find("a", class_="start-read")
    assert read["href"] == "/article"
    assert read.get_text() == "Read the article"


def test_article_holds_the_whole_text(client: FlaskClient) -> None:
    page = get(client, "/article")
    lines = page.select("article.article-text p.line")
    assert len(lines) == 11
    assert lines[0]["id"] == "line-1"
    assert lines[0].get_text().startswith("Nearly the entire ethnically Armenian population")
    assert lines[-1].get_text() == (
        "A Stunningly Sudden End to a Long, Bloody Conflict in the Caucasus (New York Times)"
    )
    assert page.find("span", id="s11") is not None


def test_every_mark_is_a_link_to_its_note(client: FlaskClient) -> None:
    page = get(client, "/article")
    marks = page.select("a.mark")
    assert len(marks) > 100
    for mark in marks:
        assert mark.get_text().strip(), "a link has words to name it"
        note = page.find(id=mark["href"][1:])
        assert isinstance(note, Tag) and "mark-note" in note["class"], mark
        for id in mark["data-marks"].split():
            assert page.find("section", id=id) is not None
    for note in page.select("section.mark-note"):
        back = note.select_one(".back-to-text a")["href"]
        assert page.find(id=back[1:]) is not None


def test_quotation_mark_and_its_note(client: FlaskClient) -> None:
    page = get(client, "/article")
    mark = page.find("a", class_="mark", href="#q-anti-terrorism")
    assert mark.get_text() == "anti-terrorism measures exclusively targeting military elements"
    assert "k-quotation" in mark["class"]
    note = page.find("section", id="q-anti-terrorism")
    assert [a["href"] for a in note.select("ul.carried a")] == ["#st-anti-terrorism"]
    card = page.find("article", id="st-anti-terrorism")
    assert card.select_one("dd.who").get_text(" ", strip=True) == "Foreign Ministry of Turkey"
    assert card.select_one("dd.who a")["href"] == "/page/turkey-foreign-ministry"
    assert card.select_one("dd.verb").get_text() == "“claimed”"
    assert "contested" in card.select_one("dd.status").get_text()
    assert (
        card.select_one(".cite-text").get_text().startswith("Foreign Ministry of Turkey claimed:")
    )


def test_figure_mark_shows_hedge_and_bounds(client: FlaskClient) -> None:
    page = get(client, "/article")
    mark = page.find("a", class_="mark", href="#fig-accommodated")
    assert mark.get_text() == "more than 34,000"
    note = page.find("section", id="fig-accommodated")
    facts = note.select_one(".figure-facts").get_text()
    assert "Hedge: more than" in facts
    assert "lower bound 34,000, not included" in facts


def test_overlapping_marks_are_split_not_nested(client: FlaskClient) -> None:
    page = get(client, "/article")
    assert page.select("a.mark a.mark") == []
    thousands = page.find("a", class_="mark", href="#fig-thousands-of-civilians")
    assert thousands.get_text() == "thousands"
    assert {"k-figure", "k-quotation", "k-mention"} <= set(thousands["class"])
    rest = thousands.find_next_sibling("a")
    assert rest.get_text() == " of civilians"
    assert rest["href"] == "#q-thousands-of-civilians"


def test_the_panel_script_ships(client: FlaskClient) -> None:
    page = get(client, "/article")
    src = page.find("script")["src"]
    with client.get(src) as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
    assert page.find("aside", id="panel").find(id="panel-body") is not None


def test_claims_grouped_by_source(client: FlaskClient) -> None:
    page = get(client, "/claims")
    groups = {s["id"]: s for s in page.select("section.source-group")}
    ministry = groups["source-turkey-foreign-ministry"]
    assert ministry.find("h2").find("a")["href"] == "/page/turkey-foreign-ministry"
    assert "st-anti-terrorism" in {a["id"] for a in ministry.select("article.claim")}
    assert list(groups)[-1] == "source-article"
    for group in (
        "source-armenian-officials",
        "source-azerbaijani-officials",
        "source-human-rights-watch",
    ):
        assert group in groups


def test_claims_have_their_chain_drawn(client: FlaskClient) -> None:
    page = get(client, "/claims")
    fled = page.find("article", id="st-fled-to-armenia").find_parent("div")
    svg = fled.find("svg")
    assert svg["role"] == "img"
    title = svg.find("title").get_text()
    desc = svg.find("desc").get_text()
    assert svg["aria-labelledby"].split() == [svg.find("title")["id"], svg.find("desc")["id"]]
    assert "100,437" in title
    assert desc.startswith("Armenian officials (source, “said”) → Armenpress (reported by)")
    assert [t.get_text() for t in svg.select("text.chain-label")] == [
        "Armenian officials",
        "Armenpress",
        "sentence 2",
    ]


def test_framings_side_by_side(client: FlaskClient) -> None:
    framing = get(client, "/claims").find("section", id="framings")
    cards = {
        c.select_one(".framing-value").get_text(strip=True): c
        for c in framing.select("li.framing-card")
    }
    assert (
        cards["anti-terrorism measures"].select_one(".framing-who a").get_text()
        == "Foreign Ministry of Turkey"
    )
    assert "ethnic cleansing" in cards and "invasion" in cards
    assert (
        cards["invasion"].select_one(".framing-who").get_text() == "the article, in its own voice"
    )


def test_figures_table(client: FlaskClient) -> None:
    page = get(client, "/figures")
    rows = {r.find("th").get_text(): r for r in page.select("table.figures tbody tr")}
    assert len(rows) == 17
    cells = [td.get_text(" ", strip=True) for td in rows["more than 34,000"].find_all("td")]
    assert cells[0] == "more than"
    assert cells[1] == "34,000 (not included)"
    assert cells[2] == "none given"
    assert cells[4] == "Saturday morning"
    assert cells[5] == "Armenian officials"
    where = rows["more than 34,000"].find_all("td")[6].find("a")
    assert where["href"] == "/article#s2" and where.get_text() == "Sentence 2"
    exact = [td.get_text(" ", strip=True) for td in rows["100,437"].find_all("td")]
    assert exact[1] == exact[2] == "100,437 (included)"
    assert [td.get_text(" ", strip=True) for td in rows["roughly 30,000"].find_all("td")][
        5
    ] == "the article"


def test_timeline_page_draws_and_lists(client: FlaskClient) -> None:
    page = get(client, "/timeline")
    svg = page.find("svg", class_="timeline-drawing")
    assert svg["role"] == "img"
    assert (
        svg.find("title").get_text() and "one day after the attack" in svg.find("desc").get_text()
    )
    assert svg.select("rect.tl-window") and svg.select("rect.tl-day")
    stated = [row.find("q").get_text() for row in page.select("table.timeline tbody tr")]
    assert "one day after the attack" in stated
    assert page.find("a", href="/timeline.svg") is not None


def test_timeline_svg_document(client: FlaskClient) -> None:
    response = client.get("/timeline.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # noqa: S314 (our own response)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_cite_page(client: FlaskClient) -> None:
    response = client.get(
        "/cite/karabakh-exodus-2023/st-anti-terrorism", headers={"Accept": BROWSER}
    )
    assert response.status_code == 200
    assert response.headers["Link"] == (
        f'</cite/karabakh-exodus-2023/st-anti-terrorism.json>; rel="alternate"; type="{CSL}"'
    )
    page = BeautifulSoup(response.data, "html.parser")
    text = page.select_one(".cite-text").get_text()
    assert text == (
        "Foreign Ministry of Turkey claimed: “anti-terrorism measures exclusively targeting"
        " military elements”. In “Article on the flight of Nagorno-Karabakh's Armenians"
        f" (September 2023)”, sentence 11. {ART}st-anti-terrorism"
    )
    assert page.select_one("button.copy")["data-copy"] == page.select_one(".cite-text")["id"]
    assert json.loads(page.select_one("pre.csl").get_text())[0]["id"] == "st-anti-terrorism"
    assert page.find("svg", class_="chain") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/cite/karabakh-exodus-2023/st-anti-terrorism.json",
        "/cite/karabakh-exodus-2023/st-anti-terrorism?format=csl-json",
    ],
    ids=["extension", "format"],
)
def test_cite_as_csl_json(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == CSL
    [item] = json.loads(response.data)
    assert item["URL"] == ART + "st-anti-terrorism"
    assert item["type"] == "article-newspaper"
    assert item["section"] == "sentence 11"
    assert item["note"].startswith("Foreign Ministry of Turkey claimed: “anti-terrorism measures")


@pytest.mark.parametrize(
    ("slug", "genre"),
    [("q-anti-terrorism", "quotation"), ("fig-accommodated", "figure")],
)
def test_quotations_and_figures_are_citable(client: FlaskClient, slug: str, genre: str) -> None:
    response = client.get(f"/cite/karabakh-exodus-2023/{slug}.json")
    assert response.status_code == 200
    [item] = json.loads(response.data)
    assert item["genre"] == genre
    assert item["URL"] == ART + slug


@pytest.mark.parametrize(
    "path", ["/cite/karabakh-exodus-2023/no-such-claim", "/cite/armenia", "/cite/armenia.json"]
)
def test_what_is_not_a_claim_quotation_or_figure_cannot_be_cited(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("path", PAGES)
def test_pages_read_every_graph_when_the_default_graph_is_the_datas_own(path: str) -> None:
    """Served as plain files (``--data``), the article's graphs are named graphs and the
    query default graph is empty of them; the reading pages still find the article."""
    from nkgraph.model.resources import shipped

    files = tuple(shipped().data_files())
    app = create_app(Settings(data=files, union_default_graph=False))
    app.testing = True
    response = app.test_client().get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert "Nagorno-Karabakh" in BeautifulSoup(response.data, "html.parser").get_text()
