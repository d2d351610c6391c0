"""The W3C SPARQL 1.1 Update evaluation suite, through a real ``nkgraph serve --writes``.

Every ``mf:UpdateEvaluationTest`` of the suite's Update part (``sparql11/``, the W3C's
files with their LICENSE), and the negative syntax tests of the same folders, run
against one server on a store built from an empty file: for each test the store is
reset through the service (``POST /update``: ``DROP ALL`` and ``INSERT DATA`` of the
test's data), the request is sent to ``POST /update`` with a bearer token, and the
store is read back through ``/sparql`` and compared, graph by graph, with the one
expected (see ``update_harness.py``). The same tests run on pyoxigraph alone
(``Store.update``), in-process, for the baseline nkgraph must reach.

Known failures are listed, each with its reason, in ``KNOWN`` (nkgraph) and
``KNOWN_PYOXIGRAPH``; they are strict ``xfail``s, so a test that starts passing fails
until it is taken off the list. The pass counts are printed at the end of the run.
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox
import pytest
from harness import WrongAnswerError
from rdflib import Graph
from update_harness import UpdateTest, check_store, graphs_of, store_quads, update_tests

TESTS: Final = update_tests()
#: The suite's update evaluation tests, and the negative syntax tests beside them.
SUITE_SIZE: Final = 94 + 8

#: Where pyoxigraph (Oxigraph's engine) departs from the suite, each with the reason.
ENGINE_DEVIATIONS: Final[dict[str, str]] = {}

#: nkgraph's known failures: its engine's, and its own choices.
KNOWN: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)

#: pyoxigraph's known failures, on the same harness.
KNOWN_PYOXIGRAPH: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)


def _cases(known: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            test,
            id=test.id,
            marks=[pytest.mark.xfail(reason=known[test.id], strict=True)]
            if test.id in known
            else [],
        )
        for test in TESTS
    ]


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


def test_suite_is_complete() -> None:
    assert len(TESTS) == SUITE_SIZE
    assert len({t.id for t in TESTS}) == SUITE_SIZE
    assert sum(t.negative for t in TESTS) == 8
    assert set(KNOWN) <= {t.id for t in TESTS}
    assert set(KNOWN_PYOXIGRAPH) <= {t.id for t in TESTS}


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
