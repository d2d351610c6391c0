"""Bad queries get a 400 that names what is wrong (issue #12): unknown functions, deep
nesting. The same over a real server, under both WSGI servers, is in
``test_live_robustness.py``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError, UnknownFunction
from nkgraph.sparql.engine import _query_error

JSON = {"Accept": "application/json"}
XSD = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


def problem(response: TestResponse) -> dict[str, Any]:
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = json.loads(response.data)
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize(
    ("query", "function"),
    [
        pytest.param(
            XSD + 'SELECT * { BIND(xsd:dateTimexsd:dateTime("x") AS ?d) }',
            "http://www.w3.org/2001/XMLSchema#dateTimexsd:dateTime",
            id="typo-in-bind",
        ),
        pytest.param(
            "PREFIX fn: <http://www.w3.org/2005/xpath-functons#>\n"
            'SELECT * { FILTER(fn:lower-case("A") = "a") }',
            "http://www.w3.org/2005/xpath-functons#lower-case",
            id="misspelt-prefix-iri-in-filter",
        ),
        pytest.param(
            "SELECT (<http://example.org/f>(1) AS ?x) {}",
            "http://example.org/f",
            id="in-select",
        ),
        pytest.param(
            "SELECT * { ?s ?p ?o } ORDER BY <http://example.org/f>(?o)",
            "http://example.org/f",
            id="in-order-by",
        ),
    ],
)
def test_unknown_function_is_a_400_naming_it(
    client: FlaskClient, query: str, function: str
) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 400
    body = problem(response)
    assert body["function"] == function
    assert f"<{function}>" in body["detail"]
    assert "spelling" in body["detail"]


def test_engine_failure_not_caused_by_the_query_stays_itself() -> None:
    failure = RuntimeError("the storage is corrupted")
    assert _query_error(failure, "ASK {}") is failure  # answered 500 and logged
    assert isinstance(
        _query_error(RuntimeError("The custom function <http://x/f> is not supported"), ""),
        UnknownFunction,
    )


DEEP = [
    pytest.param("SELECT * " + "{" * 10_000 + "}" * 10_000, id="groups"),
    pytest.param("ASK { FILTER(" + "(" * 10_000 + "true" + ")" * 10_000 + ") }", id="brackets"),
    pytest.param("ASK { FILTER(" + "!" * 10_000 + "true) }", id="negations"),
    pytest.param("ASK { ?s ?p " + "[ ?p " * 5_000 + "]" * 5_000 + " }", id="blank-nodes"),
]


@pytest.mark.parametrize("query", DEEP)
def test_deep_nesting_is_refused_before_parsing(client: FlaskClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query}, headers=JSON)
    assert response.status_code == 400
    body = problem(response)
    assert body["limit"] == 200
    assert "at most 200 levels" in body["detail"]
    assert "NKGRAPH_MAX_NESTING" in body["detail"]


def test_deep_nesting_is_refused_on_the_syntax_check_too(client: FlaskClient) -> None:
    """A query whose form cannot be told is only parsed to report its syntax error."""
    response = client.post("/sparql", data={"query": "{" * 10_000}, headers=JSON)
    assert response.status_code == 400
    assert "levels deep" in problem(response)["detail"]


def test_nesting_within_the_limit_is_answered(client: FlaskClient) -> None:
    query = "ASK " + "{" * 150 + "}" * 150
    response = client.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 200
    assert response.json == {"head": {}, "boolean": True}


def test_flat_chains_parse_on_the_engines_stack(client: FlaskClient) -> None:
    """3,000 UNIONs nest the parser as deep as 3,000 brackets; on the engine's threads
    they parse."""
    query = "SELECT * { " + " UNION ".join(["{}"] * 3_000) + " }"
    response = client.post("/sparql", data={"query": query}, headers=JSON)
    assert response.status_code == 200


def test_nesting_limit_is_a_setting() -> None:
    assert Settings.from_env({"NKGRAPH_MAX_NESTING": "50"}).max_nesting == 50
    with pytest.raises(ConfigurationError, match="at most 2,000"):
        Settings(max_nesting=100_000)
