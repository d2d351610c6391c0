"""The validation gate (curation/gate.py): a patch checked against the shapes, incrementally.

The incremental report must say what a full validation of the patched data says about
the nodes the patch can affect, and every other node's outcome must be as before: both
are checked for many seeded random patches on the shipped graph and on synthetic data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from nkgraph.curation.gate import ShapesGate, check_patch
from nkgraph.curation.neighbourhood import PatchedView, affected_focus_nodes, rdflib_term
from nkgraph.curation.patch import Patch
from nkgraph.curation.truthy_upkeep import TRUTHY_GRAPH
from nkgraph.errors import WriteRejected
from nkgraph.model.loading import load_into_store
from nkgraph.model.synthetic import synthetic_quads
from nkgraph.model.truthy import add_truthy_graph_to_store
from nkgraph.validation.reach import Reach, Walks, shapes_reach
from nkgraph.validation.shacl import ValidationReport, ValidationResult, validate
from nkgraph.vocab import NK

ART = "https://w3id.org/nkgraph/id/karabakh-exodus-2023/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def nk(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(NK) + name)


@pytest.fixture(scope="module")
def gate() -> ShapesGate:
    return ShapesGate()


@pytest.fixture(scope="module")
def shipped() -> ox.Store:
    store = ox.Store()
    load_into_store(store)
    return store


@pytest.fixture(scope="module")
def synthetic() -> ox.Store:
    store = ox.Store()
    store.extend(synthetic_quads(1))
    add_truthy_graph_to_store(store)
    return store


def one(store: ox.Store, subject: ox.NamedNode | None, predicate: ox.NamedNode) -> ox.Quad:
    return sorted(store.quads_for_pattern(subject, predicate, None, None), key=str)[0]


def replaced(quad: ox.Quad, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, obj, quad.graph_name)


# --- plain cases --------------------------------------------------------------------


def test_an_empty_patch_conforms(gate: ShapesGate, shipped: ox.Store) -> None:
    assert gate.check(shipped, Patch()).conforms


def test_a_conforming_patch_passes(gate: ShapesGate, shipped: ox.Store) -> None:
    label = one(shipped, None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))
    assert isinstance(label.object, ox.Literal)
    renamed = replaced(label, ox.Literal("A new name", language=label.object.language))
    report = check_patch(shipped, Patch(removed=(label,), added=(renamed,)), shapes=gate.shapes)
    assert report.conforms, report.results
    assert report.results == ()


@dataclass(frozen=True)
class Violation:
    """A patch made from the shipped store, and the result it must get."""

    make: Callable[[ox.Store], tuple[Patch, ox.NamedNode, ox.Term | None]]
    path: str
    message: str


def _figure_value(store: ox.Store) -> ox.Quad:
    return one(store, ox.NamedNode(ART + "fig-bbc-refugees"), nk("statedValue"))


def _remove_required(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    quad = _figure_value(store)
    return Patch(removed=(quad,)), quad.subject, None  # type: ignore[return-value]


def _wrong_datatype(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    quad = _figure_value(store)
    value = ox.Literal("100000", datatype=ox.NamedNode(XSD + "string"))
    return Patch(removed=(quad,), added=(replaced(quad, value),)), quad.subject, value  # type: ignore[return-value]


def _weird_boolean(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    quad = one(store, None, nk("truncated"))
    value = ox.Literal("perhaps", datatype=ox.NamedNode(XSD + "boolean"))
    return Patch(removed=(quad,), added=(replaced(quad, value),)), quad.subject, value  # type: ignore[return-value]


def _second_hedge(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    quad = one(store, ox.NamedNode(ART + "fig-bbc-refugees"), nk("hedge"))
    other = nk("Roughly") if quad.object != nk("Roughly") else nk("Nearly")
    return Patch(added=(replaced(quad, other),)), quad.subject, None  # type: ignore[return-value]


def _untyped_figure(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    figure = ox.NamedNode(ART + "fig-bbc-refugees")
    statement = one_subject(store, nk("figure"), figure)
    types = tuple(store.quads_for_pattern(figure, RDF_TYPE, None, None))
    return Patch(removed=types), statement, figure


def _quotation_words(store: ox.Store) -> tuple[Patch, ox.NamedNode, ox.Term | None]:
    quad = one(store, None, ox.NamedNode("http://www.w3.org/ns/oa#exact"))
    words = ox.Literal("words nobody said")
    return Patch(removed=(quad,), added=(replaced(quad, words),)), quad.subject, None  # type: ignore[return-value]


def one_subject(store: ox.Store, predicate: ox.NamedNode, obj: ox.NamedNode) -> ox.NamedNode:
    quad = sorted(store.quads_for_pattern(None, predicate, obj, None), key=str)[0]
    assert isinstance(quad.subject, ox.NamedNode)
    return quad.subject


VIOLATIONS = [
    pytest.param(
        Violation(
            _remove_required, str(NK.statedValue), "A figure needs exactly one nk:statedValue."
        ),
        id="required-triple-removed",
    ),
    pytest.param(
        Violation(
            _wrong_datatype, str(NK.statedValue), "A count's nk:statedValue is an xsd:integer."
        ),
        id="wrong-datatype",
    ),
    pytest.param(
        Violation(_weird_boolean, str(NK.truncated), "nk:truncated is a single xsd:boolean."),
        id="ill-typed-boolean",
    ),
    pytest.param(
        Violation(_second_hedge, str(NK.hedge), "A figure needs one nk:hedge from nk:Hedges."),
        id="second-value",
    ),
    pytest.param(
        Violation(
            _untyped_figure, str(NK.figure), "A statement's nk:figure is a single nk:Figure."
        ),
        id="value-loses-its-type",
    ),
    pytest.param(
        Violation(_quotation_words, "", "does not stand between quotation marks"),
        id="sparql-constraint",
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS)
def test_each_kind_of_violation_is_reported(
    gate: ShapesGate, shipped: ox.Store, case: Violation
) -> None:
    patch, focus, value = case.make(shipped)
    report = gate.check(shipped, patch)
    assert not report.conforms
    matching = [
        r
        for r in report.results
        if r.focus_node == rdflib_term(focus)
        and case.message in r.message
        and (str(r.path) == case.path if case.path else r.path is None)
    ]
    assert matching, [(r.focus_node, r.path, r.message) for r in report.results]
    if value is not None:
        assert rdflib_term(value) in {r.value for r in matching}


# --- soundness: incremental against full ---------------------------------------------

#: A result as the comparison sees it (blank-node source shapes differ between runs).
Key = tuple[str, str, str, str, str, str]


def key(result: ValidationResult) -> Key:
    return (
        str(result.named_shape),
        result.focus_node.n3(),
        "" if result.path is None else result.path.n3(),
        "" if result.value is None else result.value.n3(),
        str(result.constraint_component),
        result.message,
    )


def full(gate: ShapesGate, store: ox.Store, patch: Patch) -> ValidationReport:
    return validate(gate.dataset(PatchedView(store, patch).quads()), shapes=gate.shapes, workers=1)


def random_patch(store: ox.Store, rng: random.Random) -> Patch:
    """One to three random edits of the kinds a curator's mistake makes."""
    quads = sorted(store, key=str)
    quads = [
        q for q in quads if q.graph_name != TRUTHY_GRAPH and "ontology" not in str(q.graph_name)
    ]
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for _ in range(rng.randint(1, 3)):
        quad = rng.choice(quads)
        edit = rng.choice(EDITS)
        gone, new = edit(quad, quads, rng)
        removed += gone
        added += new
    data = set(store)
    return Patch.between([q for q in removed if q in data], [q for q in added if q not in data])


Edit = Callable[[ox.Quad, list[ox.Quad], random.Random], tuple[list[ox.Quad], list[ox.Quad]]]


def _remove(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    return [quad], []


def _retype_literal(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    if not isinstance(quad.object, ox.Literal):
        return _redirect(quad, quads, rng)
    datatype = rng.choice(["string", "integer", "date", "boolean"])
    return [quad], [
        replaced(quad, ox.Literal(quad.object.value, datatype=ox.NamedNode(XSD + datatype)))
    ]


def _change_literal(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    if not isinstance(quad.object, ox.Literal):
        return _remove(quad, quads, rng)
    return [quad], [replaced(quad, ox.Literal(quad.object.value[:3] + "x"))]


def _redirect(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The same predicate, another quad's object: retypes a node, moves a link, or (when
    the old one is kept) adds a second value."""
    others = [q.object for q in quads if q.predicate == quad.predicate and q.object != quad.object]
    if not others:
        return _remove(quad, quads, rng)
    new = replaced(quad, rng.choice(others))  # type: ignore[arg-type]
    return ([] if rng.random() < 0.4 else [quad]), [new]


def _delete_node(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    return [q for q in quads if q.subject == quad.subject], []


def _untype(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    return [q for q in quads if q.subject == quad.subject and q.predicate == RDF_TYPE], []


EDITS: list[Edit] = [_remove, _retype_literal, _change_literal, _redirect, _delete_node, _untype]


def assert_sound(gate: ShapesGate, store: ox.Store, before: ValidationReport, patch: Patch) -> None:
    incremental = gate.check(store, patch)
    after = full(gate, store, patch)
    if gate.needs_full_validation(patch):
        assert {key(r) for r in incremental.results} == {key(r) for r in after.results}
        return
    affected = {rdflib_term(n).n3() for n in affected_focus_nodes(store, patch, gate.reach)}
    near = {key(r) for r in after.results if r.focus_node.n3() in affected}
    assert {key(r) for r in incremental.results} == near, patch
    far_after = {key(r) for r in after.results if r.focus_node.n3() not in affected}
    far_before = {key(r) for r in before.results if r.focus_node.n3() not in affected}
    assert far_after == far_before, (patch, far_after ^ far_before)
    assert incremental.conforms == (
        not any(r.severity.label == "Violation" for r in incremental.results)
    )


@pytest.fixture(scope="module")
def shipped_report(gate: ShapesGate, shipped: ox.Store) -> ValidationReport:
    return full(gate, shipped, Patch())


@pytest.fixture(scope="module")
def synthetic_report(gate: ShapesGate, synthetic: ox.Store) -> ValidationReport:
    return full(gate, synthetic, Patch())


@pytest.mark.parametrize("seed", range(100, 110))
def test_incremental_matches_full_on_the_shipped_graph(
    gate: ShapesGate, shipped: ox.Store, shipped_report: ValidationReport, seed: int
) -> None:
    patch = random_patch(shipped, random.Random(seed))  # noqa: S311 (reproducible, not a secret)
    assert_sound(gate, shipped, shipped_report, patch)


@pytest.mark.parametrize("seed", range(200, 214))
def test_incremental_matches_full_on_synthetic_data(
    gate: ShapesGate, synthetic: ox.Store, synthetic_report: ValidationReport, seed: int
) -> None:
    patch = random_patch(synthetic, random.Random(seed))  # noqa: S311 (reproducible, not a secret)
    assert_sound(gate, synthetic, synthetic_report, patch)


# --- truthy upkeep ---------------------------------------------------------------------


def truthy_quads(store: ox.Store) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, TRUTHY_GRAPH))


def applied(store: ox.Store, *patches: Patch) -> ox.Store:
    """A copy of ``store`` with ``patches`` applied in turn."""
    copy = ox.Store()
    copy.extend(store)
    for patch in patches:
        for quad in patch.removed:
            copy.remove(quad)
        copy.extend(patch.added)
    return copy


def rederived(store: ox.Store) -> set[ox.Quad]:
    """The truthy graph of ``store``'s statements, derived from scratch."""
    copy = applied(store)
    add_truthy_graph_to_store(copy)
    return truthy_quads(copy)


def truthy_statement(store: ox.Store, value_predicate: str) -> ox.NamedNode:
    """An article-voice assertion with a value of ``value_predicate`` that gives a truthy triple."""
    for quad in sorted(store.quads_for_pattern(None, nk(value_predicate), None, None), key=str):
        statement = quad.subject
        subject = one(store, statement, nk("subject")).object
        predicate = one(store, statement, nk("predicate")).object
        if ox.Quad(subject, predicate, quad.object, TRUTHY_GRAPH) in store:  # type: ignore[arg-type]
            assert isinstance(statement, ox.NamedNode)
            return statement
    raise AssertionError(f"no truthy statement with nk:{value_predicate}")


def test_changing_a_figure_statement_moves_its_truthy_triple(
    gate: ShapesGate, shipped: ox.Store
) -> None:
    statement = truthy_statement(shipped, "figure")
    old = one(shipped, statement, nk("figure"))
    figures = sorted(
        {q.subject for q in shipped.quads_for_pattern(None, RDF_TYPE, nk("Count"), None)}, key=str
    )
    new_figure = next(f for f in figures if f != old.object)
    patch = Patch(removed=(old,), added=(replaced(old, new_figure),))  # type: ignore[arg-type]
    subject = one(shipped, statement, nk("subject")).object
    predicate = one(shipped, statement, nk("predicate")).object
    derived = gate.derived(shipped, patch)
    assert derived.removed == (ox.Quad(subject, predicate, old.object, TRUTHY_GRAPH),)  # type: ignore[arg-type]
    assert derived.added == (ox.Quad(subject, predicate, new_figure, TRUTHY_GRAPH),)  # type: ignore[arg-type]


def test_an_attributed_statement_leaves_the_truthy_graph(
    gate: ShapesGate, shipped: ox.Store
) -> None:
    statement = truthy_statement(shipped, "object")
    voice = one(shipped, statement, nk("voice"))
    patch = Patch(removed=(voice,), added=(replaced(voice, nk("AttributedVoice")),))
    derived = gate.derived(shipped, patch)
    assert len(derived.removed) == 1 and not derived.added
    assert truthy_quads(applied(shipped, patch, derived)) == rederived(applied(shipped, patch))


def test_a_patch_that_changes_no_statement_derives_nothing(
    gate: ShapesGate, shipped: ox.Store
) -> None:
    label = one(shipped, None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))
    assert not gate.derived(shipped, Patch(removed=(label,)))


def test_a_write_into_the_truthy_graph_is_refused(gate: ShapesGate, shipped: ox.Store) -> None:
    quad = sorted(truthy_quads(shipped), key=str)[0]
    with pytest.raises(WriteRejected, match="is derived from the statements") as caught:
        gate.derived(shipped, Patch(removed=(quad,)))
    assert caught.value.report is None


def statement_patch(store: ox.Store, rng: random.Random) -> Patch:
    """Random edits of statements and their times (voice, value, contrasts, time relation)."""
    statements = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, nk("Statement"), None)}
    times = {q.object for q in store.quads_for_pattern(None, nk("heldAt"), None, None)}
    quads = sorted(
        (q for q in store if q.subject in statements | times and q.graph_name != TRUTHY_GRAPH),
        key=str,
    )
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for _ in range(rng.randint(1, 4)):
        quad = rng.choice(quads)
        gone, new = rng.choice([_remove, _redirect, _contrast])(quad, quads, rng)
        removed += gone
        added += new
    data = set(store)
    return Patch.between([q for q in removed if q in data], [q for q in added if q not in data])


def _contrast(
    quad: ox.Quad, quads: list[ox.Quad], rng: random.Random
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    other = rng.choice(quads).subject
    return [], [ox.Quad(quad.subject, nk("contrastsWith"), other, quad.graph_name)]


@pytest.mark.parametrize("seed", range(300, 340))
def test_truthy_upkeep_matches_a_rederivation(
    gate: ShapesGate, shipped: ox.Store, seed: int
) -> None:
    patch = statement_patch(shipped, random.Random(seed))  # noqa: S311 (reproducible, not a secret)
    derived = gate.derived(shipped, patch)
    assert truthy_quads(applied(shipped, patch, derived)) == rederived(applied(shipped, patch))
    assert all(q in shipped for q in derived.removed)
    assert not any(q in shipped for q in derived.added)


# --- what the shapes read (validation/reach.py) -----------------------------------------


def walk(reach: Reach, *steps: tuple[str, bool]) -> Walks:
    node = reach.walks
    for name, forward in steps:
        node = node.steps[(URIRef(name), forward)]
    return node


def test_the_shipped_shapes_reach(gate: ShapesGate) -> None:
    reach = gate.reach
    assert not reach.unbounded
    # FILTER NOT EXISTS { ?statement nk:evidence $this }, and the quotation's statement
    assert {NK.evidence, NK.quotation} <= reach.walks.inverse_reads
    # nk:inUnit/nif:referenceContext/nif:isString: three steps, the last one read
    context = walk(reach, (str(NK.inUnit), True), (NIF + "referenceContext", True))
    assert context.reads(URIRef(NIF + "isString"))
    assert not context.reads(URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    # sh:class reads the value's type; a value only compared reads nothing
    assert walk(reach, (str(NK.figure), True)).reads(RDF.type)
    assert not walk(reach, (str(NK.subject), True)).reads_out
    # ?hedge nk:hedgeWord ?word is joined to nothing: read everywhere
    assert NK.hedgeWord in reach.global_predicates


def test_a_path_of_any_length_needs_a_full_validation() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:class ex:D ] .
        """,
        format="turtle",
    )
    reach = shapes_reach(shapes)
    assert reach.unbounded
    gate = ShapesGate(shapes, ontology=Graph())
    quad = ox.Quad(
        ox.NamedNode("http://example.org/x"), RDF_TYPE, ox.NamedNode("http://example.org/C")
    )
    assert gate.needs_full_validation(Patch(added=(quad,)))


def test_a_class_hierarchy_in_the_data_is_followed() -> None:
    """rdfs:subClassOf is read wherever it is: here in a data graph, not the ontology."""
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "needs ex:p" ] .
        """,
        format="turtle",
    )
    ex = "http://example.org/"
    graph = ox.NamedNode(ex + "data")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(
                ox.NamedNode(ex + "D"),
                ox.NamedNode(str(RDFS.subClassOf)),
                ox.NamedNode(ex + "C"),
                graph,
            ),
            ox.Quad(ox.NamedNode(ex + "x"), RDF_TYPE, ox.NamedNode(ex + "D"), graph),
            ox.Quad(ox.NamedNode(ex + "x"), ox.NamedNode(ex + "p"), ox.Literal("1"), graph),
        ]
    )
    gate = ShapesGate(shapes, ontology=Graph())
    removal = Patch(
        removed=(ox.Quad(ox.NamedNode(ex + "x"), ox.NamedNode(ex + "p"), ox.Literal("1"), graph),)
    )
    report = gate.check(store, removal)
    assert [(str(r.focus_node), r.message) for r in report.results] == [(ex + "x", "needs ex:p")]
