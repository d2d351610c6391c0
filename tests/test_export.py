"""Exports: every format reads back as the graph it came from, byte-identically twice.

Round trips go through rdflib, and also through independent readers: pyld's JSON-LD
expansion (JSON-LD to N-Quads) and pyoxigraph's Turtle and TriG parsers.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdfcompare import assert_isomorphic, parse_as, union
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from nkgraph.errors import GraphNotFound
from nkgraph.export.dataset import (
    Frame,
    Scope,
    context_document,
    export,
    graph_names,
    quads_of,
    select_graph,
)
from nkgraph.formats import EXPORT_FORMATS, JSON_LD, N_QUADS, TRIG, TURTLE, Format
from nkgraph.model.loading import load_dataset
from nkgraph.vocab import GRAPHS

#: The graphs whose every predicate the JSON-LD context names with a short key.
DATA_GRAPHS = (GRAPHS.ARTICLE, GRAPHS.RESOLVED, GRAPHS.METADATA)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def named_graphs(dataset: Dataset) -> dict[str, Graph]:
    found = {}
    for graph in dataset.graphs():
        if graph.identifier != DATASET_DEFAULT_GRAPH_ID and len(graph):
            copy = Graph()
            for triple in graph:
                copy.add(triple)
            found[str(graph.identifier)] = copy
    return found


def rdflib_term(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value.endswith("#string"):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def oxigraph_graph(data: bytes, fmt: ox.RdfFormat) -> Graph:
    graph = Graph()
    for quad in ox.parse(data, format=fmt):
        graph.add(
            (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
        )
    return graph


def pyld_graph(data: bytes) -> Graph:
    """The JSON-LD read by pyld: expanded, turned into N-Quads, parsed by rdflib."""
    nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads"})
    graph = Graph()
    graph.parse(data=nquads, format="nquads")
    return union_of(graph)


def union_of(graph: Graph) -> Graph:
    plain = Graph()
    for triple in graph:
        plain.add(triple)
    return plain


FORMAT_IDS = [fmt.name for fmt in EXPORT_FORMATS]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMAT_IDS)
def test_dataset_export_reads_back_as_the_dataset(dataset: Dataset, fmt: Format) -> None:
    parsed = parse_as(export(quads_of(dataset, Scope.DATASET), fmt), fmt)
    if fmt.holds_datasets:
        expected, actual = named_graphs(dataset), named_graphs(parsed)
        assert sorted(actual) == sorted(expected)
        for name, graph in expected.items():
            assert_isomorphic(graph, actual[name])
    else:
        assert_isomorphic(union(dataset), union(parsed))


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMAT_IDS)
def test_one_graph_export_reads_back_as_that_graph(dataset: Dataset, fmt: Format) -> None:
    parsed = parse_as(export(quads_of(dataset, str(GRAPHS.ARTICLE)), fmt), fmt)
    expected = named_graphs(dataset)[str(GRAPHS.ARTICLE)]
    assert_isomorphic(expected, union(parsed))
    if fmt.holds_datasets:
        assert list(named_graphs(parsed)) == [str(GRAPHS.ARTICLE)]


@pytest.fixture(scope="module")
def reloaded() -> Dataset:
    """The same files loaded again: rdflib labels every blank node anew."""
    return load_dataset()


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMAT_IDS)
def test_two_exports_of_the_same_data_are_byte_identical(
    dataset: Dataset, reloaded: Dataset, fmt: Format
) -> None:
    first = export(quads_of(dataset, Scope.DATASET), fmt)
    second = export(quads_of(reloaded, Scope.DATASET), fmt)
    assert first == second


def test_turtle_reads_back_through_pyoxigraph(dataset: Dataset) -> None:
    data = export(quads_of(dataset, Scope.DATASET), TURTLE)
    assert_isomorphic(union(dataset), oxigraph_graph(data, ox.RdfFormat.TURTLE))


def test_trig_reads_back_through_pyoxigraph(dataset: Dataset) -> None:
    data = export(quads_of(dataset, Scope.DATASET), TRIG)
    names = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.TRIG)}  # type: ignore[union-attr]
    assert names == set(named_graphs(dataset))
    assert_isomorphic(union(dataset), oxigraph_graph(data, ox.RdfFormat.TRIG))


def test_turtle_uses_the_project_prefixes(dataset: Dataset) -> None:
    text = export(quads_of(dataset, str(GRAPHS.ARTICLE)), TURTLE).decode()
    assert "PREFIX nk: <https://w3id.org/nkgraph/ontology#>" in text.splitlines()
    assert "PREFIX art: <https://w3id.org/nkgraph/id/karabakh-exodus-2023/>" in text.splitlines()


@pytest.mark.parametrize("frame", [None, Frame.ENTITY], ids=["compacted", "entity"])
def test_jsonld_reads_back_through_pyld(dataset: Dataset, frame: Frame | None) -> None:
    data = export(quads_of(dataset, Scope.DATASET), JSON_LD, frame=frame)
    assert_isomorphic(union(dataset), pyld_graph(data))


def test_entity_frame_reads_back_through_rdflib(dataset: Dataset) -> None:
    data = export(quads_of(dataset, Scope.DATASET), JSON_LD, frame=Frame.ENTITY)
    assert_isomorphic(union(dataset), union(parse_as(data, JSON_LD)))


def jsonld_nodes(dataset: Dataset, which: Scope | str, frame: Frame | None) -> dict[str, Any]:
    document = json.loads(export(quads_of(dataset, which), JSON_LD, frame=frame))
    assert document["@context"] == context_document()["@context"]
    return {node["id"]: node for node in document["@graph"] if "id" in node}


def test_entity_frame_nests_blank_nodes_in_their_entity(dataset: Dataset) -> None:
    nodes = jsonld_nodes(dataset, Scope.DATASET, Frame.ENTITY)
    assert not [name for name in nodes if name.startswith("_:")]
    armenia = nodes["armenia"]
    assert armenia["label"] == "Armenia"
    in_s2 = [m for m in armenia["mention"] if m["inUnit"] == "art:s2"]
    # "fled to Armenia from ..." and "accommodations in Armenia": offsets from the text.
    assert sorted((m["surfaceForm"], m["beginIndex"], m["endIndex"]) for m in in_s2) == [
        ("Armenia", 480, 487),
        ("Armenia", 608, 615),
    ]
    assert {"type": "MentionPattern", "inUnit": "art:s2", "surfaceForm": "Armenia"} in armenia[
        "mentionedAs"
    ]


def test_jsonld_keys_are_short_and_values_typed(dataset: Dataset) -> None:
    nodes = jsonld_nodes(dataset, str(GRAPHS.ARTICLE), None)
    figure = nodes["art:fig-accommodated"]
    assert figure["type"] == "Count"
    assert figure["hedge"] == "MoreThan"
    assert figure["lowerBound"] == 34000
    assert figure["lowerBoundIncluded"] is False
    sentence = nodes["art:s2"]
    assert sentence["beginIndex"] == 401
    assert sentence["sentenceNumber"] == 2
    durations = [n for n in nodes.values() if isinstance(n.get("statedValue"), dict)]
    assert {"@value": "P9M", "type": "xsd:duration"} in [n["statedValue"] for n in durations]


def test_jsonld_names_every_data_predicate_with_a_short_key(dataset: Dataset) -> None:
    for name in DATA_GRAPHS:
        nodes = jsonld_nodes(dataset, str(name), Frame.ENTITY)
        keys = set()
        stack: list[Any] = list(nodes.values())
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                keys.update(key for key in item if not key.startswith("@"))
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        assert not sorted(key for key in keys if ":" in key), name


def test_jsonld_keeps_dates_typed(dataset: Dataset) -> None:
    nodes = jsonld_nodes(dataset, str(GRAPHS.METADATA), None)
    assert nodes["art:article"]["datePublished"] == "2023-09-30"
    context = context_document()["@context"]
    assert context["datePublished"] == {"@id": "schema:datePublished", "@type": "xsd:date"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(None, Scope.DATASET, id="none-is-the-dataset"),
        pytest.param("default", Scope.DEFAULT, id="default-is-the-union"),
        pytest.param(str(GRAPHS.ONTOLOGY), str(GRAPHS.ONTOLOGY), id="iri"),
        pytest.param("ontology", str(GRAPHS.ONTOLOGY), id="relative-to-graph-namespace"),
        pytest.param("metadata", str(GRAPHS.METADATA), id="last-segment"),
        pytest.param("nothing", GraphNotFound, id="unknown"),
    ],
)
def test_select_graph(dataset: Dataset, name: str | None, expected: object) -> None:
    known = graph_names(dataset)
    if expected is GraphNotFound:
        with pytest.raises(GraphNotFound, match="has no graph named 'nothing'"):
            select_graph(name, known)
    else:
        assert select_graph(name, known) == expected


def test_unknown_graph_is_refused(dataset: Dataset) -> None:
    with pytest.raises(GraphNotFound):
        quads_of(dataset, "http://example.org/nothing")


def test_a_frame_is_for_jsonld_only(dataset: Dataset) -> None:
    with pytest.raises(ValueError, match="JSON-LD only"):
        export(quads_of(dataset, str(GRAPHS.METADATA)), N_QUADS, frame=Frame.ENTITY)


def test_docstring_examples_run() -> None:
    import doctest

    import nkgraph.export.dataset

    assert doctest.testmod(nkgraph.export.dataset).failed == 0


def test_the_engine_keeps_the_shipped_graph_as_written(dataset: Dataset) -> None:
    """What the service exports (read through pyoxigraph) is the graph of the files, and
    still conforms: no datatype is rewritten on the way (offsets are plain xsd:integer)."""
    from nkgraph.export.dataset import Scope, fetch
    from nkgraph.sparql.engine import Engine
    from nkgraph.validation.shacl import validate

    served = fetch(Engine.from_dataset(dataset), Scope.DATASET, timeout=60)
    back = Dataset(default_union=True)
    nquads = ox.serialize(served, format=ox.RdfFormat.N_QUADS)
    assert nquads is not None
    back.parse(data=nquads, format="nquads")
    for name in (GRAPHS.ARTICLE, GRAPHS.RESOLVED, GRAPHS.METADATA):
        expected, actual = dataset.graph(name), back.graph(name)
        assert_isomorphic(expected, actual)
    assert validate(back).conforms
