"""A built store, and a gate that checks whole data against the suite's own shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from nkgraph.config import Settings
from nkgraph.curation.commit import Curator
from nkgraph.curation.patch import Patch
from nkgraph.model.loading import load_shapes
from nkgraph.sparql.engine import Engine
from nkgraph.sparql.store import build_store
from nkgraph.validation.shacl import ValidationReport, validate

TEST_DATA = Path(__file__).parents[1] / "data"
EX = "http://example.org/test#"
GRAPH = ox.NamedNode(EX + "graph")


class WholeDataGate:
    """Validates all the data a patch would leave (with the suite's ontology) against
    the suite's shapes: slow, plainly right, and independent of ``curation/gate.py``."""

    def __init__(self) -> None:
        self.shapes = load_shapes(TEST_DATA / "shapes.ttl")
        self.ontology = Graph().parse(TEST_DATA / "ontology.ttl")
        self.checked = 0

    def derived(self, store: ox.Store, patch: Patch) -> Patch:
        return Patch()

    def check(self, store: ox.Store, patch: Patch) -> ValidationReport:
        self.checked += 1
        after = ox.Store()
        after.extend(store)
        for quad in patch.removed:
            after.remove(quad)
        after.extend(patch.added)
        dataset = Dataset()
        dataset.parse(data=after.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        for triple in self.ontology:
            dataset.add(triple)
        return validate(dataset, shapes=self.shapes, workers=1)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store built from ``tests/data/valid.trig``."""
    directory = tmp_path / "store"
    build_store([TEST_DATA / "valid.trig"], directory, validate=False)
    return directory


@pytest.fixture
def write_settings(store_dir: Path) -> Settings:
    return Settings(store=store_dir, writes=True, write_wait=0.5)


def open_curator(settings: Settings) -> Curator:
    """A new engine on the store, and its curator (as a new worker process opens them)."""
    from nkgraph.sparql.opening import open_engine

    engine = open_engine(settings)
    assert isinstance(engine, Engine)
    return Curator.open(settings, engine, gate=WholeDataGate())


@pytest.fixture
def curator(write_settings: Settings) -> Curator:
    return open_curator(write_settings)
