"""Every kind of page speaks to its reader: a title, a line that says what the page shows,
a way back to the article, and no word of the project's own making."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from accept import BROWSER
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from page_kinds import PAGE_KINDS, REVIEWS, PageKind
from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.web import create_app

#: Words of the project's own making that no reader should meet.
INTERNAL = re.compile(r"\b(client|brief)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    dataset: Dataset = load_dataset([*shipped().data_files(), REVIEWS])
    app = create_app(Settings(), dataset=dataset)
    app.testing = True
    yield app.test_client()


def _get(request: pytest.FixtureRequest, kind: PageKind) -> tuple[int, str, bytes]:
    """Status, media type and body of ``kind``'s page: from the app on the shipped graph
    and the reviews, or over HTTP from the live server that shows it."""
    if kind.server == "reviewed_server":
        response = request.getfixturevalue("client").get(kind.path, headers={"Accept": BROWSER})
        return response.status_code, response.mimetype, response.data
    url = request.getfixturevalue(kind.server).url + kind.path
    sent = urllib.request.Request(url, headers={"Accept": BROWSER})  # noqa: S310
    try:
        with urllib.request.urlopen(sent, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.headers.get_content_type(), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_page_has_a_title_a_lead_and_a_way_back(
    request: pytest.FixtureRequest, kind: PageKind
) -> None:
    status, mimetype, body = _get(request, kind)
    assert (status, mimetype) == (kind.status, "text/html")
    page = BeautifulSoup(body, "html.parser")
    assert page.title is not None and page.title.get_text().strip()
    lead = page.select_one("p.lead")
    assert lead is not None and len(lead.get_text().split()) >= 6
    back = page.find("a", string="The article")
    assert back is not None and back["href"] == "/article"


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_no_internal_words_on_pages(request: pytest.FixtureRequest, kind: PageKind) -> None:
    page = BeautifulSoup(_get(request, kind)[2], "html.parser")
    for hidden in page(["script", "style"]):
        hidden.extract()
    words = page.get_text(" ") + " ".join(str(a.get("title", "")) for a in page.find_all(True))
    assert INTERNAL.findall(words) == []


def test_no_internal_words_in_the_labels_pages_show() -> None:
    dataset = load_dataset()
    shown = dataset.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX nk: <https://w3id.org/nkgraph/ontology#> "
        "SELECT ?text WHERE { ?s ?p ?text FILTER(isLiteral(?text)) "
        "FILTER(?p IN (rdfs:label, skos:prefLabel, skos:definition, rdfs:comment, nk:rule)) }"
    )
    assert [str(row[0]) for row in shown if INTERNAL.search(str(row[0]))] == []  # type: ignore[index]
