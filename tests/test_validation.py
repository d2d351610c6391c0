"""Validation with pySHACL, and the typed report it gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH, XSD

from nkgraph.errors import ShapesError
from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.validation.shacl import Severity, ValidationReport, validate

EX = "http://example.org/test#"

Load = Callable[..., Dataset]


@pytest.fixture
def shapes(test_data: Path) -> Graph:
    return load_shapes(test_data / "shapes.ttl")


def test_valid_data_conforms(load_fixture: Load, shapes: Graph) -> None:
    report = validate(load_fixture("valid.trig"), shapes=shapes)
    assert report.conforms
    assert report.results == ()
    assert (None, SH.conforms, Literal(True)) in report.graph


@pytest.fixture
def invalid(load_fixture: Load, shapes: Graph) -> ValidationReport:
    return validate(load_fixture("invalid.ttl"), shapes=shapes)


def test_invalid_data_does_not_conform(invalid: ValidationReport) -> None:
    assert not invalid.conforms
    assert (None, SH.conforms, Literal(False)) in invalid.graph


def test_every_result_is_reported_most_severe_first(invalid: ValidationReport) -> None:
    found = [
        (r.severity, r.focus_node, r.constraint_component.removeprefix(str(SH)))
        for r in invalid.results
    ]
    assert found == [
        # ex:AgentShape targets ex:Agent: it reaches ex:Person through the ontology graph.
        (Severity.VIOLATION, URIRef(EX + "spokesperson"), "MinCountConstraintComponent"),
        # SHACL-SPARQL constraints run (pySHACL's advanced mode).
        (Severity.VIOLATION, URIRef(EX + "killed"), "SPARQLConstraintComponent"),
        (Severity.VIOLATION, URIRef(EX + "killed"), "ClassConstraintComponent"),
        (Severity.WARNING, URIRef(EX + "spokesperson"), "MaxCountConstraintComponent"),
    ]
    assert invalid.counts() == {Severity.VIOLATION: 3, Severity.WARNING: 1, Severity.INFO: 0}


def test_result_carries_path_value_shape_and_message(invalid: ValidationReport) -> None:
    sparql = invalid.results[1]
    assert sparql.path is None
    assert sparql.value == Literal(6500, datatype=XSD.integer)
    assert sparql.source_shape == sparql.named_shape == URIRef(EX + "FigureShape")
    assert sparql.message == "The lower bound 7000 is above the value 6500."

    hedge = invalid.results[2]
    assert hedge.path == URIRef(EX + "hedge")
    assert hedge.value == URIRef(EX + "undeclared")


def test_blank_node_shape_is_named_by_its_node_shape(invalid: ValidationReport) -> None:
    name = invalid.results[0]
    assert name.source_shape != name.named_shape
    assert name.named_shape == URIRef(EX + "AgentShape")


def test_english_message_is_preferred(invalid: ValidationReport) -> None:
    assert invalid.results[0].message == "An agent needs a name, as a string."


def test_controlled_value_declared_in_the_ontology_is_seen(
    load_fixture: Load, shapes: Graph
) -> None:
    """ex:moreThan's type is in the ontology graph only, yet sh:class finds it."""
    report = validate(load_fixture("valid.trig"), shapes=shapes)
    assert not [r for r in report.results if r.path == URIRef(EX + "hedge")]


def test_ontology_graph_is_validated_with_the_data(load_fixture: Load) -> None:
    """The price of letting shapes see the ontology: targets can reach its terms."""
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <{OWL.Class}> ;
            sh:property [ sh:path <urn:nowhere> ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    report = validate(load_fixture("valid.trig"), shapes=shapes)
    assert {r.focus_node for r in report.results} == {
        URIRef(EX + name) for name in ("Agent", "Person", "Figure")
    }


def test_warnings_allowed_by_default(load_fixture: Load, shapes: Graph) -> None:
    report = validate(load_fixture("warning.ttl"), shapes=shapes)
    assert report.conforms
    assert [r.severity for r in report.results] == [Severity.WARNING]


def test_warnings_can_fail(load_fixture: Load, shapes: Graph) -> None:
    report = validate(load_fixture("warning.ttl"), shapes=shapes, allow_warnings=False)
    assert not report.conforms


def test_a_plain_graph_is_validated_as_it_is(test_data: Path, shapes: Graph) -> None:
    """Without the ontology, ex:Person is not an ex:Agent, so nothing targets it."""
    data = Graph().parse(test_data / "invalid.ttl")
    report = validate(data, shapes=shapes)
    assert {r.focus_node for r in report.results} == {URIRef(EX + "killed")}


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        pytest.param(
            'sh:property [ sh:path <urn:p> ; sh:minCount "many" ]',
            "minCount",
            id="not-shacl",
        ),
        pytest.param(
            'sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:p> " ]',
            "cannot be used",
            id="sparql-syntax",
        ),
    ],
)
def test_unusable_shapes_raise(load_fixture: Load, shape: str, problem: str) -> None:
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <{EX}Person> ; {shape} .
        """,
        format="turtle",
    )
    with pytest.raises(ShapesError, match=problem):
        validate(load_fixture("valid.trig"), shapes=shapes)


def test_named_graphs_stay_apart(tmp_path: Path, test_data: Path, shapes: Graph) -> None:
    """SHACL-SPARQL can ask which named graph holds a triple (GRAPH ?g)."""
    split = tmp_path / "split.trig"
    split.write_text(
        "@prefix ex: <http://example.org/test#> .\n"
        "ex:said { ex:f a ex:Figure ; ex:value 10 ; ex:hedge ex:moreThan . }\n"
        "ex:derived { ex:f ex:lowerBound 10 . }\n"
    )
    report = validate(load_dataset([split], ontology=test_data / "ontology.ttl"), shapes=shapes)
    assert [r.message for r in report.results] == [
        "A figure's value and its lower bound are stated in the same named graph."
    ]


def test_data_is_left_as_it_was(load_fixture: Load, shapes: Graph) -> None:
    """pySHACL validates the Dataset in place (no copy), and switches it to default_union."""
    data = load_fixture("invalid.ttl")
    data.default_union = False
    before = set(data.quads((None, None, None, None)))
    validate(data, shapes=shapes)
    assert not data.default_union
    assert set(data.quads((None, None, None, None))) == before


def test_shapes_with_rules_validate_a_copy(load_fixture: Load) -> None:
    """A SHACL rule adds triples to the graph pySHACL validates: never to the caller's."""
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <{EX}Person> ;
            sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:seen> ;
                      sh:object sh:this ] .
        """,
        format="turtle",
    )
    data = load_fixture("invalid.ttl")
    before = len(data)
    validate(data, shapes=shapes)
    assert len(data) == before


@pytest.mark.parametrize("workers", [2, 3])
def test_report_is_the_same_in_several_processes(
    load_fixture: Load, shapes: Graph, workers: int
) -> None:
    """Each worker validates a share of the focus nodes; the merged report is the same."""
    data = load_fixture("invalid.ttl", "warning.ttl")
    alone = validate(data, shapes=shapes, workers=1)
    shared = validate(data, shapes=shapes, workers=workers)
    assert shared.conforms == alone.conforms
    assert shared.results == alone.results
    assert len(list(shared.graph.subjects(RDF.type, SH.ValidationReport))) == 1
    assert len(list(shared.graph.objects(None, SH.result))) == len(alone.results)
    assert (None, SH.conforms, Literal(False)) in shared.graph


def test_errors_in_a_worker_are_shapes_errors(load_fixture: Load) -> None:
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <{EX}Person> ;
            sh:sparql [ sh:select "SELECT $this WHERE {{ $this <urn:p> " ] .
        """,
        format="turtle",
    )
    with pytest.raises(ShapesError, match="cannot be used"):
        validate(load_fixture("valid.trig"), shapes=shapes, workers=2)
