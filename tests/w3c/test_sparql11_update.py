"""The W3C SPARQL 1.1 Update evaluation suite, through a real ``nkgraph serve --writes``.

Every ``mf:UpdateEvaluationTest`` of the suite's Update part (``sparql11/``, the W3C's
files with their LICENSE), and the negative syntax tests of the same folders, run
against one server (two workers) on a store built from an empty file, checking writes
against an empty shapes graph (``NKGRAPH_SHAPES``: the suite's data is not news data, and
the shipped shapes would refuse the data of 20 tests, see ``UNNAMED_PERSON_TESTS``): for
each test the store is
reset through the service (``POST /update``: ``DROP ALL`` and ``INSERT DATA`` of the
test's data), the request is sent to ``POST /update`` with a bearer token, and the
store is read back through ``/sparql`` and compared, graph by graph, with the one
expected (see ``update_harness.py``). The same tests run in-process on pyoxigraph alone
(``Store.update``), the baseline nkgraph must reach, and on nkgraph's staging alone
(``patch_for_update``, the patch applied), so that a failure of the service shows
whether the staging or the web layer is at fault.

Known failures are listed, each with its reason, in ``KNOWN`` (nkgraph serve),
``KNOWN_STAGING`` and ``KNOWN_PYOXIGRAPH``; they are strict ``xfail``s, so a test that
starts passing fails until it is taken off the list. The pass counts are printed at the
end of the run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from harness import SPARQL_JSON, WrongAnswerError
from liveserver import LiveServer, start_server, stop_server
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from update_harness import (
    Graphs,
    UpdateTest,
    check_store,
    graphs_of,
    store_quads,
    update_tests,
)

from nkgraph.curation.staging import patch_for_update
from nkgraph.errors import QuerySyntaxError
from nkgraph.validation.shacl import validate

TESTS: Final = update_tests()
#: The suite's update evaluation tests, and the negative syntax tests beside them.
SUITE_SIZE: Final = 94 + 8

#: Where pyoxigraph (Oxigraph's engine) departs from the suite, each with the reason:
#: nowhere, on this suite.
ENGINE_DEVIATIONS: Final[dict[str, str]] = {}

_SHAPES: Final = "https://w3id.org/nkgraph/shapes#"
#: Tests whose data the shipped shapes refuse: a foaf:Person without schema:name
#: (nks:PersonShape). Under them, a service answers 422 when the data is put in place.
UNNAMED_PERSON_TESTS: Final = frozenset(
    f"{folder}/{folder}0{n}"
    for folder, numbers in (("add", "12345678"), ("copy", "123467"), ("move", "123467"))
    for n in numbers
)

#: nkgraph's known failures: its engine's.
KNOWN: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)

#: The known failures of nkgraph's staging (curation/staging.py) run in-process.
KNOWN_STAGING: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)

#: pyoxigraph's known failures, on the same harness.
KNOWN_PYOXIGRAPH: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)


class WriteRefusedError(AssertionError):
    """The service refused a write."""


class GateRefusalError(WriteRefusedError):
    """The service refused a write because the data would not conform (422)."""


def refuse_unless_done(response: httpx.Response, what: str) -> None:
    """Raise unless the service did the write.

    Raises:
        GateRefusalError: it answered 422.
        WriteRefusedError: it answered another status that is not a success.
    """
    if not response.is_success:
        refused = GateRefusalError if response.status_code == 422 else WriteRefusedError
        raise refused(f"{what}: HTTP {response.status_code}: {response.text[:2000]}")


#: What a known failure raises, when it is not a wrong store (WrongAnswerError): so that
#: a test failing for another reason than its known one is not counted as known.
_RAISES: Final[dict[str, type[AssertionError]]] = {}


def _cases(known: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            test,
            id=test.id,
            marks=[
                pytest.mark.xfail(
                    reason=known[test.id],
                    strict=True,
                    raises=_RAISES.get(test.id, WrongAnswerError),
                )
            ]
            if test.id in known
            else [],
        )
        for test in TESTS
    ]


#: The whole store, as quads: the default graph's triples have ?g unbound.
_EVERY_QUAD: Final = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


class UpdateService:
    """A ``nkgraph serve`` with writes on, and a token that may write every graph.

    Writes and reads go over two connections (two clients): with two workers, a read
    may be answered by the worker that did not take the write, which must catch up.
    """

    def __init__(self, server: LiveServer, token: str) -> None:
        self.server = server
        self.client = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        self.reader = httpx.Client(base_url=server.url, timeout=60)

    def update(self, text: str) -> httpx.Response:
        """``POST /update`` with ``text`` as the direct body."""
        return self.client.post(
            "/update",
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )

    def reset(self, quads: Iterable[ox.Quad]) -> None:
        """Make the store hold ``quads`` and nothing else, in one transaction."""
        refuse_unless_done(self.update(f"DROP ALL ;\n{insert_data(quads)}"), "reset")

    def graphs(self) -> Graphs:
        """The whole store, read back through ``/sparql``."""
        response = self.reader.post(
            "/sparql", data={"query": _EVERY_QUAD}, headers={"Accept": SPARQL_JSON}
        )
        if response.status_code != 200:
            raise AssertionError(f"HTTP {response.status_code}: {response.text[:2000]}")
        solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        return graphs_of(
            ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph())
            for row in solutions
        )

    def close(self) -> None:
        self.client.close()
        self.reader.close()
        stop_server(self.server)


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` of ``quads`` (empty when there are none)."""
    by_graph: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]] = {}
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        by_graph.setdefault(quad.graph_name, []).append(triple)  # type: ignore[arg-type]
    blocks = []
    for graph, triples in by_graph.items():
        text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        blocks.append(text if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{text}}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "}" if blocks else ""


def _nkgraph(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``nkgraph ARGS``."""
    return subprocess.run(
        [sys.executable, "-m", "nkgraph", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UpdateService]:
    folder = tmp_path_factory.mktemp("w3c-update")
    empty = folder / "empty.nq"
    empty.write_bytes(b"")
    store = folder / "store"
    loaded = _nkgraph(
        "load", str(empty), "--store", str(store), "--no-truthy", "--no-union-default-graph"
    )
    assert loaded.returncode == 0, loaded.stderr
    made = _nkgraph("token", "add", "w3c", "--all-graphs", "--store", str(store))
    assert made.returncode == 0, made.stderr
    no_shapes = folder / "no-shapes.ttl"
    no_shapes.write_bytes(b"")
    server = start_server(
        "--store",
        str(store),
        "--writes",
        "--workers",
        "2",
        "--threads",
        "2",
        env={"NKGRAPH_SHAPES": str(no_shapes)},
    )
    service = UpdateService(server, made.stdout.strip())
    yield service
    service.close()


@pytest.mark.live
@pytest.mark.parametrize("test", _cases(KNOWN))
def test_nkgraph_update(service: UpdateService, test: UpdateTest) -> None:
    if test.negative:
        response = service.update(test.request_text())
        assert response.status_code == 400, response.text[:2000]
        return
    service.reset(store_quads(test.before))
    refuse_unless_done(service.update(test.request_text()), "update")
    check_store(test, service.graphs())


@pytest.mark.parametrize("test", _cases(KNOWN_PYOXIGRAPH))
def test_pyoxigraph_update(test: UpdateTest) -> None:
    store = ox.Store()
    store.bulk_extend(store_quads(test.before))
    if test.negative:
        with pytest.raises(SyntaxError):
            store.update(test.request_text())
        return
    store.update(test.request_text())
    check_store(test, graphs_of(store))


@pytest.mark.parametrize("test", _cases(KNOWN_STAGING))
def test_nkgraph_staging(test: UpdateTest) -> None:
    """nkgraph's staging alone, in-process: the patch a request makes, applied."""
    store = ox.Store()
    store.bulk_extend(store_quads(test.before))
    if test.negative:
        with pytest.raises(QuerySyntaxError):
            patch_for_update(store, test.request_text())
        return
    patch = patch_for_update(store, test.request_text())
    for quad in patch.removed:
        store.remove(quad)
    store.extend(patch.added)
    check_store(test, graphs_of(store))


def test_suite_is_complete() -> None:
    assert len(TESTS) == SUITE_SIZE
    assert len({t.id for t in TESTS}) == SUITE_SIZE
    assert sum(t.negative for t in TESTS) == 8
    assert set(KNOWN) <= {t.id for t in TESTS}
    assert set(KNOWN_PYOXIGRAPH) <= {t.id for t in TESTS}
    assert set(KNOWN_STAGING) <= {t.id for t in TESTS}


def _test(test_id: str) -> UpdateTest:
    return next(t for t in TESTS if t.id == test_id)


@pytest.mark.parametrize(
    ("test_id", "graph"),
    [
        ("basic-update/insert-data-spo1", "DEFAULT"),
        ("basic-update/insert-data-spo-named2", "<http://example.org/g1>"),
        ("drop/dawg-drop-all-01", "DEFAULT"),
    ],
)
def test_a_store_left_unchanged_fails(test_id: str, graph: str) -> None:
    test = _test(test_id)
    with pytest.raises(WrongAnswerError, match=f"graph {graph} differs"):
        check_store(test, graphs_of(store_quads(test.before)))


def test_an_empty_graph_is_an_absent_graph() -> None:
    test = _test("drop/dawg-drop-all-01")  # expects an empty store
    check_store(test, {None: Graph(), "http://example.org/g1": Graph()})


def test_requests_get_their_own_iri_as_base() -> None:
    test = _test("basic-update/insert-data-spo1")
    assert test.request_text().startswith(
        "BASE <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/basic-update/"
        "insert-data-spo1.ru>\n"
    )


def test_insert_data_puts_every_start_store_in_place() -> None:
    """The reset's ``INSERT DATA`` gives each test's store before, checked on pyoxigraph."""
    checked = 0
    for test in TESTS:
        store = ox.Store()
        if text := insert_data(store_quads(test.before)):
            store.update(text)
            checked += 1
        expected = graphs_of(store_quads(test.before))
        actual = graphs_of(store)
        assert expected.keys() == actual.keys(), test.id
        assert all(isomorphic(expected[name], actual[name]) for name in expected), test.id
    assert checked > 80


@pytest.mark.parametrize("test_id", sorted(UNNAMED_PERSON_TESTS))
def test_the_shipped_shapes_refuse_an_unnamed_person(test_id: str) -> None:
    """What ``UNNAMED_PERSON_TESTS`` says, checked: the shipped shapes reject the data."""
    quads = store_quads(_test(test_id).before)
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    data = Dataset()
    data.parse(data=text.decode("utf-8"), format="nquads")
    report = validate(data)
    assert not report.conforms
    assert {r.named_shape for r in report.results} == {URIRef(_SHAPES + "PersonShape")}
