"""Engine.apply: a patch is applied in one step for readers in the same process."""

from __future__ import annotations

import threading

import pyoxigraph as ox

from nkgraph.sparql.engine import Engine
from nkgraph.sparql.prepare import prepare

EX = "http://example.org/"
GRAPH_A = ox.NamedNode(EX + "a")
GRAPH_B = ox.NamedNode(EX + "b")
N = 2000
COUNT = prepare("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
COUNT_A = prepare(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_A.value}> {{ ?s ?p ?o }} }}")


def _quads(graph: ox.NamedNode) -> list[ox.Quad]:
    return [
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), graph)
        for i in range(N)
    ]


def _engine() -> Engine:
    store = ox.Store()
    store.extend(_quads(GRAPH_A))
    return Engine(store, version="v0")


def _count(engine: Engine, query: object = COUNT) -> int:
    result = engine.run(COUNT if query is COUNT else COUNT_A, timeout=30, max_rows=10)
    term = result.solutions[0][0]
    assert isinstance(term, ox.Literal)
    return int(term.value)


def test_apply_changes_data_version_and_graph_names() -> None:
    engine = _engine()
    engine.apply(_quads(GRAPH_A), _quads(GRAPH_B), version="v0+1")
    assert engine.version == "v0+1"
    assert engine.graph_names == frozenset({GRAPH_B.value})
    assert _count(engine, COUNT_A) == 0
    assert _count(engine) == N


def test_statistics_are_counted_again_after_a_patch() -> None:
    engine = _engine()
    before = engine.statistics
    assert before.graphs[0].name == GRAPH_A.value
    extra = ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "q"), ox.Literal("x"), GRAPH_B)
    engine.apply((), (extra,), version="v0+1")
    after = engine.statistics
    assert after.triples == before.triples + 1
    assert after.properties == before.properties + 1
    assert [g.name for g in after.graphs] == [GRAPH_A.value, GRAPH_B.value]


def test_readers_never_see_half_a_patch() -> None:
    """Patches move all N quads between two graphs, back and forth, while readers count
    the quads of every graph: each count is N, or the patch was seen half-applied."""
    engine = _engine()
    stop = threading.Event()
    counts: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                counts.append(_count(engine))
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    moves = 0
    try:
        while moves < 40 or len(counts) < 100:
            source, target = (GRAPH_A, GRAPH_B) if moves % 2 == 0 else (GRAPH_B, GRAPH_A)
            engine.apply(_quads(source), _quads(target), version=f"v0+{moves + 1}")
            moves += 1
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert len(counts) >= 100
    assert set(counts) == {N}
