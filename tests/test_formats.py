"""Format registry and Accept negotiation (RFC 9110 section 12.5.1)."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from nkgraph.errors import NotAcceptable
from nkgraph.formats import (
    ALL_FORMATS,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    MediaRange,
    from_name,
    negotiate,
    parse_accept,
)


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        pytest.param(None, RESULT_FORMATS, "json", id="absent"),
        pytest.param("", RESULT_FORMATS, "json", id="empty"),
        pytest.param("*/*", GRAPH_FORMATS, "turtle", id="any-graph"),
        pytest.param("application/sparql-results+xml", RESULT_FORMATS, "xml", id="exact"),
        pytest.param("text/*", RESULT_FORMATS, "csv", id="type-wildcard-ignores-aliases"),
        pytest.param("text/xml", RESULT_FORMATS, "xml", id="alias-exact"),
        pytest.param("text/csv;q=0.4, text/tab-separated-values;q=0.9", RESULT_FORMATS, "tsv", id="q-values"),
        pytest.param("text/*;q=0.1, text/csv", RESULT_FORMATS, "csv", id="specific-beats-wildcard"),
        pytest.param("*/*;q=0.1, application/sparql-results+json;q=0", RESULT_FORMATS, "xml", id="q-zero-excludes"),
        pytest.param("application/ld+json, */*;q=0.1", GRAPH_FORMATS, "jsonld", id="json-ld"),
        pytest.param("application/rdf+xml", GRAPH_FORMATS, "rdfxml", id="rdf-xml"),
        pytest.param("TEXT/TURTLE", GRAPH_FORMATS, "turtle", id="case-insensitive"),
        pytest.param("garbage, text/csv", RESULT_FORMATS, "csv", id="malformed-skipped"),
        pytest.param("text/csv;q=abc, text/tab-separated-values;q=0.5", RESULT_FORMATS, "tsv", id="bad-q-is-zero"),
    ],
)  # fmt: skip
def test_negotiate(accept: str | None, offers: tuple[object, ...], expected: str) -> None:
    assert negotiate(accept, offers).name == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("accept", ["image/png", "text/html", "application/json;q=0, text/csv;q=0"])
def test_not_acceptable_names_offers(accept: str) -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(accept, RESULT_FORMATS)
    assert caught.value.offers == tuple(f.media_type for f in RESULT_FORMATS)
    assert "text/tab-separated-values" in str(caught.value)


def test_parse_accept() -> None:
    assert parse_accept("text/*;q=0.3, text/csv;charset=utf-8") == [
        MediaRange("text", "*", 0.3),
        MediaRange("text", "csv", 1.0),
    ]


@pytest.mark.parametrize(
    ("value", "offers", "expected"),
    [
        ("json", RESULT_FORMATS, "json"),
        ("json", GRAPH_FORMATS, "jsonld"),
        ("xml", GRAPH_FORMATS, "rdfxml"),
        ("ttl", GRAPH_FORMATS, "turtle"),
        ("n3", GRAPH_FORMATS, "turtle"),
        ("application/n-triples", GRAPH_FORMATS, "ntriples"),
        (" CSV ", RESULT_FORMATS, "csv"),
    ],
)
def test_from_name(value: str, offers: tuple[object, ...], expected: str) -> None:
    assert from_name(value, offers).name == expected  # type: ignore[arg-type]


def test_from_name_unknown() -> None:
    with pytest.raises(NotAcceptable, match="turtle"):
        from_name("csv", GRAPH_FORMATS)


def test_registry_is_consistent() -> None:
    names = [f.name for f in ALL_FORMATS]
    assert len(set(names)) == len(names)
    for fmt in ALL_FORMATS:
        assert fmt.iri.startswith("http://www.w3.org/ns/formats/")
        assert fmt.content_type == f"{fmt.media_type}; charset=utf-8"
