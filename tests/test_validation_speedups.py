"""What nkgraph swaps into pySHACL and rdflib while validating changes no result."""

from __future__ import annotations

import pyshacl
import pyshacl.shape
import pytest
from pyshacl.errors import ConstraintLoadWarning
from rdfcompare import assert_isomorphic
from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import SH
from test_shapes import CASES, FIXTURE, PREFIXES

from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.validation.shacl_query_cache import prepared_queries
from nkgraph.validation.shacl_run import run_pyshacl
from nkgraph.validation.shacl_speedups import _BuiltOnce, pyshacl_speedups

EX = Namespace("http://example.org/ex#")
OTHER = Namespace("http://example.org/other#")


@pytest.fixture(scope="module")
def broken() -> Dataset:
    """The shapes' fixture broken in each way test_shapes knows: about 100 results."""
    dataset = load_dataset([FIXTURE])
    for case in CASES:
        dataset.update(PREFIXES + case.update)
    return dataset


def test_report_is_pyshacl_s_own(broken: Dataset) -> None:
    shapes = load_shapes()
    conforms, report, _ = pyshacl.validate(
        broken,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    assert isinstance(report, Graph)
    # Cases applied one after another partly overwrite each other (several change the same
    # figure), so the results are fewer than the cases; still enough for the comparison.
    assert len(set(report.objects(None, SH.result))) >= 100

    ours_conforms, ours = run_pyshacl(broken, shapes, allow_warnings=True)

    assert ours_conforms == conforms
    assert_isomorphic(report, ours)


def test_a_component_is_built_once_per_shape() -> None:
    built: list[object] = []

    class Component:
        def __init__(self, shape: object, *args: object) -> None:
            built.append(shape)

    stand_in = _BuiltOnce(Component)
    first, second = object(), object()

    assert stand_in(first) is stand_in(first)
    assert stand_in(second) is not stand_in(first)
    assert built == [first, second]
    assert stand_in(first, "other arguments") is not stand_in(first)


def test_a_component_that_cannot_be_built_fails_each_time() -> None:
    built = []

    def component(shape: object) -> None:
        built.append(shape)
        raise ConstraintLoadWarning("not for this shape", "https://www.w3.org/TR/shacl/")

    stand_in = _BuiltOnce(component)  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(ConstraintLoadWarning, match="not for this shape"):
            stand_in("shape")
    assert built == ["shape"]


def test_one_stand_in_per_component_and_the_map_restored() -> None:
    saved = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    with pyshacl_speedups():
        _, parameter_map = pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        # Shape.validate evaluates a component once for all the parameters that name it.
        assert parameter_map[SH.qualifiedMinCount] is parameter_map[SH.qualifiedMaxCount]
        assert parameter_map[SH.minCount] is not parameter_map[SH.maxCount]
    assert getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None) is saved


def test_prefixes_bound_within_the_block_are_used() -> None:
    graph = Graph()
    graph.add((EX.a, EX.p, EX.b))
    graph.bind("ex", EX)
    with prepared_queries():
        assert graph.query("ASK { ex:a ex:p ex:b }").askAnswer
        graph.bind("ex", OTHER, replace=True)
        assert not graph.query("ASK { ex:a ex:p ex:b }").askAnswer
