"""The W3C Reconciliation Service API at /reconcile, with the protocol's request and response shapes."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nkgraph.web import create_app


@pytest.fixture(scope="module")
def shipped() -> FlaskClient:
    app: Flask = create_app()
    app.testing = True
    return app.test_client()


def test_manifest(shipped: FlaskClient) -> None:
    response = shipped.get("/reconcile")
    assert response.status_code == 200 and response.mimetype == "application/json"
    manifest = response.get_json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/nkgraph/id/"
    assert {t["name"] for t in manifest["defaultTypes"]} == {"Person", "Organization", "Place"}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_queries(shipped: FlaskClient, method: str) -> None:
    queries = {
        "q0": {"query": "Nikol Pashinyan", "type": "http://schema.org/Person", "limit": 3},
        "q1": {"query": "human rights watch"},
        "q2": {"query": "Armenia", "type": "http://schema.org/Place"},
    }
    data = {"queries": json.dumps(queries)}
    response = (
        shipped.get("/reconcile", query_string=data)
        if method == "GET"
        else shipped.post("/reconcile", data=data)
    )
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"q0", "q1", "q2"}
    top = body["q0"]["result"][0]
    assert top == {"id": "https://w3id.org/nkgraph/id/nikol-pashinyan", "name": "Nikol Pashinyan",
                   "type": [{"id": "http://schema.org/Person", "name": "Person"}], "score": 100.0, "match": True}  # fmt: skip
    assert body["q1"]["result"][0]["id"] == "https://w3id.org/nkgraph/id/human-rights-watch"
    assert body["q2"]["result"][0]["id"] == "https://w3id.org/nkgraph/id/armenia"
    assert len(body["q0"]["result"]) <= 3


def test_unnamed_groups_and_statements_are_not_candidates(shipped: FlaskClient) -> None:
    body = shipped.get(
        "/reconcile", query_string={"queries": json.dumps({"q": {"query": "Armenian officials"}})}
    ).get_json()
    assert all("karabakh-exodus-2023/" not in r["id"] for r in body["q"]["result"])


def test_bad_queries(shipped: FlaskClient) -> None:
    response = shipped.get(
        "/reconcile", query_string={"queries": "{not json"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
