"""Downloads and the Graph Store Protocol's read side: status, content type and parsed body.

https://www.w3.org/TR/sparql11-http-rdf-update/ (indirect graph identification, GET and
HEAD; this service is read-only).
"""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from pyld import jsonld
from rdfcompare import assert_isomorphic, parse_as, union
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from nkgraph.export.dataset import context_document
from nkgraph.formats import EXPORT_FORMATS, Format

PEOPLE = "http://example.org/people"
FORMAT_IDS = [fmt.name for fmt in EXPORT_FORMATS]


def one_graph(dataset: Dataset, name: str) -> Graph:
    graph = Graph()
    for triple in dataset.graph(name):  # type: ignore[arg-type]
        graph.add(triple)
    return graph


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMAT_IDS)
def test_download_each_format(client: FlaskClient, dataset: Dataset, fmt: Format) -> None:
    response = client.get(f"/download/nkgraph.{fmt.extension}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="nkgraph.{fmt.extension}"'
    )
    parsed = parse_as(response.data, fmt)
    assert_isomorphic(union(dataset), union(parsed))
    if fmt.holds_datasets:
        names = {
            str(g.identifier) for g in parsed.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID
        }
        assert PEOPLE in names


def test_download_entities_jsonld(client: FlaskClient, dataset: Dataset) -> None:
    response = client.get("/download/nkgraph-entities.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    nquads = jsonld.to_rdf(json.loads(response.data), {"format": "application/n-quads"})
    parsed = Dataset()
    parsed.parse(data=nquads, format="nquads")
    assert_isomorphic(union(dataset), union(parsed))


def test_unknown_download_is_404(client: FlaskClient) -> None:
    response = client.get("/download/nkgraph.xls")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMAT_IDS)
def test_graph_store_named_graph_by_accept(
    client: FlaskClient, dataset: Dataset, fmt: Format
) -> None:
    response = client.get(
        "/graph", query_string={"graph": PEOPLE}, headers={"Accept": fmt.media_type}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    assert "Accept" in response.headers["Vary"]
    assert_isomorphic(one_graph(dataset, PEOPLE), union(parse_as(response.data, fmt)))


def test_graph_store_default_graph_is_the_union(client: FlaskClient, dataset: Dataset) -> None:
    response = client.get("/graph?default")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert_isomorphic(union(dataset), union(parse_as(response.data, EXPORT_FORMATS[0])))


def test_graph_store_head(client: FlaskClient) -> None:
    get = client.get("/graph?default")
    head = client.head("/graph?default")
    assert head.status_code == 200
    assert head.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(get.data))


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        pytest.param("", 400, "name the graph", id="neither"),
        pytest.param(f"default&graph={PEOPLE}", 400, "not both", id="both"),
        pytest.param(f"graph={PEOPLE}&graph={PEOPLE}", 400, "exactly one", id="graph-twice"),
        pytest.param(
            "graph=http://example.org/nothing", 404, "has no graph named", id="unknown-graph"
        ),
    ],
)
def test_graph_store_errors(client: FlaskClient, query: str, status: int, says: str) -> None:
    response = client.get(f"/graph?{query}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert says in response.get_json()["detail"]


def test_graph_store_not_acceptable(client: FlaskClient) -> None:
    response = client.get("/graph?default", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "text/turtle" in response.data.decode()


def test_context_is_served(client: FlaskClient) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response.get_json() == context_document()
