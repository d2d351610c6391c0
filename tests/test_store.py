"""On-disk stores: built validated, replaced atomically, intact after a kill -9 mid-load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nkgraph.cli.commands import main
from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError, DataLoadError, ShapesViolation
from nkgraph.model.loading import load_dataset, load_into_store
from nkgraph.model.synthetic import write_synthetic
from nkgraph.sparql.engine import Engine, dataset_quads
from nkgraph.sparql.prepare import prepare
from nkgraph.sparql.store import build_store, open_store
from nkgraph.web import create_app

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def quads_served(engine: Engine) -> int:
    result = engine.run(prepare(COUNT), timeout=10, max_rows=10)
    return int(result.solutions[0][0].value)  # type: ignore[union-attr]


@pytest.fixture
def synthetic(tmp_path: Path) -> dict[int, Path]:
    paths = {}
    for articles in (1, 3):
        paths[articles] = tmp_path / f"synthetic-{articles}.nq"
        write_synthetic(paths[articles], articles)
    return paths


@pytest.fixture
def invalid(tmp_path: Path, synthetic: dict[int, Path]) -> Path:
    """One synthetic article whose first sentence's offsets no longer give its text."""
    text = synthetic[1].read_text(encoding="utf-8")
    broken = text.replace(
        "<https://w3id.org/nkgraph/id/synthetic/a1/s1> "
        '<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "0"',
        "<https://w3id.org/nkgraph/id/synthetic/a1/s1> "
        '<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "1"',
    )
    assert broken != text
    path = tmp_path / "invalid.nq"
    path.write_text(broken, encoding="utf-8")
    return path


def test_build_then_serve_without_loading(tmp_path: Path, synthetic: dict[int, Path]) -> None:
    info = build_store([synthetic[1]], tmp_path / "store")
    engine = Engine.from_store(tmp_path / "store")
    assert quads_served(engine) == info.quads
    assert engine.version == info.version
    assert engine.statistics == info.statistics
    assert engine.statistics.triples > 0


def _shape(store: ox.Store) -> list[tuple[str, ...]]:
    """The store's quads, with blank nodes unnamed (each parse names them afresh)."""
    return sorted(
        tuple("_:" if isinstance(t, ox.BlankNode) else str(t) for t in quad) for quad in store
    )


@pytest.mark.parametrize("which", [None, 3])
def test_pyoxigraph_loads_what_rdflib_loads(which: int | None, synthetic: dict[int, Path]) -> None:
    paths = None if which is None else [synthetic[which]]
    by_rdflib = ox.Store()
    by_rdflib.extend(dataset_quads(load_dataset(paths, with_ontology=True)))
    by_pyoxigraph = ox.Store()
    load_into_store(by_pyoxigraph, paths, with_ontology=True)
    assert _shape(by_pyoxigraph) == _shape(by_rdflib)


def test_unparsable_input_without_validation_changes_nothing(
    tmp_path: Path, synthetic: dict[int, Path]
) -> None:
    before = build_store([synthetic[1]], tmp_path / "store", validate=False)
    broken = tmp_path / "broken.nq"
    broken.write_text('<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x .\n')
    with pytest.raises(DataLoadError) as caught:
        build_store([broken], tmp_path / "store", validate=False)
    assert (caught.value.path, caught.value.line) == (broken, 2)
    _, info = open_store(tmp_path / "store")
    assert info == before


def test_a_small_store_is_served_from_memory(tmp_path: Path, synthetic: dict[int, Path]) -> None:
    info = build_store([synthetic[1]], tmp_path / "store", validate=False)
    on_disk = Engine.from_store(tmp_path / "store")
    in_memory = Engine.from_store(tmp_path / "store", in_memory=info.quads)
    assert quads_served(in_memory) == quads_served(on_disk) == info.quads
    assert (in_memory.version, in_memory.statistics) == (info.version, info.statistics)


def test_a_new_load_replaces_the_store(tmp_path: Path, synthetic: dict[int, Path]) -> None:
    first = build_store([synthetic[1]], tmp_path / "store")
    second = build_store([synthetic[3]], tmp_path / "store")
    assert second.quads > first.quads
    assert second.version != first.version
    assert quads_served(Engine.from_store(tmp_path / "store")) == second.quads
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == sorted(
        [".lock", "current", second.version]
    )


def test_invalid_input_changes_nothing(
    tmp_path: Path, synthetic: dict[int, Path], invalid: Path
) -> None:
    before = build_store([synthetic[1]], tmp_path / "store")
    with pytest.raises(ShapesViolation, match="offsets"):
        build_store([invalid], tmp_path / "store")
    _, info = open_store(tmp_path / "store")
    assert info == before
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == sorted(
        [".lock", "current", before.version]
    )


def test_cli_load_exit_codes(
    runner: CliRunner, tmp_path: Path, synthetic: dict[int, Path], invalid: Path
) -> None:
    store = str(tmp_path / "store")
    ok = runner.invoke(main, ["load", str(synthetic[1]), "--store", store])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(main, ["load", str(invalid), "--store", store])
    assert bad.exit_code == 1
    assert "nothing was stored" in bad.output


def test_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigurationError, match="not an nkgraph store"):
        build_store(None, tmp_path)
    with pytest.raises(ConfigurationError, match="holds no nkgraph store"):
        open_store(tmp_path)


def test_kill_during_load_leaves_the_previous_store(
    tmp_path: Path, synthetic: dict[int, Path]
) -> None:
    store = tmp_path / "store"
    before = build_store([synthetic[1]], store)
    load = subprocess.Popen(
        [sys.executable, "-m", "nkgraph", "load", str(synthetic[3]), "--store", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    building: list[Path] = []
    while not building and load.poll() is None and time.monotonic() < deadline:
        building = [
            p for p in store.iterdir() if p.name not in (".lock", "current", before.version)
        ]
        time.sleep(0.005)
    assert building, "the load finished before it could be killed"
    os.kill(load.pid, signal.SIGKILL)
    assert load.wait(timeout=10) == -signal.SIGKILL

    _, info = open_store(store)
    assert info == before
    assert quads_served(Engine.from_store(store)) == before.quads
    after = build_store([synthetic[3]], store)  # the next load clears what was left
    assert sorted(p.name for p in store.iterdir()) == sorted([".lock", "current", after.version])


def test_app_serves_a_store(tmp_path: Path, synthetic: dict[int, Path]) -> None:
    info = build_store([synthetic[1]], tmp_path / "store")
    app = create_app(Settings.from_env({}, store=tmp_path / "store"))
    response = app.test_client().get(
        "/sparql", query_string={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}
    )
    assert response.status_code == 200
    assert response.json == {"head": {}, "boolean": True}
    assert info.statistics.triples > 0


@pytest.mark.parametrize(
    ("recorded", "setting", "sees_named_graphs"),
    [(None, None, False), (True, None, True), (True, False, False), (None, True, True)],
    ids=["files-default", "recorded-union", "setting-overrides", "setting-union"],
)
def test_store_records_its_default_graph(
    tmp_path: Path,
    synthetic: dict[int, Path],
    recorded: bool | None,
    setting: bool | None,
    sees_named_graphs: bool,
) -> None:
    # The synthetic N-Quads file has named graphs only: its own default graph is empty.
    info = build_store([synthetic[1]], tmp_path / "store", union_default_graph=recorded)
    assert info.union_default_graph is bool(recorded)
    settings = Settings.from_env({}, store=tmp_path / "store", union_default_graph=setting)
    response = (
        create_app(settings)
        .test_client()
        .get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    )
    assert response.json == {"head": {}, "boolean": sees_named_graphs}
