"""Every kind of page speaks to its reader: a title, a line that says what the page shows,
a way back to the article, and no word of the project's own making."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_page_has_a_title_a_lead_and_a_way_back(client: FlaskClient, kind: PageKind) -> None:
    response = client.get(kind.path, headers={"Accept": BROWSER})
    assert (response.status_code, response.mimetype) == (kind.status, "text/html")
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title is not None and page.title.get_text().strip()
    lead = page.select_one("p.lead")
    assert lead is not None and len(lead.get_text().split()) >= 6
    back = page.find("a", string="The article")
    assert back is not None and back["href"] == "/article"


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_no_internal_words_on_pages(client: FlaskClient, kind: PageKind) -> None:
    page = BeautifulSoup(client.get(kind.path, headers={"Accept": BROWSER}).data, "html.parser")
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
