"""Keep the truthy graph in step with the statements a patch changes.

The truthy graph (:mod:`nkgraph.model.truthy`) is derived: one direct triple per
undisputed article-voice assertion. Whether a statement gives its triple depends on its
own quads, on the statements that contrast with it (``nk:contrastsWith``, either way),
and on its time's ``nk:relation``. So the statements a patch can change are those it
names (as subject or object of a changed quad) and those held at a time it names.
Their triples are worked out before and after the patch, on a small in-memory store of
just what the truthy query reads about them, and the difference is the patch to the
truthy graph. A triple another statement still gives stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

import pyoxigraph as ox

from nkgraph.curation.neighbourhood import PatchedView, Resource, patch_terms
from nkgraph.curation.patch import Patch
from nkgraph.errors import WriteRejected
from nkgraph.model.truthy import TruthyRow, truthy_rows
from nkgraph.vocab import GRAPHS, NK

__all__ = ["TRUTHY_GRAPH", "derived_patch", "refuse_truthy_writes"]

TRUTHY_GRAPH: Final = ox.NamedNode(str(GRAPHS.TRUTHY))
_HELD_AT: Final = ox.NamedNode(str(NK.heldAt))
_CONTRASTS: Final = ox.NamedNode(str(NK.contrastsWith))
_SUBJECT: Final = ox.NamedNode(str(NK.subject))
_PREDICATE: Final = ox.NamedNode(str(NK.predicate))

#: Where a reader of one node's quads gets them: the store before, or the patched view.
_Reader = Callable[[Resource], list[ox.Quad]]


def refuse_truthy_writes(patch: Patch) -> None:
    """Raise if ``patch`` writes into the truthy graph itself.

    Raises:
        WriteRejected: with no SHACL report (``report`` is None): the graph is derived.
    """
    touched = [q for q in (*patch.removed, *patch.added) if q.graph_name == TRUTHY_GRAPH]
    if touched:
        raise WriteRejected(
            None,
            f"- the graph <{TRUTHY_GRAPH.value}> is derived from the statements (nk:Statement) "
            f"and cannot be written: change the statements instead ({len(touched)} quad(s) "
            f"in it, the first: {touched[0]})",
        )


def derived_patch(store: ox.Store, patch: Patch) -> Patch:
    """The truthy-graph quads to remove and add because ``patch`` changes statements.

    ``store`` holds the data before ``patch``.

    Raises:
        WriteRejected: ``patch`` writes into the truthy graph itself.
    """
    refuse_truthy_writes(patch)
    view = PatchedView(store, patch)
    statements = _touched(store, view, patch)
    if not statements:
        return Patch()
    before = _rows(statements, lambda n: _stored(store, n), _stored_into(store))
    after = _rows(statements, view.out, lambda n: view.into(n, _CONTRASTS))
    gone = {_triple(r) for r in before} - {_triple(r) for r in after}
    new = {_triple(r) for r in after} - {_triple(r) for r in before}
    removed = [t for t in gone if not _given_elsewhere(store, t, statements)]
    return Patch.between(
        (_truthy_quad(t) for t in sorted(removed, key=str) if _in_truthy(store, t)),
        (_truthy_quad(t) for t in sorted(new, key=str) if not _in_truthy(store, t)),
    )


def _touched(store: ox.Store, view: PatchedView, patch: Patch) -> set[Resource]:
    """The statements the patch names, and those held at a time it names."""
    named: set[Resource] = set()
    for subject, _, obj in patch_terms(patch):
        named.add(subject)
        if obj is not None:
            named.add(obj)
    held = {q.subject for n in named for q in view.into(n, _HELD_AT)}
    held |= {q.subject for n in named for q in store.quads_for_pattern(None, _HELD_AT, n, None)}
    return named | {s for s in held if isinstance(s, ox.NamedNode | ox.BlankNode)}


def _stored(store: ox.Store, node: Resource) -> list[ox.Quad]:
    return list(store.quads_for_pattern(node, None, None, None))


def _stored_into(store: ox.Store) -> _Reader:
    return lambda node: list(store.quads_for_pattern(None, _CONTRASTS, node, None))


def _rows(statements: Iterable[Resource], out: _Reader, contrasting: _Reader) -> set[TruthyRow]:
    """The truthy rows of ``statements``, from what the truthy query reads about them."""
    wanted = set(statements)
    small = ox.Store()
    for statement in wanted:
        own = out(statement)
        small.extend(own)
        small.extend(contrasting(statement))
        for quad in own:
            if quad.predicate == _HELD_AT and isinstance(quad.object, ox.NamedNode | ox.BlankNode):
                small.extend(out(quad.object))
    return {row for row in truthy_rows(small) if row[0] in wanted}


def _given_elsewhere(store: ox.Store, triple: ox.Triple, statements: set[Resource]) -> bool:
    """Whether a statement the patch leaves alone gives ``triple`` too."""
    about = {q.subject for q in store.quads_for_pattern(None, _SUBJECT, triple.subject, None)}
    saying = {q.subject for q in store.quads_for_pattern(None, _PREDICATE, triple.predicate, None)}
    others = {s for s in about & saying if isinstance(s, ox.NamedNode | ox.BlankNode)}
    others -= statements
    if not others:
        return False
    rows = _rows(others, lambda n: _stored(store, n), _stored_into(store))
    return triple in {_triple(r) for r in rows}


def _triple(row: TruthyRow) -> ox.Triple:
    _, subject, predicate, value = row
    return ox.Triple(subject, predicate, value)


def _truthy_quad(triple: ox.Triple) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, TRUTHY_GRAPH)


def _in_truthy(store: ox.Store, triple: ox.Triple) -> bool:
    return _truthy_quad(triple) in store
