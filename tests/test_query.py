"""Reading queries before they run (query.py) and running them (engine.py)."""

from __future__ import annotations

import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from nkgraph.errors import (
    QuerySyntaxError,
    QueryTimeout,
    ServiceNotAllowed,
    UpdateNotAllowed,
)
from nkgraph.sparql.engine import Engine, check_syntax
from nkgraph.sparql.prepare import QueryForm, check_services, prepare

EX = "http://example.org/"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", QueryForm.SELECT),
        ("select * { }", QueryForm.SELECT),
        ("ASK {}", QueryForm.ASK),
        ("CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("DESCRIBE <http://example.org/a>", QueryForm.DESCRIBE),
        (
            "BASE <http://x/> PREFIX select: <http://y/> # SELECT\n ASK { ?s select:p 'SELECT' }",
            QueryForm.ASK,
        ),
        ("SELEC * {}", None),
    ],
)
def test_form(text: str, form: QueryForm | None) -> None:
    assert prepare(text).form is form


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ex:p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_update_is_refused(text: str) -> None:
    with pytest.raises(UpdateNotAllowed, match="read-only"):
        prepare(text)


@pytest.mark.parametrize(
    ("text", "services"),
    [
        (
            "SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }",
            ("http://a.example/sparql",),
        ),
        (
            "PREFIX a: <http://a.example/> SELECT * { SERVICE SILENT a:sparql { } }",
            ("http://a.example/sparql",),
        ),
        (
            "BASE <http://a.example/> SELECT * { SERVICE <sparql> { } }",
            ("http://a.example/sparql",),
        ),
        ("SELECT * { SERVICE ?where { } }", ("?where",)),
        ("SELECT * { ?s <http://x/SERVICE> 'SERVICE <http://b/>' } # SERVICE <http://c/>", ()),
        ("PREFIX service: <http://s/> SELECT * { ?s service:x ?o }", ()),
    ],
)
def test_services(text: str, services: tuple[str, ...]) -> None:
    assert prepare(text).services == services


def test_check_services() -> None:
    query = prepare("SELECT * { SERVICE <http://a.example/sparql> { } }")
    check_services(query, ["http://a.example/"])
    with pytest.raises(ServiceNotAllowed, match=r"<http://a\.example/sparql>"):
        check_services(query, [])
    with pytest.raises(ServiceNotAllowed, match=r"\?where"):
        check_services(prepare("SELECT * { SERVICE ?where { } }"), ["http://a.example/"])


def test_from_graphs() -> None:
    query = prepare(
        "PREFIX g: <http://g/> SELECT * FROM g:one FROM NAMED <http://g/two> WHERE { ?s ?p ?o }"
    )
    assert query.from_graphs == ("http://g/one",)
    assert query.from_named_graphs == ("http://g/two",)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 500", 500),
        ("select * { ?s ?p ?o } offset 3 limit 7 # LIMIT 9", 7),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }", None),  # a subquery's
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } } LIMIT 10", 10),
        ("SELECT * { ?s ?p 'LIMIT 4' }", None),
        ("SELECT ?limit { ?limit ?p ?o }", None),
        ("SELECT * {} LIMIT ?x", None),  # not an integer: the engine will refuse it
    ],
)
def test_outermost_limit(text: str, limit: int | None) -> None:
    assert prepare(text).limit == limit


def test_volatile_and_normalized() -> None:
    assert prepare("SELECT (rand() AS ?r) {}").volatile
    assert not prepare("SELECT ?rand { ?rand ?p 'NOW' }").volatile
    one = prepare("SELECT ?s\n  WHERE { ?s ?p 12 }  # a comment")
    two = prepare("SELECT ?s WHERE{?s ?p 12}")
    assert one.normalized == two.normalized
    assert one.normalized != prepare("SELECT ?s WHERE { ?s ?p 1 2 }").normalized


@pytest.fixture(scope="module")
def engine() -> Engine:
    """An engine whose default graph is the union of all graphs."""
    return Engine(_store(), union_default_graph=True)


def _store() -> ox.Store:
    """60 triples in two named graphs, and one in the default graph."""
    store = ox.Store()
    for i in range(60):
        graph = ox.NamedNode(EX + ("g1" if i % 2 else "g2"))
        store.add(
            ox.Quad(ox.NamedNode(f"{EX}{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), graph)
        )
    store.add(ox.Quad(ox.NamedNode(EX + "d"), ox.NamedNode(EX + "p"), ox.Literal("default")))
    return store


def test_default_graph_is_the_datasets_own() -> None:
    own = Engine(_store())
    result = own.run(prepare("SELECT ?s WHERE { ?s ?p ?o }"), timeout=5, max_rows=1000)
    assert [row["s"] for row in result.solutions] == [ox.NamedNode(EX + "d")]
    union = own.run(
        prepare("SELECT ?s WHERE { ?s ?p ?o }"), timeout=5, max_rows=1000, union_default_graph=True
    )
    assert len(union.solutions) == 61


def test_union_default_graph(engine: Engine) -> None:
    result = engine.run(prepare("SELECT ?s WHERE { ?s ?p ?o }"), timeout=5, max_rows=1000)
    assert len(result.solutions) == 61


def test_named_default_graph(engine: Engine) -> None:
    result = engine.run(
        prepare("SELECT ?s WHERE { ?s ?p ?o }"),
        default_graphs=[EX + "g1"],
        timeout=5,
        max_rows=1000,
    )
    assert len(result.solutions) == 30
    assert result.missing_graphs == ()


@pytest.mark.parametrize(
    ("text", "default_graphs", "named_graphs", "missing"),
    [
        ("ASK {}", ["http://nowhere/"], [], ("http://nowhere/",)),
        ("ASK { GRAPH ?g {} }", [EX + "g1"], ["http://nowhere/", EX + "g2"], ("http://nowhere/",)),
        ("ASK FROM <http://nowhere/> FROM NAMED <http://else/> {}", [], [], ("http://nowhere/", "http://else/")),
    ],
    ids=["default-graph-uri", "named-graph-uri", "FROM"],
)  # fmt: skip
def test_unknown_graph_is_empty(
    engine: Engine,
    text: str,
    default_graphs: list[str],
    named_graphs: list[str],
    missing: tuple[str, ...],
) -> None:
    result = engine.run(
        prepare(text),
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        timeout=5,
        max_rows=1,
    )
    assert (result.boolean, result.missing_graphs) == (True, missing)
    count = engine.run(
        prepare("SELECT (COUNT(*) AS ?n) FROM <http://nowhere/> WHERE { ?s ?p ?o }"),
        timeout=5,
        max_rows=1,
    )
    assert count.solutions[0]["n"] == ox.Literal("0", datatype=ox.NamedNode(XSD_INTEGER))


def test_row_cap(engine: Engine) -> None:
    result = engine.run(prepare("SELECT * WHERE { ?s ?p ?o }"), timeout=5, max_rows=10)
    assert (len(result.solutions), result.truncated) == (10, True)
    result = engine.run(prepare("CONSTRUCT WHERE { ?s ?p ?o }"), timeout=5, max_rows=100)
    assert (len(result.triples), result.truncated) == (61, False)


def test_ask(engine: Engine) -> None:
    assert engine.run(prepare("ASK { ?s ?p '7' }"), timeout=5, max_rows=1).boolean is True


def test_syntax_error_position() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        check_syntax("SELECT * WHERE {\n ?s ?p }")
    assert caught.value.line == 2
    assert caught.value.column is not None


def test_timeout_answers_on_time(engine: Engine) -> None:
    # 61^4 (about 14 million) solutions to count: seconds of work, answered in 0.2 s.
    slow = prepare("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        engine.run(slow, timeout=0.2, max_rows=1)
    assert time.monotonic() - started < 0.5
    assert engine.abandoned >= 1
    # A new query does not wait behind the abandoned one.
    started = time.monotonic()
    assert engine.run(prepare("ASK {}"), timeout=1, max_rows=1).boolean is True
    assert time.monotonic() - started < 0.2


# Full dotted names, so that scripts/restructure.py finds them when the modules move.
CORE_MODULES = [
    "nkgraph.config",
    "nkgraph.formats",
    "nkgraph.sparql.prepare",
    "nkgraph.sparql.engine",
    "nkgraph.sparql.result_writers",
    "nkgraph.pages.example_queries",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_does_not_import_flask(module: str) -> None:
    code = f"import sys, {module}; print('flask' in sys.modules, 'click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"
