"""``nkgraph query``: the same answers as ``/sparql`` in every format, the same errors as
exit statuses with one line on stderr, and a table on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient

from nkgraph.cli.commands import main
from nkgraph.cli.query import FORMAT_NAMES, TABLE
from nkgraph.config import Settings
from nkgraph.formats import GRAPH_FORMATS, RESULT_FORMATS
from nkgraph.web import create_app

DATA = Path(__file__).parent / "data" / "valid.trig"

# Ordered, and free of blank nodes (their labels differ from one load to the next).
SELECT_LIMITED = (
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)) } "
    "ORDER BY ?s ?p ?o LIMIT 40"
)
SELECT_ALL = "SELECT DISTINCT ?class WHERE { ?s a ?class FILTER(isIRI(?class)) } ORDER BY ?class"
ASK = "ASK { ?s a ?class }"
CONSTRUCT = (
    "CONSTRUCT { ?s a ?class } WHERE { ?s a ?class FILTER(isIRI(?s)) } ORDER BY ?s ?class LIMIT 30"
)
CASES = [
    *((q, f.name) for q in (SELECT_LIMITED, SELECT_ALL, ASK) for f in RESULT_FORMATS),
    *((CONSTRUCT, f.name) for f in GRAPH_FORMATS),
]


@pytest.fixture(scope="module")
def shipped_client() -> Iterator[FlaskClient]:
    yield create_app(Settings()).test_client()


def query(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["query", *args], input=stdin)


@pytest.mark.parametrize(("text", "format_name"), CASES)
def test_every_format_equals_the_endpoint(
    shipped_client: FlaskClient, text: str, format_name: str
) -> None:
    result = query("--format", format_name, text)
    assert result.exit_code == 0, result.stderr
    response = shipped_client.get("/sparql", query_string={"query": text, "format": format_name})
    assert response.status_code == 200
    assert result.stdout_bytes == response.data
    assert result.stdout_bytes  # an answer, not nothing


def test_every_format_of_the_endpoint_is_offered() -> None:
    offered = {f.name for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}
    assert set(FORMAT_NAMES) == offered | {TABLE}


def test_files_and_dataset_options_equal_the_endpoint() -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers = []
    for union in (True, False):
        settings = Settings(data=(DATA,), with_ontology=True, union_default_graph=union)
        response = (
            create_app(settings)
            .test_client()
            .get("/sparql", query_string={"query": text, "format": "csv"})
        )
        flag = "--union-default-graph" if union else "--no-union-default-graph"
        result = query("--data", str(DATA), "--with-ontology", flag, "--format", "csv", text)
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == response.data
        answers.append(result.stdout_bytes)
    assert answers[0] != answers[1]  # the option reached the engine


def test_missing_graph_warns_as_the_header_does(shipped_client: FlaskClient) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    graph = "http://example.org/nowhere"
    result = query("--default-graph-uri", graph, "--format", "json", text)
    assert result.exit_code == 0
    response = shipped_client.get(
        "/sparql", query_string={"query": text, "default-graph-uri": graph, "format": "json"}
    )
    assert result.stdout_bytes == response.data
    assert response.headers["NkGraph-Warning"] in result.stderr


def test_row_cap_warns(shipped_client: FlaskClient) -> None:
    result = query("--max-rows", "3", "--format", "tsv", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4  # the header and three rows
    assert "only the first 3 rows" in result.stderr


def test_query_from_file_and_stdin_equals_the_argument(tmp_path: Path) -> None:
    path = tmp_path / "classes.rq"
    path.write_text(SELECT_ALL, encoding="utf-8")
    by_argument = query("--format", "csv", SELECT_ALL)
    assert by_argument.exit_code == 0
    assert query("--format", "csv", "-f", str(path)).stdout_bytes == by_argument.stdout_bytes
    assert query("--format", "csv", "-", stdin=SELECT_ALL).stdout_bytes == by_argument.stdout_bytes


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["SELEC ?s WHERE { ?s ?p ?o }"], 2, "did you mean SELECT"),
        (["--format", "turtle", SELECT_ALL], 2, "ask for one of: json"),
        (["--format", "csv", CONSTRUCT], 2, "ask for one of: turtle"),
        (["SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], 2, "is refused"),
        (["SELECT * WHERE " + "{ " * 300 + "}" * 300], 2, "nest"),
        (["--format", "json", "--timeout", "0.001",
          "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"], 5, "time limit"),
        (["--store", "/", ASK], 3, "store"),
    ],
)  # fmt: skip
def test_errors_are_an_exit_status_and_one_line(args: list[str], status: int, words: str) -> None:
    result = query(*args)
    assert result.exit_code == status, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("nkgraph: error:")]
    assert len(errors) == 1
    assert words in errors[0]
    assert result.stdout_bytes == b""


def test_no_query_is_a_usage_error() -> None:
    result = query()
    assert result.exit_code == 2
    assert "give a query" in result.stderr


def test_a_terminal_gets_the_table() -> None:
    text = "SELECT ?class WHERE { ?s a ?class FILTER(isIRI(?class)) } ORDER BY ?class LIMIT 5"
    parent, child = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "nkgraph", "query", text],
            stdout=child,
            stderr=subprocess.PIPE,
            timeout=120,
            check=True,
        )
        os.close(child)
        shown = _read_all(parent).decode("utf-8").replace("\r\n", "\n")
    finally:
        os.close(parent)
    assert process.stderr == b""
    lines = shown.splitlines()
    assert lines[0] == "?class"
    assert set(lines[1]) == {"-"}
    assert len(lines) == 7
    assert shown == query("--format", "table", text).stdout
    piped = query(text)  # not a terminal: json
    assert piped.stdout.startswith('{"head":{"vars":["class"]}')


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO once the writer has gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
