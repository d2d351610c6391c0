"""``nkgraph export``: formats, one graph, a file, frames, and wrong input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from nkgraph.cli.commands import main
from nkgraph.export.dataset import Scope, export, quads_of
from nkgraph.formats import TURTLE
from nkgraph.model.loading import load_dataset


def test_export_writes_turtle_of_the_union_by_default(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export"])
    assert result.exit_code == 0, result.output
    expected = export(quads_of(load_dataset(), Scope.DATASET), TURTLE)
    assert result.stdout_bytes == expected


def test_export_one_graph_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "metadata.nq"
    result = runner.invoke(
        main, ["export", "--format", "nquads", "--graph", "metadata", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    parsed = Dataset()
    parsed.parse(out, format="nquads")
    names = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert names == {"https://w3id.org/nkgraph/graph/karabakh-exodus-2023/metadata"}


def test_export_files_given(runner: CliRunner, test_data: Path) -> None:
    result = runner.invoke(main, ["export", "--format", "ntriples", str(test_data / "valid.trig")])
    assert result.exit_code == 0, result.output
    source = Graph()
    for s, p, o, _ in load_dataset([test_data / "valid.trig"]).quads((None, None, None, None)):
        source.add((s, p, o))
    assert isomorphic(source, Graph().parse(data=result.stdout_bytes, format="nt"))


def test_export_entity_frame(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--format", "jsonld", "--frame", "entity"])
    assert result.exit_code == 0, result.output
    nodes = {node["id"]: node for node in json.loads(result.stdout_bytes)["@graph"]}
    assert isinstance(nodes["armenia"]["mention"][0], dict)


def test_export_unknown_graph_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--graph", "nothing"])
    assert result.exit_code == 2
    assert "has no graph named 'nothing'" in result.stderr


def test_export_frame_needs_jsonld(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--frame", "entity"])
    assert result.exit_code == 2
    assert "--frame applies to --format jsonld only" in result.stderr
