"""The W3C SPARQL 1.1 query-evaluation suite, through a real ``nkgraph serve --data``.

Every ``mf:QueryEvaluationTest`` and ``mf:CSVResultFormatTest`` of the suite's Query
part (``sparql11/``, the W3C's files with their LICENSE) runs against the server over
HTTP: one server per distinct dataset, serving that dataset's N-Quads file (see
``harness.py`` for the datasets, the base IRIs and how answers are compared). The
same tests run on pyoxigraph alone, in-process, for the baseline nkgraph must reach.

Known failures are listed, each with its reason, in ``KNOWN`` (nkgraph) and
``KNOWN_PYOXIGRAPH``; they are strict ``xfail``s, so a test that starts passing fails
until it is taken off the list. The pass counts are printed at the end of the run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from harness import (
    CSV,
    N_TRIPLES,
    SPARQL_JSON,
    EvaluationTest,
    check,
    dataset_quads,
    evaluation_tests,
    write_nquads,
)
from liveserver import LiveServer, launch_server, wait_until_ready

TESTS: Final = evaluation_tests()
#: Tests of the suite's Query part (with its result-format tests): Oxigraph's count.
SUITE_SIZE: Final = 235

_GROUP_CONCAT = (
    'pyoxigraph 0.5: GROUP_CONCAT keeps the language tag its values share ("1 2"@en), '
    "as SPARQL 1.2 has it; SPARQL 1.1 (18.5.1.7) and the test expect a simple literal"
)
_ZERO_LENGTH = (
    "pyoxigraph 0.5: a zero-length path from a constant IRI that the data does not hold "
    "matches nothing; SPARQL 1.1 (9.3, as corrected by its errata) matches the IRI itself"
)
_STORED_AS_VALUE = (
    "pyoxigraph 0.5's store keeps numeric literals as values: {what}; SPARQL 1.1 "
    "results keep the lexical form and datatype the data has"
)
#: Where pyoxigraph 0.5 (Oxigraph's engine) departs from the suite, each with the reason.
#: The Oxigraph server fails these 12 too (223 of 235 pass).
ENGINE_DEVIATIONS: Final[dict[str, str]] = {
    "aggregates/agg-groupconcat-04": _GROUP_CONCAT,
    "aggregates/agg-groupconcat-06": _GROUP_CONCAT,
    "aggregates/agg-empty-group-count-graph": (
        "pyoxigraph 0.5 evaluates a subquery inside GRAPH ?g once, not once per named graph, "
        "so ?g stays unbound and the empty graph's count of 0 is missing (SPARQL 1.1, 18.6)"
    ),
    "bindings/graph": (
        "pyoxigraph 0.5 does not bind ?g of GRAPH ?g for a VALUES row where ?g is UNDEF, "
        "so the row is not repeated for each named graph (SPARQL 1.1, 18.6)"
    ),
    "negation/graph-minus": (
        "pyoxigraph 0.5 shares the ?g of GRAPH ?g with both sides of a MINUS inside it, so "
        "MINUS removes the row; SPARQL 1.1 (18.5) has no shared variable there, so keeps it"
    ),
    "functions/bnode01": (
        "pyoxigraph 0.5's BNODE(?s) gives the same blank node for the same string in "
        "different solutions; SPARQL 1.1 (17.4.2.9) asks for a new one per solution"
    ),
    "csv-tsv-res/csv03": _STORED_AS_VALUE.format(what='"1.0e6"^^xsd:double is written 1000000'),
    "csv-tsv-res/tsv03": _STORED_AS_VALUE.format(
        what="xsd:negativeInteger comes back as xsd:integer"
    ),
    "property-path/zero_or_more_set_end": _ZERO_LENGTH,
    "property-path/zero_or_more_set_start": _ZERO_LENGTH,
    "property-path/zero_or_one_set_end": _ZERO_LENGTH,
    "property-path/zero_or_one_set_start": _ZERO_LENGTH,
}

#: nkgraph's known failures: its engine's, and none of its own.
KNOWN: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)

#: pyoxigraph's known failures, on the same harness.
KNOWN_PYOXIGRAPH: Final[dict[str, str]] = dict(ENGINE_DEVIATIONS)


def _cases(known: dict[str, str]) -> list[object]:
    # Sorted by dataset, so that consecutive tests share one server.
    ordered = sorted(TESTS, key=lambda t: (t.dataset_key, t.id))
    return [
        pytest.param(
            test,
            id=test.id,
            marks=[pytest.mark.xfail(reason=known[test.id], strict=True)]
            if test.id in known
            else [],
        )
        for test in ordered
    ]


DatasetKey = tuple[tuple[Path, ...], tuple[Path, ...]]


class Servers:
    """One ``nkgraph serve --data`` per dataset, in the order the tests need them.

    The servers of the next datasets are started while the tests of the current one run
    (starting one, mostly importing Python modules, takes longer than its tests); each
    is stopped, without waiting for it, when its tests are done.
    """

    def __init__(self, folder: Path, order: list[EvaluationTest], *, ahead: int = 2) -> None:
        self.folder = folder
        self.order: list[EvaluationTest] = []
        for test in order:  # the first test of each dataset, in the order they run
            if not self.order or self.order[-1].dataset_key != test.dataset_key:
                self.order.append(test)
        self.ahead = ahead
        self.running: dict[DatasetKey, LiveServer] = {}
        self.stopping: list[subprocess.Popen[bytes]] = []
        self.client = httpx.Client(timeout=60)
        self.started = 0

    def for_test(self, test: EvaluationTest) -> LiveServer:
        key = test.dataset_key
        for old in [k for k in self.running if k != key]:
            if not self._upcoming(old, key):
                self._stop(old)
        server = self.running.get(key) or self._launch(test)
        wait_until_ready(server)
        index = next((i for i, t in enumerate(self.order) if t.dataset_key == key), None)
        if index is not None:
            for upcoming in self.order[index + 1 : index + 1 + self.ahead]:
                if upcoming.dataset_key not in self.running:
                    self._launch(upcoming)
        return server

    def _upcoming(self, key: DatasetKey, current: DatasetKey) -> bool:
        keys = [t.dataset_key for t in self.order]
        return key in keys and current in keys and keys.index(key) > keys.index(current)

    def _launch(self, test: EvaluationTest) -> LiveServer:
        data = write_nquads(test, self.folder / f"dataset-{self.started}.nq")
        self.started += 1
        server = launch_server(
            "--data", str(data), "--workers", "1", "--threads", "2", "--timeout", "20"
        )
        self.running[test.dataset_key] = server
        return server

    def ask(self, server: LiveServer, query: str, accept: str) -> bytes:
        response = self.client.post(
            server.endpoint, data={"query": query}, headers={"Accept": accept}
        )
        if response.status_code != 200:
            raise AssertionError(f"HTTP {response.status_code}: {response.text[:2000]}")
        assert response.headers["Content-Type"].startswith(accept), response.headers
        return response.content

    def _stop(self, key: DatasetKey) -> None:
        server = self.running.pop(key)
        server.process.terminate()
        self.stopping.append(server.process)

    def close(self) -> None:
        for key in list(self.running):
            self._stop(key)
        self.client.close()
        for process in self.stopping:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


@pytest.fixture(scope="session")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    selected = [
        item.callspec.params["test"]  # type: ignore[attr-defined]
        for item in request.session.items
        if item.originalname == "test_nkgraph"  # type: ignore[attr-defined]
    ]
    pool = Servers(tmp_path_factory.mktemp("w3c-datasets"), selected)
    yield pool
    pool.close()


@pytest.mark.live
@pytest.mark.parametrize("test", _cases(KNOWN))
def test_nkgraph(servers: Servers, test: EvaluationTest) -> None:
    server = servers.for_test(test)
    check(test, lambda query, accept: servers.ask(server, query, accept))


_STORES: dict[object, ox.Store] = {}


def _pyoxigraph_answer(store: ox.Store, query: str, accept: str) -> bytes:
    """What pyoxigraph alone answers, written in the media type asked for."""
    results = store.query(query)
    if accept == N_TRIPLES:
        assert isinstance(results, ox.QueryTriples)
        return results.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    assert isinstance(results, ox.QuerySolutions | ox.QueryBoolean)
    result_format = {SPARQL_JSON: ox.QueryResultsFormat.JSON, CSV: ox.QueryResultsFormat.CSV}
    return results.serialize(format=result_format[accept]) or b""


@pytest.mark.parametrize("test", _cases(KNOWN_PYOXIGRAPH))
def test_pyoxigraph_alone(test: EvaluationTest) -> None:
    store = _STORES.get(test.dataset_key)
    if store is None:
        _STORES.clear()
        store = _STORES[test.dataset_key] = ox.Store()
        store.bulk_extend(dataset_quads(test))
    check(test, lambda query, accept: _pyoxigraph_answer(store, query, accept))


def test_suite_is_complete() -> None:
    assert len(TESTS) == SUITE_SIZE
    assert len({t.id for t in TESTS}) == SUITE_SIZE
    assert set(KNOWN) <= {t.id for t in TESTS}
    assert set(KNOWN_PYOXIGRAPH) <= {t.id for t in TESTS}


def test_nkgraph_passes_at_least_what_pyoxigraph_passes() -> None:
    assert SUITE_SIZE - len(KNOWN) >= SUITE_SIZE - len(KNOWN_PYOXIGRAPH)
