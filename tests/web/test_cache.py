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


def counting(app: Flask) -> list[int]:
    """Count the engine's evaluations from now on."""
    with app.app_context():
        engine = service_state().engine
    calls: list[int] = []
    original = engine.run
    engine.run = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
    return calls


def test_cache_keeps_every_variant_apart(settings: Settings, dataset: Dataset) -> None:
    origins = dataclasses.replace(
        settings, result_cache=8, cors_origins=("https://a.example", "https://b.example")
    )
    app = create_app(origins, dataset=dataset)
    plain = get(app)
    csv = get(app, Accept="text/csv")
    from_a = get(app, Origin="https://a.example")
    calls = counting(app)
    assert get(app, Accept="text/csv").data == csv.data != plain.data
    assert get(app, Origin="https://b.example").headers["Access-Control-Allow-Origin"] == (
        "https://b.example"
    )
    again = get(app, Origin="https://a.example")
    assert again.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert again.data == from_a.data
    assert calls == [1]  # only the new origin was evaluated


def test_cache_serves_posts_by_body(cached_app: Flask) -> None:
    client = cached_app.test_client()

    def post(query: str) -> bytes:
        response = client.post(
            "/sparql", data=query, headers={"Content-Type": "application/sparql-query"}
        )
        assert response.status_code == 200
        return response.data

    first, other = post(QUERY), post("ASK {}")
    calls = counting(cached_app)
    assert (post(QUERY), post("ASK {}")) == (first, other)
    assert first != other
    assert calls == []


def test_cache_passes_revalidation_errors_and_volatile_answers(cached_app: Flask) -> None:
    tag = get(cached_app).headers["ETag"]
    calls = counting(cached_app)
    assert get(cached_app, **{"If-None-Match": tag}).status_code == 304
    assert get(cached_app, "SELECT * WHERE {").status_code == 400
    assert get(cached_app, "SELECT * WHERE {").status_code == 400
    volatile = "SELECT (STRUUID() AS ?id) {}"
    assert get(cached_app, volatile).data != get(cached_app, volatile).data
    assert len(calls) == 4  # the two errors and the two volatile answers


def test_cache_is_bounded(settings: Settings, dataset: Dataset, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nkgraph.web import response_cache

    app = create_app(dataclasses.replace(settings, result_cache=2), dataset=dataset)
    for limit in (1, 2, 3):
        get(app, f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {limit}")
    calls = counting(app)
    get(app, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    get(app, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")  # the oldest, pushed out
    assert calls == [1]
    monkeypatch.setattr(response_cache, "MAX_ENTRY_BYTES", 10)
    get(app, "ASK { ?s ?p ?o }")
    get(app, "ASK { ?s ?p ?o }")
    assert calls == [1, 1, 1]  # too large to keep
