"""What ``nkgraph serve --data`` serves, asked over HTTP of the real server (issue #12).

One-graph formats go into the default graph, TriG keeps its graphs, nothing is added
unless asked for, and a graph the dataset lacks is read as empty with a warning header.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from liveserver import LiveServer, start_server, stop_server

pytestmark = pytest.mark.live

FIVE_TRIPLES = """\
@prefix ex: <http://example.org/> .
ex:a ex:p 1 , 2 , 3 .
ex:b ex:q "x" .
ex:c ex:r ex:a .
"""
TRIG = """\
@prefix ex: <http://example.org/> .
ex:d ex:p "in the default graph" .
ex:g1 { ex:a ex:p 1 . ex:b ex:p 2 . }
ex:g2 { ex:c ex:p 3 . }
"""
EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?c) { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def ask(server: LiveServer, query: str, **params: str) -> tuple[dict[str, object], list[str]]:
    """The JSON results of ``query`` and the warning headers of the response."""
    response = httpx.get(
        server.endpoint,
        params={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json(), response.headers.get_list("NkGraph-Warning")


def values(results: dict[str, object], name: str) -> list[str]:
    bindings = results["results"]["bindings"]  # type: ignore[index]
    return [row[name]["value"] for row in bindings]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("semantics")


@pytest.fixture(scope="module")
def turtle_server(folder: Path) -> Iterator[LiveServer]:
    server = start_server("--data", str(write(folder, "five.ttl", FIVE_TRIPLES)), "--workers", "1")
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def trig_server(folder: Path) -> Iterator[LiveServer]:
    server = start_server("--data", str(write(folder, "data.trig", TRIG)), "--workers", "1")
    yield server
    stop_server(server)


def test_turtle_is_the_default_graph(turtle_server: LiveServer) -> None:
    assert values(ask(turtle_server, COUNT)[0], "c") == ["5"]
    assert values(ask(turtle_server, GRAPHS)[0], "g") == []


def test_trig_keeps_its_default_and_named_graphs(trig_server: LiveServer) -> None:
    assert values(ask(trig_server, GRAPHS)[0], "g") == [EX + "g1", EX + "g2"]
    assert values(ask(trig_server, "SELECT ?o { ?s ?p ?o }")[0], "o") == ["in the default graph"]
    in_g1 = ask(trig_server, COUNT, **{"default-graph-uri": EX + "g1"})
    assert (values(in_g1[0], "c"), in_g1[1]) == (["2"], [])


def test_missing_graph_is_empty_with_a_warning(turtle_server: LiveServer) -> None:
    results, warnings = ask(turtle_server, "ASK {}", **{"default-graph-uri": EX + "nowhere"})
    assert results["boolean"] is True
    assert warnings == [f"graph <{EX}nowhere> is not in this dataset; it was read as empty"]
    from_missing = "SELECT (COUNT(*) AS ?c) FROM <http://example.org/x> { ?s ?p ?o }"
    results, warnings = ask(turtle_server, from_missing)
    assert (values(results, "c"), len(warnings)) == (["0"], 1)


def test_union_default_graph_is_an_option(folder: Path) -> None:
    server = start_server(
        "--data", str(write(folder, "union.trig", TRIG)), "--union-default-graph", "--workers", "1"
    )
    try:
        assert values(ask(server, COUNT)[0], "c") == ["4"]
    finally:
        stop_server(server)


def test_union_default_graph_is_a_setting(folder: Path) -> None:
    server = start_server(
        "--data",
        str(write(folder, "setting.trig", TRIG)),
        "--workers",
        "1",
        env={"NKGRAPH_UNION_DEFAULT_GRAPH": "true"},
    )
    try:
        assert values(ask(server, COUNT)[0], "c") == ["4"]
    finally:
        stop_server(server)


def test_ontology_only_when_asked(folder: Path) -> None:
    server = start_server(
        "--data", str(write(folder, "onto.ttl", FIVE_TRIPLES)), "--with-ontology", "--workers", "1"
    )
    try:
        graphs = values(ask(server, GRAPHS)[0], "g")
        assert graphs == ["https://w3id.org/nkgraph/graph/ontology"]
        assert values(ask(server, COUNT)[0], "c") == ["5"]
    finally:
        stop_server(server)


def test_shipped_graph_keeps_its_union(shipped_server: LiveServer) -> None:
    union = int(values(ask(shipped_server, COUNT)[0], "c")[0])
    graphs = values(ask(shipped_server, GRAPHS)[0], "g")
    assert "https://w3id.org/nkgraph/graph/ontology" in graphs
    assert "https://w3id.org/nkgraph/graph/truthy" in graphs
    in_graphs = "SELECT (COUNT(*) AS ?c) { GRAPH ?g { ?s ?p ?o } }"
    assert union == int(values(ask(shipped_server, in_graphs)[0], "c")[0]) > 0


def test_missing_graph_over_post(turtle_server: LiveServer) -> None:
    response = httpx.post(
        turtle_server.endpoint,
        data={"query": "ASK {}", "named-graph-uri": EX + "gone"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert (response.status_code, response.json()["boolean"]) == (200, True)
    assert response.headers.get_list("NkGraph-Warning") == [
        f"graph <{EX}gone> is not in this dataset; it was read as empty"
    ]
