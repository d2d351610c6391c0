"""The data a patch would leave, read near the nodes it touches, without changing the store.

:class:`PatchedView` answers "which quads have this subject" (or this object and
predicate) as if the patch were applied: the store's quads minus those removed, plus
those added. :func:`affected_focus_nodes` finds the nodes whose validation a patch can
change, and :func:`neighbourhood` gathers what validating them reads; both follow the
walks :func:`nkgraph.validation.reach.shapes_reach` found in the shapes.

Why the focus nodes are found in the store before the patch: a focus node's outcome can
change only if one of its walks reads a changed quad. Take the first changed quad on such a
walk: the steps before it follow quads the patch leaves alone, which are in the store
before and after, and the walk reads the changed quad where it is (its subject, when the
walk reads forwards there; its object, when it reads that predicate backwards). So walking
back from the subject and object of each changed quad, over the store as it is, reaches
every focus node the patch can affect.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from nkgraph.curation.patch import Patch
from nkgraph.validation.reach import Reach, Step, Walks

__all__ = [
    "PatchedView",
    "affected_focus_nodes",
    "global_quads",
    "neighbourhood",
    "rdflib_term",
    "to_dataset",
]

#: A node a walk can pass through (literals end walks).
Resource = ox.NamedNode | ox.BlankNode


class PatchedView:
    """``store`` as ``patch`` would leave it, for reading near given nodes."""

    def __init__(self, store: ox.Store, patch: Patch) -> None:
        self.store = store
        self.patch = patch
        self._removed = frozenset(patch.removed)
        self._added_out: dict[object, list[ox.Quad]] = defaultdict(list)
        self._added_in: dict[tuple[object, object], list[ox.Quad]] = defaultdict(list)
        for quad in patch.added:
            self._added_out[quad.subject].append(quad)
            self._added_in[(quad.object, quad.predicate)].append(quad)

    def out(self, node: Resource) -> list[ox.Quad]:
        """The quads whose subject is ``node``, in every graph."""
        kept = self._kept(self.store.quads_for_pattern(node, None, None, None))
        return kept + self._added_out.get(node, [])

    def into(self, node: Resource, predicate: ox.NamedNode) -> list[ox.Quad]:
        """The quads whose object is ``node`` and predicate ``predicate``."""
        kept = self._kept(self.store.quads_for_pattern(None, predicate, node, None))
        return kept + self._added_in.get((node, predicate), [])

    def with_predicate(self, predicate: ox.NamedNode) -> list[ox.Quad]:
        """The quads with ``predicate``."""
        kept = self._kept(self.store.quads_for_pattern(None, predicate, None, None))
        return kept + [q for q in self.patch.added if q.predicate == predicate]

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad."""
        for quad in self.store:
            if quad not in self._removed:
                yield quad
        yield from self.patch.added

    def _kept(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        return [q for q in quads if q not in self._removed]


def patch_terms(patch: Patch) -> set[tuple[Resource, ox.NamedNode, Resource | None]]:
    """Each changed quad as (subject, predicate, object), the object None for a literal."""
    return {
        (q.subject, q.predicate, _resource(q.object))
        for q in (*patch.removed, *patch.added)
        if isinstance(q.subject, ox.NamedNode | ox.BlankNode)
    }


def affected_focus_nodes(store: ox.Store, patch: Patch, reach: Reach) -> set[Resource]:
    """The nodes whose validation ``patch`` can change (see the module docstring)."""
    found: set[Resource] = set()
    changed = patch_terms(patch)
    for steps, walks in reach.walks.nodes():
        backwards = {str(p) for p in walks.inverse_reads}
        starts: set[Resource] = set()
        for subject, predicate, obj in changed:
            if walks.reads(URIRef(predicate.value)):
                starts.add(subject)
            if obj is not None and predicate.value in backwards:
                starts.add(obj)
        if starts:
            found |= _walk_back(store, starts, steps)
    return found


def _walk_back(store: ox.Store, nodes: set[Resource], steps: tuple[Step, ...]) -> set[Resource]:
    """The nodes from which ``steps`` lead to one of ``nodes`` in ``store``."""
    current = nodes
    for predicate, forward in reversed(steps):
        iri = ox.NamedNode(str(predicate))
        before: set[Resource] = set()
        for here in current:
            if forward:
                before.update(_subjects(store.quads_for_pattern(None, iri, here, None)))
            else:
                before.update(_objects(store.quads_for_pattern(here, iri, None, None)))
        current = before
        if not current:
            break
    return current


def neighbourhood(view: PatchedView, focus: Iterable[Resource], walks: Walks) -> set[ox.Quad]:
    """The quads validating ``focus`` reads, as the patch leaves them."""
    quads: set[ox.Quad] = set()
    seen: set[tuple[Resource, int]] = set()
    todo = [(node, walks) for node in focus]
    while todo:
        node, at = todo.pop()
        if (node, id(at)) in seen:
            continue
        seen.add((node, id(at)))
        # All the node's quads, not only those read: a few more, and simpler.
        out = view.out(node) if at.reads_out else []
        quads.update(out)
        for predicate in at.inverse_reads:
            quads.update(view.into(node, ox.NamedNode(str(predicate))))
        for (predicate, forward), child in at.steps.items():
            iri = ox.NamedNode(str(predicate))
            if forward:
                nexts = _objects(q for q in out if q.predicate == iri)
            else:
                nexts = _subjects(view.into(node, iri))
            todo.extend((n, child) for n in nexts)
    return quads


def global_quads(view: PatchedView, reach: Reach) -> set[ox.Quad]:
    """The quads every focus node may read (``rdfs:subClassOf`` in any graph, say)."""
    return {q for p in reach.global_predicates for q in view.with_predicate(ox.NamedNode(str(p)))}


def _subjects(quads: Iterable[ox.Quad]) -> set[Resource]:
    return {q.subject for q in quads if isinstance(q.subject, ox.NamedNode | ox.BlankNode)}


def _objects(quads: Iterable[ox.Quad]) -> set[Resource]:
    return {o for q in quads if (o := _resource(q.object)) is not None}


def _resource(term: object) -> Resource | None:
    return term if isinstance(term, ox.NamedNode | ox.BlankNode) else None


_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(term: object) -> URIRef | BNode | Literal:
    """An RDF term of pyoxigraph's as rdflib's (blank nodes keep their labels).

    Raises:
        TypeError: an RDF-star triple term, which SHACL does not validate.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term SHACL validates: {term!r}")


def to_dataset(quads: Iterable[ox.Quad], dataset: Dataset) -> Dataset:
    """``dataset`` with ``quads`` added, each in its graph."""
    with warnings.catch_warnings():
        # rdflib reads "perhaps"^^xsd:boolean as false, with a warning; as an error, rdflib
        # keeps the literal as written and ill-typed, which sh:datatype then reports.
        warnings.filterwarnings("error", "Parsing weird boolean", UserWarning)
        return _add_quads(quads, dataset)


def _add_quads(quads: Iterable[ox.Quad], dataset: Dataset) -> Dataset:
    graphs = {}
    for quad in quads:
        name = quad.graph_name
        key = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else rdflib_term(name)
        if key not in graphs:
            graphs[key] = dataset.graph(key)
        graphs[key].add(
            (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
        )
    return dataset
