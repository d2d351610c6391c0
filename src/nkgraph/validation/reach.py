"""How far from a focus node a shapes graph looks: the walks its constraints take.

Validating a focus node reads triples near it: its own (``sh:path``, targets), those of the
nodes its paths and SPARQL patterns walk to (``sh:class`` reads a value's ``rdf:type``;
``nif:referenceContext/nif:isString`` walks two steps), and some that point at it
(``FILTER NOT EXISTS { ?statement nk:evidence $this }``). :func:`shapes_reach` reads
the shapes and gathers those walks into a tree of steps, :class:`Walks`: from the focus
node (the root), each step follows one predicate forwards or backwards; at every node of
the tree, the triples whose subject is the node reached are read for the predicates listed
as read forwards there (all of them at the focus node itself), and those whose object it
is, for the predicates listed as read backwards.

Some reads are not tied to the focus node at all: a SPARQL pattern that no variable
joins to ``$this`` (``?hedge nk:hedgeWord ?word``), the class hierarchy ``sh:class`` and
``sh:targetClass`` follow, or a path of unbounded length. Their predicates are
:attr:`Reach.global_predicates`; when a change touches one, only a full validation is
sound. :attr:`Reach.unbounded` says that any change needs one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from rdflib import OWL, RDF, RDFS, Graph, URIRef, Variable
from rdflib.namespace import SH
from rdflib.paths import AlternativePath, InvPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

__all__ = ["FORWARD", "INVERSE", "Reach", "Step", "Walks", "shapes_reach"]

FORWARD: Final = True
INVERSE: Final = False

#: One step of a walk: a predicate, followed forwards (subject to object) or not.
Step = tuple[URIRef, bool]


@dataclass
class Walks:
    """A node of the tree of walks: where one sequence of steps from the focus node leads."""

    #: Whether every triple whose subject is the node reached here may be read.
    reads_all: bool = False
    #: Else the predicates of those triples that are read (a value that is only
    #: compared, say by ``sh:datatype``, has none read).
    forward_reads: set[URIRef] = field(default_factory=set)
    #: Predicates whose triples pointing at the node reached here are read.
    inverse_reads: set[URIRef] = field(default_factory=set)
    steps: dict[Step, Walks] = field(default_factory=dict)

    def step(self, step: Step) -> Walks:
        """The node one ``step`` further (made if new); the step is a read here."""
        predicate, forward = step
        if forward:
            self.forward_reads.add(predicate)
        else:
            self.inverse_reads.add(predicate)
        return self.steps.setdefault(step, Walks())

    @property
    def reads_out(self) -> bool:
        """Whether any triple whose subject is the node reached here is read."""
        return self.reads_all or bool(self.forward_reads)

    def reads(self, predicate: URIRef) -> bool:
        """Whether triples with ``predicate`` whose subject is the node reached are read."""
        return self.reads_all or predicate in self.forward_reads

    def nodes(self) -> Iterator[tuple[tuple[Step, ...], Walks]]:
        """Every node of the tree with the steps that lead to it, the root first."""
        yield (), self
        for step, child in self.steps.items():
            for steps, node in child.nodes():
                yield (step, *steps), node


@dataclass
class Reach:
    """What validating a focus node may read, beyond the triples of the nodes on its walks."""

    #: The root: the focus node, whose triples targets and constraints may all read.
    walks: Walks = field(default_factory=lambda: Walks(reads_all=True))
    #: Predicates read wherever they occur, whatever the focus node.
    global_predicates: set[URIRef] = field(default_factory=lambda: {RDFS.subClassOf})
    #: Whether some read has no bound at all (a variable predicate away from ``$this``,
    #: a path of any length): then every change needs a full validation.
    unbounded: bool = False


#: Parameters whose value is a shape validated at the same node.
_SHAPE_PARAMETERS: Final = (SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS: Final = (SH["or"], SH["and"], SH.xone)
#: Property pair parameters: a predicate read at the property shape's focus node.
_PAIRS: Final = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


def shapes_reach(shapes: Graph) -> Reach:
    """The walks and global reads of every shape with a target in ``shapes``."""
    reach = Reach()
    for shape in sorted(_targeted_shapes(shapes), key=str):
        _targets(shapes, shape, reach)
        _node_constraints(shapes, shape, reach.walks, reach, seen=set())
    return reach


def _targeted_shapes(shapes: Graph) -> set[Node]:
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    found = {s for target in targets for s in shapes.subjects(target, None)}
    found |= set(shapes.subjects(SH.target, None))
    # A shape that is also a class targets its instances (SHACL's implicit class target).
    return (
        found
        | set(shapes.subjects(RDF.type, RDFS.Class))
        | set(shapes.subjects(RDF.type, OWL.Class))
    )


def _targets(shapes: Graph, shape: Node, reach: Reach) -> None:
    if (shape, SH.target, None) in shapes:  # a SPARQL-based target: read anywhere
        reach.unbounded = True
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        if isinstance(predicate, URIRef):
            reach.walks.inverse_reads.add(predicate)


def _node_constraints(
    shapes: Graph,
    shape: Node,
    at: Walks,
    reach: Reach,
    *,
    seen: set[tuple[Node, int, bool]],
    walk_path: bool = True,
) -> None:
    """The reads of ``shape``'s constraints, validated at the node ``at`` leads to.

    ``sh:class`` and the property pair parameters read triples whose subject is the node
    reached: they add forward reads there, not steps.
    """
    key = (shape, id(at), walk_path)
    if key in seen:
        return
    seen.add(key)
    _reads_at_node(shapes, shape, at)
    if walk_path and (shape, SH.path, None) in shapes:
        for steps in _shacl_path(shapes, shapes.value(shape, SH.path), reach):
            value = at
            for step in steps:
                value = value.step(step)
            _node_constraints(shapes, shape, value, reach, seen=seen, walk_path=False)
        return
    for parameter in _SHAPE_PARAMETERS:
        for other in shapes.objects(shape, parameter):
            _node_constraints(shapes, other, at, reach, seen=seen)
    for parameter in _SHAPE_LISTS:
        for members in shapes.objects(shape, parameter):
            for other in shapes.items(members):
                _node_constraints(shapes, other, at, reach, seen=seen)
    for property_shape in shapes.objects(shape, SH.property):
        _node_constraints(shapes, property_shape, at, reach, seen=seen)
    for constraint in shapes.objects(shape, SH.sparql):
        _sparql_reads(shapes, constraint, at, reach)


def _reads_at_node(shapes: Graph, shape: Node, at: Walks) -> None:
    """What ``sh:class``, the property pairs and ``sh:closed`` read of the node."""
    if (shape, SH["class"], None) in shapes:
        at.forward_reads.add(RDF.type)
    for parameter in _PAIRS:
        at.forward_reads.update(
            o for o in shapes.objects(shape, parameter) if isinstance(o, URIRef)
        )
    if (shape, SH.closed, None) in shapes:
        at.reads_all = True


def _shacl_path(shapes: Graph, path: Node | None, reach: Reach) -> list[list[Step]]:
    """The step sequences a SHACL path may take (alternatives give several)."""
    if isinstance(path, URIRef):
        return [[(path, FORWARD)]]
    if path is None:
        return []
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return [[(inverse, INVERSE)]]
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return [s for item in shapes.items(alternatives) for s in _shacl_path(shapes, item, reach)]
    if (path, RDF.first, None) in shapes:
        sequences: list[list[Step]] = [[]]
        for item in shapes.items(path):
            parts = _shacl_path(shapes, item, reach)
            sequences = [head + part for head in sequences for part in parts]
        return sequences
    reach.unbounded = True  # zeroOrMore, oneOrMore, an inverse of a sequence...
    return []


def _sparql_reads(shapes: Graph, constraint: Node, at: Walks, reach: Reach) -> None:
    text = shapes.value(constraint, SH.select) or shapes.value(constraint, SH.ask)
    if text is None:
        reach.unbounded = True
        return
    query = prepareQuery(_prologue(shapes, constraint) + str(text))
    patterns = [p for t in _triples(query.algebra) if (p := _pattern(t, reach)) is not None]
    _join_from_this(patterns, at, reach)


def _prologue(shapes: Graph, constraint: Node) -> str:
    lines = []
    for owner in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(lines)


def _triples(algebra: Any) -> Iterator[tuple[Node, Any, Node]]:
    """Every triple pattern in a query's algebra, those in FILTER EXISTS included."""
    if isinstance(algebra, CompValue):
        if "triples" in algebra:
            # A BGP's triples are triples; a TriplesBlock (inside EXISTS) holds them
            # flattened, as rdflib's own ``algebra.triples`` reads them: in threes.
            flat = [term for triple in algebra["triples"] for term in triple]
            for index in range(0, len(flat) - 2, 3):
                yield flat[index], flat[index + 1], flat[index + 2]
        for key, value in algebra.items():
            if key != "triples":
                yield from _triples(value)
    elif isinstance(algebra, list | tuple):
        for item in algebra:
            yield from _triples(item)


#: A triple pattern as the step sequences between its two ends (None: a variable predicate).
_Pattern = tuple[Node, list[list[Step]] | None, Node]


def _pattern(triple: tuple[Node, Any, Node], reach: Reach) -> _Pattern | None:
    subject, predicate, obj = triple
    if isinstance(predicate, Variable):
        return subject, None, obj
    steps = _sparql_path(predicate)
    if steps is None:
        reach.unbounded = True
        return None
    return subject, steps, obj


def _sparql_path(path: Any) -> list[list[Step]] | None:
    if isinstance(path, URIRef):
        return [[(path, FORWARD)]]
    if isinstance(path, InvPath):
        inner = _sparql_path(path.arg)
        return None if inner is None else [_reversed(s) for s in inner]
    if isinstance(path, AlternativePath):
        parts = [_sparql_path(arg) for arg in path.args]
        return None if any(p is None for p in parts) else [s for p in parts if p for s in p]
    if isinstance(path, SequencePath):
        sequences: list[list[Step]] = [[]]
        for arg in path.args:
            part = _sparql_path(arg)
            if part is None:
                return None
            sequences = [head + tail for head in sequences for tail in part]
        return sequences
    return None  # a path of any length, or a negated property set


def _reversed(steps: list[Step]) -> list[Step]:
    return [(p, not forward) for p, forward in reversed(steps)]


def _join_from_this(patterns: list[_Pattern], at: Walks, reach: Reach) -> None:
    """Bind variables outward from ``$this``, one pattern at a time; what stays unjoined
    is read globally."""
    bound: dict[Node, Walks] = {Variable("this"): at}
    left = list(patterns)
    while True:
        joined = [p for p in left if p[0] in bound or p[2] in bound]
        if not joined:
            break
        for pattern in joined:
            left.remove(pattern)
            _follow(pattern, bound, reach)
    for _, steps, _ in left:
        if steps is None:
            reach.unbounded = True
            continue
        reach.global_predicates.update(p for sequence in steps for p, _ in sequence)


def _follow(pattern: _Pattern, bound: dict[Node, Walks], reach: Reach) -> None:
    subject, steps, obj = pattern
    if steps is None:  # ``$this ?property ?value``: all the node's triples
        if subject in bound:
            bound[subject].reads_all = True
        else:
            reach.unbounded = True  # all triples pointing at a node
        return
    start, end, sequences = (
        (subject, obj, steps) if subject in bound else (obj, subject, [_reversed(s) for s in steps])
    )
    for sequence in sequences:
        node = bound[start]
        for step in sequence:
            node = node.step(step)
        bound.setdefault(end, node)
