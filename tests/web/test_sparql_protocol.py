"""The SPARQL 1.1 Protocol, rule by rule: status, content type and parsed body each.

https://www.w3.org/TR/sparql11-protocol/ (query operation), RFC 9110 (negotiation),
RFC 9457 (problem details).
"""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import csv
import io
import json
import socket
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdfcompare import assert_isomorphic
from rdflib import Graph, Literal, Namespace, URIRef
from werkzeug.test import TestResponse

from nkgraph.config import Settings
from nkgraph.web import create_app

EX = Namespace("http://example.org/")
SRX = "{http://www.w3.org/2005/sparql-results#}"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

PEOPLE = (
    "PREFIX ex: <http://example.org/> SELECT ?who ?age WHERE { ?who ex:age ?age } ORDER BY ?age"
)
ASK_TRUE = "ASK { <http://example.org/alice> ?p ?o }"
CONSTRUCT = (
    "PREFIX ex: <http://example.org/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
    "CONSTRUCT { ?a foaf:knows ?b } WHERE { ?a foaf:knows ?b FILTER isIRI(?b) }"
)
KNOWS = [(EX.alice, EX.bob), (EX.bob, EX.carol)]


def knows_graph() -> Graph:
    graph = Graph()
    for a, b in KNOWS:
        graph.add((a, URIRef("http://xmlns.com/foaf/0.1/knows"), b))
    return graph


def get(client: FlaskClient, query: str | None = None, **kwargs: Any) -> TestResponse:
    params = dict(kwargs.pop("params", {}))
    if query is not None:
        params["query"] = query
    return client.get("/sparql", query_string=params, **kwargs)


def media_type(response: TestResponse) -> str:
    return response.headers["Content-Type"].split(";")[0]


# --- SELECT in every results format -------------------------------------------------


def rows_json(body: bytes) -> list[tuple[str, str]]:
    document = json.loads(body)
    assert document["head"]["vars"] == ["who", "age"]
    return [(b["who"]["value"], b["age"]["value"]) for b in document["results"]["bindings"]]


def rows_xml(body: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(body)  # noqa: S314 (our own output)
    names = [v.get("name") for v in root.iter(SRX + "variable")]
    assert names == ["who", "age"]
    rows = []
    for result in root.iter(SRX + "result"):
        values = {b.get("name"): "".join(b.itertext()) for b in result.iter(SRX + "binding")}
        rows.append((values["who"], values["age"]))
    return rows


def rows_csv(body: bytes) -> list[tuple[str, str]]:
    table = list(csv.reader(io.StringIO(body.decode())))
    assert table[0] == ["who", "age"]
    return [(who, age) for who, age in table[1:]]


def rows_tsv(body: bytes) -> list[tuple[str, str]]:
    lines = body.decode().splitlines()
    assert lines[0].split("\t") == ["?who", "?age"]
    rows = []
    for line in lines[1:]:
        who, age = line.split("\t")
        lexical = age.split('"')[1] if age.startswith('"') else age  # "30"^^<...> or 30
        rows.append((who.strip("<>"), lexical))
    return rows


EXPECTED_ROWS = [("http://example.org/alice", "30"), ("http://example.org/bob", "42")]


@pytest.mark.parametrize(
    ("accept", "expected_type", "parse"),
    [
        pytest.param("application/sparql-results+json", "application/sparql-results+json", rows_json, id="json"),
        pytest.param("application/sparql-results+xml", "application/sparql-results+xml", rows_xml, id="xml"),
        pytest.param("text/csv", "text/csv", rows_csv, id="csv"),
        pytest.param("text/tab-separated-values", "text/tab-separated-values", rows_tsv, id="tsv"),
        pytest.param("application/json", "application/sparql-results+json", rows_json, id="plain-json"),
        pytest.param(None, "application/sparql-results+json", rows_json, id="no-accept"),
        pytest.param("*/*", "application/sparql-results+json", rows_json, id="any"),
        pytest.param("text/*", "text/csv", rows_csv, id="text-wildcard"),
        pytest.param("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values", rows_tsv, id="q-values"),
        pytest.param("text/*;q=0.2, text/csv;q=0", "text/tab-separated-values", rows_tsv, id="q-zero-excludes"),
        # A browser (text/html first) gets an HTML table: tests/web/test_sparql_html.py.
        pytest.param("application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml", rows_xml, id="application-xml"),
    ],
)  # fmt: skip
def test_select_results_by_accept(
    client: FlaskClient, accept: str | None, expected_type: str, parse: Any
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = get(client, PEOPLE, headers=headers)
    assert response.status_code == 200
    assert media_type(response) == expected_type
    assert "Accept" in response.headers["Vary"]
    assert parse(response.data) == EXPECTED_ROWS


@pytest.mark.parametrize(
    ("fmt", "expected_type", "parse"),
    [
        ("json", "application/sparql-results+json", rows_json),
        ("xml", "application/sparql-results+xml", rows_xml),
        ("csv", "text/csv", rows_csv),
        ("tsv", "text/tab-separated-values", rows_tsv),
        ("text/csv", "text/csv", rows_csv),
    ],
)
def test_format_parameter_overrides_accept(
    client: FlaskClient, fmt: str, expected_type: str, parse: Any
) -> None:
    response = get(
        client,
        PEOPLE,
        params={"format": fmt},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert media_type(response) == expected_type
    assert parse(response.data) == EXPECTED_ROWS


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [("json", rows_json), ("xml", rows_xml), ("csv", rows_csv), ("tsv", rows_tsv)],
)
def test_either_writer_gives_the_same_rows(client: FlaskClient, fmt: str, parse: Any) -> None:
    # With a LIMIT under the row cap pyoxigraph writes the rows; without, the service does.
    for query in (PEOPLE, PEOPLE + " LIMIT 10"):
        response = get(client, query, params={"format": fmt})
        assert response.status_code == 200
        assert parse(response.data) == EXPECTED_ROWS
    with_limit = get(client, PEOPLE + " LIMIT 10", params={"format": "json"})
    assert with_limit.data == get(client, PEOPLE, params={"format": "json"}).data


def test_select_json_terms(client: FlaskClient) -> None:
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { ?x rdfs:label ?l } ORDER BY ?l"
    response = get(client, query)
    assert response.status_code == 200
    values = [b["l"] for b in response.json["results"]["bindings"]]  # type: ignore[index]
    assert {"type": "literal", "value": "Bob", "xml:lang": "en"} in values
    assert {"type": "literal", "value": "Alice"} in values
    assert {"type": "literal", "value": 'Carol "C" Tab\there'} in values


# --- ASK ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected_type", "read"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["boolean"]),
        ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: ET.fromstring(b).find(SRX + "boolean").text == "true"),  # noqa: S314
        ("text/csv", "text/csv", lambda b: b.strip() == b"true"),
        ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.strip() == b"true"),
    ],
)  # fmt: skip
def test_ask(client: FlaskClient, accept: str, expected_type: str, read: Any) -> None:
    response = get(client, ASK_TRUE, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == expected_type
    assert read(response.data) is True


def test_ask_false(client: FlaskClient) -> None:
    response = get(client, "ASK { <http://example.org/nobody> ?p ?o }")
    assert response.status_code == 200
    assert response.json == {"head": {}, "boolean": False}


# --- CONSTRUCT and DESCRIBE --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
        ("application/sparql-results+json, text/turtle;q=0.1", "text/turtle", "turtle"),
    ],
)
def test_construct_by_accept(
    client: FlaskClient, accept: str, expected_type: str, rdflib_format: str
) -> None:
    response = get(client, CONSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == expected_type
    assert_isomorphic(knows_graph(), Graph().parse(data=response.data, format=rdflib_format))


def test_describe(client: FlaskClient) -> None:
    response = get(client, "DESCRIBE <http://example.org/paris>", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (EX.paris, EX.population, Literal(2102650)) in graph


# --- the three ways of sending a query -----------------------------------------------


def test_post_form(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": PEOPLE}, content_type=FORM)
    assert response.status_code == 200
    assert media_type(response) == "application/sparql-results+json"
    assert rows_json(response.data) == EXPECTED_ROWS


def test_post_direct(client: FlaskClient) -> None:
    response = client.post("/sparql", data=PEOPLE.encode(), content_type=DIRECT)
    assert response.status_code == 200
    assert rows_json(response.data) == EXPECTED_ROWS


def test_post_direct_with_charset(client: FlaskClient) -> None:
    response = client.post("/sparql", data=PEOPLE.encode(), content_type=DIRECT + "; charset=UTF-8")
    assert response.status_code == 200
    assert rows_json(response.data) == EXPECTED_ROWS


# --- the dataset ----------------------------------------------------------------------


GRAPH_OF_LABEL = (
    'SELECT ?g WHERE { GRAPH ?g { ?x <http://www.w3.org/2000/01/rdf-schema#label> "Alice" } }'
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(response: TestResponse) -> int:
    assert response.status_code == 200, response.data
    return int(response.json["results"]["bindings"][0]["n"]["value"])  # type: ignore[index]


def test_default_graph_is_the_union_of_all_graphs(client: FlaskClient) -> None:
    response = get(
        client, "ASK { <http://example.org/alice> ?p ?o . <http://example.org/paris> ?q ?r }"
    )
    assert response.json["boolean"] is True  # type: ignore[index]


def test_default_graph_uri(client: FlaskClient) -> None:
    response = get(client, COUNT, params={"default-graph-uri": "http://example.org/places"})
    assert count(response) == 5


def test_default_graph_uri_twice_merges(client: FlaskClient) -> None:
    params = {"default-graph-uri": ["http://example.org/places", "http://example.org/metadata"]}
    assert count(get(client, COUNT, params=params)) == 10


def test_named_graph_uri(client: FlaskClient) -> None:
    response = get(client, GRAPH_OF_LABEL, params={"named-graph-uri": "http://example.org/places"})
    assert response.status_code == 200
    assert response.json["results"]["bindings"] == []  # type: ignore[index]
    response = get(client, GRAPH_OF_LABEL, params={"named-graph-uri": "http://example.org/people"})
    assert response.json["results"]["bindings"][0]["g"]["value"] == "http://example.org/people"  # type: ignore[index]


def test_from_in_query(client: FlaskClient) -> None:
    response = get(
        client, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/places> WHERE { ?s ?p ?o }"
    )
    assert count(response) == 5


@pytest.mark.parametrize(
    ("query", "params"),
    [
        pytest.param(COUNT, {"default-graph-uri": "{far}data.ttl"}, id="default-graph-uri"),
        pytest.param(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"named-graph-uri": "{far}data.ttl"},
            id="named-graph-uri",
        ),
        pytest.param(
            "SELECT (COUNT(*) AS ?n) FROM <{far}data.ttl> WHERE { ?s ?p ?o }", {}, id="FROM"
        ),
        pytest.param(
            "SELECT (COUNT(*) AS ?n) FROM NAMED <{far}data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
            {},
            id="FROM-NAMED",
        ),
    ],
)
def test_graphs_not_held_are_read_as_empty_and_not_fetched(
    client: FlaskClient, listener: socket.socket, query: str, params: dict[str, str]
) -> None:
    # The graph's IRI points at a local listener: a fetch would connect to it.
    far = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    params = {k: v.replace("{far}", far) for k, v in params.items()}
    response = get(client, query.replace("{far}", far), params=params, headers=JSON)
    assert count(response) == 0
    assert response.headers.get_all("NkGraph-Warning") == [
        f"graph <{far}data.ttl> is not in this dataset; it was read as empty"
    ]
    assert not connected(listener)


def test_graphs_held_give_no_warning(client: FlaskClient) -> None:
    response = get(client, COUNT, params={"default-graph-uri": EX + "people"}, headers=JSON)
    assert count(response) > 0
    assert "NkGraph-Warning" not in response.headers


def test_each_missing_graph_is_named_once(client: FlaskClient) -> None:
    response = get(
        client,
        "ASK {}",
        params={
            "default-graph-uri": ["http://a.example/", EX + "people"],
            "named-graph-uri": ["http://b.example/é", "http://a.example/"],
        },
        headers=JSON,
    )
    assert response.json == {"head": {}, "boolean": True}
    assert response.headers.get_all("NkGraph-Warning") == [
        "graph <http://a.example/> is not in this dataset; it was read as empty",
        "graph <http://b.example/%C3%A9> is not in this dataset; it was read as empty",
    ]


# --- errors -----------------------------------------------------------------------------


def problem(response: TestResponse) -> dict[str, Any]:
    assert media_type(response) == "application/problem+json"
    body: dict[str, Any] = json.loads(response.data)
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == response.status_code
    return body


JSON = {"Accept": "application/json"}


def test_syntax_error_gives_message_and_position(client: FlaskClient) -> None:
    response = get(client, "SELECT * WHERE {\n  ?s ?p \n}", headers=JSON)
    assert response.status_code == 400
    body = problem(response)
    # The position is pyoxigraph's (its parser's farthest failure).
    assert body["line"] == 3
    assert isinstance(body["column"], int)
    assert f"line 3, column {body['column']}" in body["detail"]


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "words"),
    [
        pytest.param("get", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "2 times", id="query-twice-get"),
        pytest.param("post", {"data": "query=ASK%7B%7D&query=ASK%7B%7D", "content_type": FORM}, 400, "2 times", id="query-twice-form"),
        pytest.param("post", {"query_string": {"query": "ASK {}"}, "data": "query=ASK%7B%7D", "content_type": FORM}, 400, "both in the URL and in the body", id="url-and-form"),
        pytest.param("post", {"query_string": {"query": "ASK {}"}, "data": "ASK {}", "content_type": DIRECT}, 400, "both in the URL and in the body", id="url-and-direct"),
        pytest.param("post", {"data": "ASK {}", "content_type": "text/plain"}, 415, "application/sparql-query", id="unknown-body-type"),
        pytest.param("post", {"data": "ASK {}"}, 400, "no Content-Type", id="no-body-type"),
        pytest.param("post", {"data": "ASK {}".encode("utf-16"), "content_type": DIRECT + "; charset=UTF-16"}, 415, "UTF-8", id="utf-16"),
        pytest.param("post", {"data": b"ASK { ?s ?p \xff }", "content_type": DIRECT}, 400, "not UTF-8", id="not-utf-8"),
        pytest.param("post", {"data": "", "content_type": FORM}, 400, "no query", id="form-without-query"),
        pytest.param("get", {"query_string": {"update": "CLEAR ALL"}}, 403, "read-only", id="update-param-get"),
        pytest.param("post", {"data": "update=CLEAR%20ALL", "content_type": FORM}, 403, "read-only", id="update-form"),
        pytest.param("post", {"data": "CLEAR ALL", "content_type": "application/sparql-update"}, 403, "read-only", id="update-direct"),
        pytest.param("get", {"query_string": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403, "read-only", id="update-as-query"),
        pytest.param("get", {"query_string": {"query": "PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }"}}, 403, "read-only", id="update-after-prologue"),
        pytest.param("get", {"query_string": {"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}}, 400, "SERVICE <http://example.org/sparql> is refused", id="service"),
        pytest.param("get", {"query_string": {"query": "SELECT * { SERVICE SILENT ?where { ?s ?p ?o } }"}}, 400, "SERVICE ?where is refused", id="service-variable"),
        pytest.param("get", {"query_string": {"query": "ASK {}", "timeout": "soon"}}, 400, "timeout", id="bad-timeout"),
        pytest.param("get", {"query_string": {"query": "ASK {}", "timeout": "-1"}}, 400, "timeout", id="negative-timeout"),
        pytest.param("get", {"query_string": {"query": "SELECT * {}", "format": "text/turtle"}}, 406, "format=text/turtle", id="format-not-offered"),
        pytest.param("get", {"query_string": {"query": "SELECT * {}"}, "headers": {"Accept": "text/turtle"}}, 406, "application/sparql-results+json", id="accept-not-offered"),
        pytest.param("get", {"query_string": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "headers": {"Accept": "text/csv, application/json;q=0"}}, 406, "text/turtle", id="accept-not-offered-graph"),
    ],
)  # fmt: skip
def test_error(
    client: FlaskClient, method: str, kwargs: dict[str, Any], status: int, words: str
) -> None:
    headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
    response = getattr(client, method)("/sparql", headers=headers, **kwargs)
    assert response.status_code == status
    if "json" in headers["Accept"] and "application/json;q=0" not in headers["Accept"]:
        assert words in problem(response)["detail"]
    else:
        assert words in response.data.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_is_405_with_allow(client: FlaskClient, method: str) -> None:
    response = getattr(client, method)("/sparql", headers=JSON)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    problem(response)


def test_not_acceptable_lists_offers(client: FlaskClient) -> None:
    response = get(client, "SELECT * {}", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert media_type(response) == "text/plain"
    for offer in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ):
        assert offer in response.data.decode()


@pytest.fixture
def small_limits(dataset: Any) -> FlaskClient:
    settings = Settings(max_body_size=200, max_query_length=100, max_rows=2)
    return create_app(settings, dataset=dataset).test_client()


def test_body_too_large(small_limits: FlaskClient) -> None:
    response = small_limits.post(
        "/sparql", data="ASK {}" + " " * 300, content_type=DIRECT, headers=JSON
    )
    assert response.status_code == 413
    assert "at most 200" in problem(response)["detail"]


def test_query_too_long(small_limits: FlaskClient) -> None:
    response = get(small_limits, "ASK {" + " " * 100 + "}", headers=JSON)
    assert response.status_code == 413
    assert "at most 100" in problem(response)["detail"]


def test_cut_result_says_so(small_limits: FlaskClient) -> None:
    response = get(small_limits, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert response.headers["NkGraph-Truncated"] == "max-rows=2"
    body = response.json
    assert body["truncated"] is True  # type: ignore[index]
    assert len(body["results"]["bindings"]) == 2  # type: ignore[index]


def test_cut_csv_says_so_in_header(small_limits: FlaskClient) -> None:
    response = get(small_limits, "SELECT * WHERE { ?s ?p ?o }", headers={"Accept": "text/csv"})
    assert response.headers["NkGraph-Truncated"] == "max-rows=2"
    assert len(list(csv.reader(io.StringIO(response.data.decode())))) == 3


def test_whole_result_has_no_marker(small_limits: FlaskClient) -> None:
    response = get(small_limits, "SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    assert "NkGraph-Truncated" not in response.headers
    assert "truncated" not in response.json  # type: ignore[operator]


def test_cut_construct(small_limits: FlaskClient) -> None:
    response = get(
        small_limits, "CONSTRUCT WHERE { ?s ?p ?o }", headers={"Accept": "application/n-triples"}
    )
    assert response.headers["NkGraph-Truncated"] == "max-rows=2"
    assert len(Graph().parse(data=response.data, format="nt")) == 2


# --- error bodies by client -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected_type"),
    [
        ("application/json", "application/problem+json"),
        ("application/problem+json", "application/problem+json"),
        ("application/sparql-results+json", "application/problem+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("*/*", "text/plain"),
        ("", "text/plain"),
        ("text/csv", "text/plain"),
    ],
)
def test_error_body_follows_accept(client: FlaskClient, accept: str, expected_type: str) -> None:
    response = get(client, "SELECT ?", headers={"Accept": accept})
    assert response.status_code == 400
    assert media_type(response) == expected_type
    assert "not valid SPARQL" in response.data.decode()


def test_error_page_for_browsers(client: FlaskClient) -> None:
    from bs4 import BeautifulSoup

    response = get(client, "SELECT ?", headers={"Accept": "text/html"})
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1 is not None
    assert page.h1.get_text() == "400 Bad Request"
    detail = page.find(class_="detail")
    assert detail is not None
    assert "not valid SPARQL" in detail.get_text()


def test_unexpected_failure_is_logged_500_and_service_goes_on(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = app.extensions["nkgraph"].engine

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "run", broken)
        response = get(client, "ASK {}", headers=JSON)
    assert response.status_code == 500
    assert "disk on fire" not in response.data.decode()
    assert problem(response)["title"] == "Internal Server Error"
    assert any("disk on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)
    assert get(client, "ASK {}").status_code == 200


# --- CORS ----------------------------------------------------------------------------------


def test_cors_simple_request(client: FlaskClient) -> None:
    response = get(client, "ASK {}", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_preflight(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_cors_on_errors_too(client: FlaskClient) -> None:
    response = get(client, "SELECT ?", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ((), "https://a.example", None),
        (("https://a.example",), "https://a.example", "https://a.example"),
        (("https://a.example",), "https://b.example", None),
    ],
)
def test_cors_configured(
    dataset: Any, origins: tuple[str, ...], origin: str, allowed: str | None
) -> None:
    client = create_app(Settings(cors_origins=origins), dataset=dataset).test_client()
    response = get(client, "ASK {}", headers={"Origin": origin})
    assert response.headers.get("Access-Control-Allow-Origin") == allowed


# --- timeout --------------------------------------------------------------------------------


def test_client_may_ask_for_a_shorter_timeout(client: FlaskClient) -> None:
    # Finite but slow (about 10^8 solutions), so the abandoned thread ends by itself.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = get(client, slow, params={"timeout": "0.2"}, headers=JSON)
    assert response.status_code == 503
    body = problem(response)
    assert body["timeout"] == 0.2
    assert "stopped after 0.2 s" in body["detail"]
    assert get(client, "ASK {}").status_code == 200


# --- SERVICE makes no connection ---------------------------------------------------------


@pytest.fixture
def listener() -> Any:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(1.0)
        yield server


def connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return False
    connection.close()
    return True


def test_service_not_allowed_makes_no_connection(
    client: FlaskClient, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = get(client, query, headers=JSON)
    assert response.status_code == 400
    assert "NKGRAPH_SERVICE_ALLOWLIST" in problem(response)["detail"]
    assert not connected(listener)


def test_service_hidden_behind_prefix_and_base_is_refused(
    client: FlaskClient, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    for query in (
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ service r:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SeRvIcE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment\n SERVICE\n<http://127.0.0.1:{port}/>{{?s ?p ?o}} }}",
    ):
        assert get(client, query).status_code == 400, query
    assert not connected(listener)


def test_allow_listed_service_is_called(dataset: Any, listener: socket.socket) -> None:
    # The counter-proof: the same query, allow-listed, does reach the listener.
    port = listener.getsockname()[1]
    target = f"http://127.0.0.1:{port}/"
    client = create_app(
        Settings(service_allowlist=(target,), query_timeout=3), dataset=dataset
    ).test_client()
    query = f"SELECT * WHERE {{ SERVICE SILENT <{target}sparql> {{ ?s ?p ?o }} }}"
    get(client, query)
    assert connected(listener)


def test_words_in_strings_and_iris_are_not_clauses(client: FlaskClient) -> None:
    query = (
        "PREFIX service: <http://example.org/service/> "
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" . ?s ?p <http://x/SERVICE> '
        "OPTIONAL { ?s service:from ?o } } # SERVICE <http://x/>"
    )
    response = get(client, query)
    assert response.status_code == 200
    assert response.json["results"]["bindings"] == []  # type: ignore[index]


@pytest.mark.parametrize(
    ("host", "script_root", "expected"),
    [
        ("localhost", "", "http://localhost/thing"),
        ("kg.example.org:8080", "", "http://kg.example.org:8080/thing"),
        ("kg.example.org", "/nk", "http://kg.example.org/nk/thing"),
    ],
)
def test_relative_iris_resolve_against_the_url_the_query_was_sent_to(
    client: FlaskClient, host: str, script_root: str, expected: str
) -> None:
    # The protocol's base IRI is the request's own URL, per host and mount point (the
    # service remembers those URLs, so each of these must still get its own).
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT ?x WHERE { BIND (<thing> AS ?x) }"},
        headers={"Accept": "application/sparql-results+json", "Host": host},
        environ_overrides={"SCRIPT_NAME": script_root},
    )
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["results"]["bindings"] == [{"x": {"type": "uri", "value": expected}}]
