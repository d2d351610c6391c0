"""Loading RDF files: named graphs, and errors that name the file, the line and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SH

from nkgraph.errors import DataLoadError, InstallationError
from nkgraph.model import loading as graph
from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.model.resources import ResourcePaths
from nkgraph.vocab import GRAPHS

EX = "http://example.org/test#"


class Broken(NamedTuple):
    """A file that does not parse, and where its parser should say it stops."""

    name: str
    content: bytes
    line: int | None
    column: int | None = None


BROKEN = [
    pytest.param(
        Broken("a.ttl", b'@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n\nex:a ex:b "open .\n', 4),
        id="turtle-unterminated-string",
    ),
    pytest.param(
        Broken("a.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b undefined:c .\n", 2, 11),
        id="turtle-unbound-prefix",
    ),
    pytest.param(
        # The curly quotes are several bytes each in UTF-8; the column counts characters.
        Broken("a.ttl", '@prefix ex: <http://e/> .\nex:a ex:b "“q”" ex:c .\n'.encode(), 2, 17),
        id="turtle-column-counts-characters",
    ),
    pytest.param(
        Broken("a.trig", b"@prefix ex: <http://e/> .\nex:g {\n ex:a ex:b ex:c ex:d .\n}\n", 3),
        id="trig-extra-term",
    ),
    pytest.param(
        Broken(
            "a.nt", b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> c .\n", 2
        ),
        id="n-triples-bare-word",
    ),
    pytest.param(
        Broken(
            "a.nq",
            b"<http://e/a> <http://e/b> <http://e/c> .\n"
            b"\n"
            b'<http://e/a> <http://e/b> "x" <http://g> <http://h> .\n',
            3,
        ),
        id="n-quads-five-terms",
    ),
    pytest.param(
        Broken(
            "a.rdf",
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            b"<rdf:Description>\n</rdf:RDF>\n",
            3,
        ),
        id="rdf-xml-mismatched-tag",
    ),
    pytest.param(
        Broken("a.jsonld", b'{\n "@id": "http://e/a",\n "http://e/b": \n}\n', 4, 1),
        id="json-ld-bad-json",
    ),
    pytest.param(
        Broken("a.jsonld", b'{"@context": {"x": {"@id": 7}}, "x": 1}\n', None),
        id="json-ld-bad-context",
    ),
    pytest.param(
        Broken(
            "a.ttl", b'@prefix ex: <http://e/> .\nex:a ex:b "ok" .\nex:a ex:b "\xff" .\n', 3, 12
        ),
        id="not-utf-8",
    ),
]


@pytest.mark.parametrize("broken", BROKEN)
def test_parse_error_names_file_line_and_problem(tmp_path: Path, broken: Broken) -> None:
    path = tmp_path / broken.name
    path.write_bytes(broken.content)

    with pytest.raises(DataLoadError) as raised:
        load_dataset([path], ontology=_empty_ontology(tmp_path))

    error = raised.value
    assert (error.path, error.line) == (path, broken.line)
    if broken.column is not None:
        assert error.column == broken.column
    assert error.problem
    where = f"{path}, line {broken.line}" if broken.line else f"{path}:"
    assert str(error).startswith(where)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(lambda d: d / "missing.ttl", "no such file", id="missing-file"),
        pytest.param(
            lambda d: _touch(d / "notes.txt"), "unknown RDF file extension", id="unknown-extension"
        ),
        pytest.param(lambda d: _mkdir(d / "empty"), "holds no RDF file", id="folder-without-rdf"),
    ],
)
def test_unusable_path_is_named(tmp_path: Path, make: Callable[[Path], Path], problem: str) -> None:
    path = make(tmp_path)
    with pytest.raises(DataLoadError, match=problem) as raised:
        load_dataset([path], ontology=_empty_ontology(tmp_path))
    assert raised.value.path == path


def test_missing_ontology_is_a_load_error(tmp_path: Path, test_data: Path) -> None:
    with pytest.raises(DataLoadError, match="no such file"):
        load_dataset([test_data / "valid.trig"], ontology=tmp_path / "nope.ttl")


def test_ontology_goes_into_the_ontology_graph(load_fixture: Callable[..., Dataset]) -> None:
    dataset = load_fixture("valid.trig")
    ontology = dataset.graph(GRAPHS.ONTOLOGY)
    assert (URIRef(EX + "Person"), None, None) in ontology


def test_turtle_goes_into_the_default_graph(
    load_fixture: Callable[..., Dataset], test_data: Path
) -> None:
    dataset = load_fixture("warning.ttl")
    triple = (URIRef(EX + "pashinyan"), URIRef(EX + "name"), Literal("Nikol Pashinyan"))
    assert triple in dataset.default_graph
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {
        str(DATASET_DEFAULT_GRAPH_ID),
        str(GRAPHS.ONTOLOGY),
    }


def test_served_files_get_no_ontology_unless_asked(test_data: Path) -> None:
    plain = ox.Store()
    graph.load_into_store(plain, [test_data / "warning.ttl"])
    assert list(plain.named_graphs()) == []
    assert len(plain) == len(load_dataset([test_data / "warning.ttl"], with_ontology=False))
    with_it = ox.Store()
    graph.load_into_store(with_it, [test_data / "warning.ttl"], with_ontology=True)
    assert list(with_it.named_graphs()) == [ox.NamedNode(str(GRAPHS.ONTOLOGY))]


def test_trig_keeps_its_named_graphs(load_fixture: Callable[..., Dataset]) -> None:
    dataset = load_fixture("valid.trig")
    assert len(dataset.graph(URIRef(EX + "graph"))) == 6


def test_a_folder_stands_for_the_rdf_files_in_it(tmp_path: Path, test_data: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("valid.trig", "warning.ttl"):
        (tmp_path / "sub" / name).write_bytes((test_data / name).read_bytes())
    _touch(tmp_path / "sub" / "README.txt")

    dataset = load_dataset([tmp_path / "sub"], ontology=test_data / "ontology.ttl")

    subjects = {s for s, _, _, _ in dataset.quads((None, None, None, None))}
    assert {URIRef(EX + "blinken"), URIRef(EX + "pashinyan")} <= subjects


def test_ill_typed_literal_loads(tmp_path: Path) -> None:
    """Checking datatypes is the shapes' job: an ill-typed literal is not a parse error."""
    path = tmp_path / "typed.ttl"
    path.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://e/a> <http://e/b> "x"^^xsd:integer .\n'
    )
    dataset = load_dataset([path], ontology=_empty_ontology(tmp_path))
    assert len(dataset) == 1


def test_load_shapes_from_a_file(test_data: Path) -> None:
    shapes = load_shapes(test_data / "shapes.ttl")
    assert isinstance(shapes, Graph)
    assert (URIRef(EX + "AgentShape"), SH.targetClass, URIRef(EX + "Agent")) in shapes


def test_load_shapes_from_a_dataset_format(tmp_path: Path) -> None:
    """A shapes file in TriG becomes one graph: the union of its graphs."""
    path = tmp_path / "shapes.trig"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://e/g> { <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> . }\n"
    )
    shapes = load_shapes(path)
    assert (URIRef("http://e/S"), SH.targetClass, URIRef("http://e/C")) in shapes


def test_load_shapes_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataLoadError, match="no such file"):
        load_shapes(tmp_path / "shapes.ttl")


def test_missing_installation_is_an_installation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere() -> ResourcePaths:
        raise FileNotFoundError("nkgraph's ontology and data were not found")

    monkeypatch.setattr(graph, "shipped", nowhere)
    with pytest.raises(InstallationError, match="not found"):
        load_dataset()


def test_missing_shipped_shapes_is_an_installation_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(graph, "shipped", lambda: ResourcePaths(tmp_path))
    with pytest.raises(InstallationError, match="shapes"):
        load_shapes()


def _empty_ontology(folder: Path) -> Path:
    return _touch(folder / "ontology.ttl")


def _touch(path: Path) -> Path:
    path.touch()
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path
