"""The validation gate: a patch is checked against the SHACL shapes before it commits.

Validating the whole store for every write would cost as much as the store is big. The
gate validates only the focus nodes whose outcome the patch can change, on the data it
would leave near them:

1. the shapes are read once for the walks their constraints take from a focus node
   (:func:`nkgraph.validation.reach.shapes_reach`);
2. walking those back from the subject and object of each changed quad finds the
   affected focus nodes (:func:`nkgraph.curation.neighbourhood.affected_focus_nodes`);
3. walking them forward, on the store as the patch would leave it, gathers the quads
   their validation reads, named graphs kept (shapes ask ``GRAPH ?g``), and those any
   node may read (``rdfs:subClassOf`` in any graph);
4. those quads and the shipped ontology go into an rdflib Dataset, and pySHACL
   validates the affected focus nodes there (:func:`nkgraph.validation.shacl.validate`
   with ``focus_nodes``).

The report is about the affected nodes; every other focus node's outcome is as it was
before the patch. A patch that changes something read everywhere (the ontology graph,
``rdfs:subClassOf``, a predicate a SPARQL constraint reads away from ``$this``) is
checked by a full validation of the data it would leave, which is slow but sound.
``tests/curation/test_gate.py`` checks the incremental report against a full validation
for many random patches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, Graph

from nkgraph.curation.neighbourhood import (
    PatchedView,
    affected_focus_nodes,
    global_quads,
    neighbourhood,
    patch_terms,
    rdflib_term,
    to_dataset,
)
from nkgraph.curation.patch import Patch
from nkgraph.curation.truthy_upkeep import derived_patch
from nkgraph.model.loading import load_dataset, load_shapes, new_dataset
from nkgraph.validation.reach import Reach, shapes_reach
from nkgraph.validation.shacl import ValidationReport, validate
from nkgraph.vocab import GRAPHS

__all__ = ["ShapesGate", "check_patch", "derived_patch", "shipped_ontology"]

_ONTOLOGY_GRAPH: Final = ox.NamedNode(str(GRAPHS.ONTOLOGY))


def shipped_ontology() -> Graph:
    """The shipped ontology, as the graph validation reads it.

    Raises:
        InstallationError: the shipped ontology is missing.
        DataLoadError: it cannot be parsed.
    """
    return load_dataset([], truthy=False).graph(GRAPHS.ONTOLOGY)


class ShapesGate:
    """The shapes and the ontology, read once, and the two things a commit asks of them.

    Args:
        shapes: the shapes graph (the shipped one by default).
        ontology: the ontology graph validation adds to the data (the shipped one by
            default), as in :func:`nkgraph.model.loading.load_dataset`.
    """

    def __init__(self, shapes: Graph | None = None, *, ontology: Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()
        self.ontology = ontology if ontology is not None else shipped_ontology()
        # Copied into each check's dataset: a tuple reads faster than a graph in a Dataset.
        self._ontology_triples = tuple(self.ontology)
        self.reach: Reach = shapes_reach(self.shapes)

    def check(self, store: ox.Store, patch: Patch) -> ValidationReport:
        """Validate what ``patch`` would leave of ``store`` (the data before it), for
        every focus node it can affect. ``store`` is not changed."""
        view = PatchedView(store, patch)
        if self.needs_full_validation(patch):
            return validate(self.dataset(view.quads()), shapes=self.shapes)
        focus = affected_focus_nodes(store, patch, self.reach)
        if not focus:
            return validate(Dataset(), shapes=self.shapes)
        quads = neighbourhood(view, focus, self.reach.walks) | global_quads(view, self.reach)
        return validate(
            self.dataset(quads),
            shapes=self.shapes,
            focus_nodes={rdflib_term(node) for node in focus},
        )

    def derived(self, store: ox.Store, patch: Patch) -> Patch:
        """The truthy-graph changes ``patch`` implies (see :func:`derived_patch`)."""
        return derived_patch(store, patch)

    def needs_full_validation(self, patch: Patch) -> bool:
        """Whether ``patch`` changes something every focus node may read."""
        if self.reach.unbounded:
            return True
        if any(q.graph_name == _ONTOLOGY_GRAPH for q in (*patch.removed, *patch.added)):
            return True
        global_predicates = {str(p) for p in self.reach.global_predicates}
        return any(p.value in global_predicates for _, p, _ in patch_terms(patch))

    def dataset(self, quads: Iterable[ox.Quad]) -> Dataset:
        """``quads`` and the ontology in an rdflib Dataset, as the gate validates them."""
        dataset = new_dataset()
        ontology = dataset.graph(GRAPHS.ONTOLOGY)
        dataset.addN((s, p, o, ontology) for s, p, o in self._ontology_triples)
        return to_dataset(quads, dataset)


def check_patch(store: ox.Store, patch: Patch, *, shapes: Graph) -> ValidationReport:
    """Validate the data ``patch`` would leave of ``store`` (the data before it), for the
    focus nodes it can affect; with the shipped ontology. See :class:`ShapesGate`, which
    reads the shapes and the ontology once for many patches."""
    return ShapesGate(shapes).check(store, patch)
