"""SERVICE to an allow-listed endpoint: a local stand-in SPARQL endpoint on the allow-list."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from standin import Reply, StandIn

from nkgraph.config import Settings
from nkgraph.model.loading import load_dataset
from nkgraph.web import create_app

DATA = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
<http://example.org/armenia> a schema:Country ; skos:exactMatch <http://www.wikidata.org/entity/Q399> .
<http://example.org/azerbaijan> a schema:Country ; skos:exactMatch <http://www.wikidata.org/entity/Q227> .
"""
QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?country ?population WHERE {
  ?country a schema:Country ; skos:exactMatch ?item .
  SERVICE%s <%s> { ?item wdt:P1082 ?population . }
} ORDER BY ?country"""


def results(*rows: tuple[str, str]) -> Reply:
    bindings = [
        {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/" + q},
         "population": {"type": "literal", "value": n, "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}
        for q, n in rows
    ]  # fmt: skip
    body = {"head": {"vars": ["item", "population"]}, "results": {"bindings": bindings}}
    return Reply(200, json.dumps(body), "application/sparql-results+json")


@pytest.fixture
def client(standin: StandIn, tmp_path: Path) -> FlaskClient:
    data = tmp_path / "data.trig"
    data.write_text(DATA, encoding="utf-8")
    settings = Settings(
        data=(data,), service_allowlist=(standin.sparql_url,), service_timeout=1.0,
        user_agent="nkgraph-tests/1 (federation)",
    )  # fmt: skip
    app = create_app(settings, dataset=load_dataset([data]))
    app.testing = True
    return app.test_client()


def ask(client: FlaskClient, standin: StandIn, silent: bool = False):  # type: ignore[no-untyped-def]
    query = QUERY % (" SILENT" if silent else "", standin.sparql_url)
    return client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )


def test_service_joins_remote_results(client: FlaskClient, standin: StandIn) -> None:
    standin.sparql.append(results(("Q399", "2930450")))
    response = ask(client, standin)
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = response.get_json()["results"]["bindings"]
    assert [(r["country"]["value"], r["population"]["value"]) for r in rows] == [
        ("http://example.org/armenia", "2930450")
    ]
    sent = standin.requests[0]
    assert sent.headers["User-Agent"] == "nkgraph-tests/1 (federation)"
    # the local items are bound before asking (a bind join): only this graph's items are sent
    assert "VALUES (?item)" in sent.params["query"] and "entity/Q227>" in sent.params["query"]


@pytest.mark.parametrize(
    ("reply", "status", "words"),
    [
        (Reply(500, "boom", "text/plain"), 502, "answered HTTP 500"),
        (Reply(200, "<html/>", "text/html"), 502, "not SPARQL JSON"),
        (Reply(200, "{}", delay=3.0), 504, "did not answer within 1 s"),
    ],
    ids=["server-error", "not-json", "timeout"],
)
def test_service_failure(
    client: FlaskClient, standin: StandIn, reply: Reply, status: int, words: str
) -> None:
    standin.sparql.append(reply)
    response = ask(client, standin)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert words in response.get_json()["detail"]


def test_service_silent_goes_on(client: FlaskClient, standin: StandIn) -> None:
    standin.sparql.append(Reply(500, "boom", "text/plain"))
    response = ask(client, standin, silent=True)
    assert response.status_code == 200
    assert len(response.get_json()["results"]["bindings"]) == 2


def test_wikidata_is_allowed_by_default() -> None:
    assert Settings().service_allowlist == ("https://query.wikidata.org/sparql",)
