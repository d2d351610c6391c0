"""Finding the shipped ontology, shapes and data."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkgraph.model.resources import ResourcePaths, shipped


def test_layout_of_a_resource_root(tmp_path: Path) -> None:
    paths = ResourcePaths(tmp_path)
    assert paths.ontology == tmp_path / "ontology" / "nkgraph.ttl"
    assert paths.shapes == tmp_path / "ontology" / "shapes.ttl"
    assert paths.article_text == tmp_path / "data" / "article.txt"


def test_data_files_are_the_trig_files_in_order(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("b.trig", "a.trig", "article.txt", "notes.ttl"):
        (data / name).touch()
    assert ResourcePaths(tmp_path).data_files() == [data / "a.trig", data / "b.trig"]


@pytest.fixture
def resources() -> ResourcePaths:
    try:
        return shipped()
    except FileNotFoundError:
        pytest.skip("the shipped ontology (ontology/nkgraph.ttl) is not written yet")


def test_shipped_resources_are_found(resources: ResourcePaths) -> None:
    assert resources.ontology.is_file()
    assert resources.shapes.is_file()
    assert resources.article_text.is_file()
