"""ETag, Last-Modified, 304 on revalidation, and the result cache."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.web import create_app, service_state

QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"


@pytest.fixture
def cached_app(settings: Settings, dataset: Dataset) -> Flask:
    return create_app(dataclasses.replace(settings, result_cache=8), dataset=dataset)


def get(app: Flask, query: str = QUERY, **headers: str):  # type: ignore[no-untyped-def]
    return app.test_client().get("/sparql", query_string={"query": query}, headers=headers)


def test_answer_carries_validators(app: Flask) -> None:
    response = get(app)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"]


def test_revalidation_is_304_without_evaluating(app: Flask) -> None:
    tag = get(app).headers["ETag"]
    with app.app_context():
        engine = service_state().engine
    calls = []
    original = engine.run
    engine.run = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
    response = get(app, **{"If-None-Match": tag})
    assert (response.status_code, response.data, calls) == (304, b"", [])
    assert response.headers["ETag"] == tag


@pytest.mark.parametrize(
    ("other", "headers"),
    [
        pytest.param("SELECT ?s WHERE { ?s ?p ?o } LIMIT 4", {}, id="another-query"),
        pytest.param(QUERY, {"Accept": "text/csv"}, id="another-format"),
    ],
)
def test_tag_follows_the_request(app: Flask, other: str, headers: dict[str, str]) -> None:
    assert get(app).headers["ETag"] != get(app, other, **headers).headers["ETag"]


def test_layout_does_not_matter(app: Flask) -> None:
    spaced = "SELECT ?s\n  WHERE {\n ?s ?p ?o   # any\n } LIMIT 3"
    assert get(app).headers["ETag"] == get(app, spaced).headers["ETag"]


def test_a_new_load_is_a_new_version(settings: Settings, dataset: Dataset) -> None:
    first, second = create_app(settings, dataset=dataset), create_app(settings, dataset=dataset)
    assert get(first).headers["ETag"] != get(second).headers["ETag"]


@pytest.mark.parametrize("query", ["SELECT (NOW() AS ?t) {}", "SELECT (RAND() AS ?r) {}"])
def test_volatile_functions_are_not_tagged(app: Flask, query: str) -> None:
    response = get(app, query)
    assert response.status_code == 200
    assert "ETag" not in response.headers


def test_cache_serves_the_same_answer_once_evaluated(cached_app: Flask) -> None:
    first = get(cached_app)
    with cached_app.app_context():
        engine = service_state().engine
    engine.run = None  # type: ignore[assignment,method-assign]  # a cache miss would fail
    second = get(cached_app)
    assert (second.status_code, second.data) == (200, first.data)
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["ETag"] == first.headers["ETag"]
