"""The service on an external SPARQL server: the real Oxigraph server, on a free local port."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkgraph.cli.commands import main
from nkgraph.config import Settings
from nkgraph.errors import BackendError, QueryTimeout
from nkgraph.model.synthetic import write_synthetic
from nkgraph.sparql.prepare import prepare
from nkgraph.sparql.remote import RemoteEngine, graph_store_url, push
from nkgraph.web import create_app

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))

pytestmark = pytest.mark.skipif(
    not Path(OXIGRAPH).exists(), reason="the Oxigraph server (pip install oxigraph) is missing"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running Oxigraph server; yields its ``sparql+http`` backend URL."""
    port = free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
         "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/query?query=ASK%7B%7D")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"sparql+http://127.0.0.1:{port}/query?union-default-graph"
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(oxigraph: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    """One synthetic article, validated and pushed; the number of quads pushed."""
    path = tmp_path_factory.mktemp("data") / "synthetic.nq"
    write_synthetic(path, 1)
    return push([path], oxigraph).quads


def test_graph_store_url_is_next_to_the_query_endpoint() -> None:
    assert graph_store_url("sparql+http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("sparql+https://h/ds/query") == "https://h/ds/data"


def test_push_then_query(oxigraph: str, pushed: int) -> None:
    engine = RemoteEngine(oxigraph)
    result = engine.run(
        prepare("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        timeout=10,
        max_rows=10,
    )
    assert int(result.solutions[0][0].value) == pushed  # type: ignore[union-attr]
    assert engine.statistics.triples > 0
    assert "https://w3id.org/nkgraph/graph/synthetic/articles" in engine.graph_names


def test_row_cap_and_unknown_graph(oxigraph: str, pushed: int) -> None:
    engine = RemoteEngine(oxigraph)
    result = engine.run(prepare("SELECT * WHERE { ?s ?p ?o }"), timeout=10, max_rows=5)
    assert (len(result.solutions), result.truncated) == (5, True)
    graph = engine.run(prepare("CONSTRUCT WHERE { ?s ?p ?o }"), timeout=10, max_rows=7)
    assert (len(graph.triples), graph.truncated) == (7, True)
    # A graph the server does not hold is read as empty, and the result says so.
    empty = engine.run(prepare("ASK FROM <http://example.org/no> {}"), timeout=5, max_rows=1)
    assert (empty.boolean, empty.missing_graphs) == (True, ("http://example.org/no",))


def test_timeout(oxigraph: str, pushed: int) -> None:
    engine = RemoteEngine(oxigraph)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        engine.run(prepare(runaway), timeout=0.5, max_rows=10)
    assert time.monotonic() - started < 3


def test_the_service_on_the_backend(oxigraph: str, pushed: int) -> None:
    client = create_app(Settings.from_env({}, backend=oxigraph)).test_client()
    ask = client.get("/sparql", query_string={"query": "ASK { ?s a ?c }"})
    assert (ask.status_code, ask.json) == (200, {"head": {}, "boolean": True})
    bad = client.get("/sparql", query_string={"query": "SELECT * WHERE {"})
    assert bad.status_code == 400
    turtle = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s a ?c } LIMIT 3"},
        headers={"Accept": "text/turtle"},
    )
    assert turtle.status_code == 200
    assert turtle.headers["Content-Type"].startswith("text/turtle")


def test_cli_push(runner: CliRunner, oxigraph: str, tmp_path: Path) -> None:
    path = tmp_path / "two.nq"
    write_synthetic(path, 2)
    result = runner.invoke(main, ["push", str(path), "--backend", oxigraph, "--no-validate"])
    assert result.exit_code == 0, result.output
    assert "pushed" in result.output


def test_unreachable_backend() -> None:
    with pytest.raises(BackendError, match="failed"):
        RemoteEngine(f"sparql+http://127.0.0.1:{free_port()}/query")
