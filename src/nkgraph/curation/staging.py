"""Staging: turn a write request into the :class:`~nkgraph.curation.patch.Patch` it would
make, without changing the store.

Two roads, chosen per request:

- **Data only.** When every operation is ``INSERT DATA`` or ``DELETE DATA`` (and for Graph
  Store writes), the patch is read off the request: each operation's quads are found by
  running it alone on an empty store, and checked against the store one by one. The cost
  grows with the size of the change, not of the store. Blank nodes of ``INSERT DATA`` get
  fresh labels, one set per operation, as SPARQL 1.1 Update (section 3.1.1) says.
- **Anything else** (``DELETE/INSERT … WHERE``, ``CLEAR``, ``DROP``, ``ADD``, …) runs on an
  in-memory copy of the store, and the patch is the difference. The cost grows with the
  store (about a second per 100,000 quads).

An update's default graph is the store's own default graph, never the union of its graphs
that queries may see.

Nothing here reaches out: ``LOAD`` is refused (``LOAD SILENT`` does nothing), and so is
``SERVICE``, since the engine would call the endpoint itself, outside the allow-list and
its time limits. The request is read by the query tokenizer of ``sparql/prepare.py``, so
keywords in strings, IRIs, comments, variable and prefixed names do not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pyoxigraph as ox

from nkgraph.curation.patch import Patch
from nkgraph.errors import GraphNotFound, ProtocolError, QueryEvaluationError
from nkgraph.sparql.engine import syntax_error
from nkgraph.sparql.prepare import MAX_NESTING, check_update_nesting, tokens_at

__all__ = ["GraphMethod", "Operation", "operations", "patch_for_graph", "patch_for_update"]

#: The Graph Store Protocol's writes.
GraphMethod = Literal["PUT", "POST", "DELETE"]

_DATA_KINDS: Final = frozenset({"INSERT DATA", "DELETE DATA"})
#: What a skipped ``LOAD SILENT`` becomes: an operation that changes nothing.
_NOTHING: Final = "INSERT DATA{}"


@dataclass(frozen=True)
class Operation:
    """One operation of an update request, as the tokenizer sees it.

    Args:
        kind: ``INSERT DATA``, ``DELETE DATA``, ``DELETE WHERE``, ``MODIFY`` (DELETE/INSERT
            with WHERE), or the first keyword (``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``,
            ``ADD``, ``MOVE``, ``COPY``); empty when the part holds no operation.
        start: offset of its first token, after its prologue.
        end: offset just after its last token.
        prologue: the text of its ``PREFIX`` and ``BASE`` declarations.
        words: its keywords outside braces, upper-case, each with its offset.
    """

    kind: str
    start: int
    end: int
    prologue: str
    words: tuple[tuple[str, int], ...]

    def has(self, *words: str) -> bool:
        """Whether one of ``words`` is among its keywords outside braces."""
        return any(word in words for word, _ in self.words)

    def offset(self, word: str) -> int | None:
        """The offset of its first keyword ``word`` outside braces."""
        return next((at for w, at in self.words if w == word), None)


def patch_for_update(
    store: ox.Store,
    text: str,
    *,
    base_iri: str | None = None,
    using_graphs: Sequence[str] = (),
    using_named_graphs: Sequence[str] = (),
    max_nesting: int = MAX_NESTING,
) -> Patch:
    """The patch the SPARQL 1.1 Update request ``text`` would make to ``store``.

    ``using_graphs`` and ``using_named_graphs`` (the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``) act as ``USING`` and ``USING NAMED`` on every operation
    with a WHERE clause. ``max_nesting`` is the service's ``NKGRAPH_MAX_NESTING``.

    Raises:
        QueryTooComplex: the request nests deeper than ``max_nesting``.
        QuerySyntaxError: the request does not parse.
        QueryEvaluationError: it uses ``LOAD`` (not SILENT) or ``SERVICE``, or the engine
            refused an operation (for example ``CREATE`` of a graph that exists).
        ProtocolError: ``using_graphs`` or ``using_named_graphs`` are given and an
            operation has its own ``USING`` or ``WITH``.
    """
    check_update_nesting(text, max_nesting)
    parts = operations(text)
    _refuse_outbound(text, parts)
    text = _without_silent_loads(text, parts)
    _check_syntax(text, base_iri)
    if all(op.kind in _DATA_KINDS or op.kind in ("", "LOAD") for op in parts):
        return _data_patch(store, text, parts, base_iri)
    if using_graphs or using_named_graphs:
        text = _with_using(text, parts, using_graphs, using_named_graphs)
    return _copy_patch(store, text, base_iri)


def patch_for_graph(
    store: ox.Store,
    method: GraphMethod,
    graph: str | None,
    quads: Iterable[ox.Quad | ox.Triple],
) -> Patch:
    """The patch a Graph Store Protocol write makes: ``PUT`` replaces the graph's
    content with ``quads``, ``POST`` adds them, ``DELETE`` removes the graph.

    ``graph`` is a named graph's IRI, or ``None`` for the store's own default graph. The
    quads are put into that graph whatever graph they name, and their blank nodes get
    fresh labels (a blank node of a request is never one the store holds).

    Raises:
        GraphNotFound: ``DELETE`` of a named graph the store does not hold.
        ValueError: ``method`` is not one of the three.
    """
    target: ox.NamedNode | ox.DefaultGraph = (
        ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    )
    existing = list(store.quads_for_pattern(None, None, None, target))
    if method == "DELETE":
        if graph is not None and not existing and not _holds_graph(store, target):
            raise GraphNotFound(graph, _graph_names(store))
        return Patch(removed=tuple(existing))
    new = list(_into(target, quads))
    if method == "PUT":
        return Patch.between(existing, new)
    if method == "POST":
        return Patch(added=tuple(q for q in dict.fromkeys(new) if q not in store))
    raise ValueError(f"not a Graph Store write: {method!r}")


def operations(text: str) -> tuple[Operation, ...]:
    """The operations of the update request ``text``, split at ``;`` outside braces."""
    found: list[Operation] = []
    prologue: list[str] = []
    part: list[tuple[str, int, int]] = []
    depth = 0
    for token, at in tokens_at(text):
        if token.text == ";" and depth == 0:
            found.append(_operation(text, part, prologue))
            part = []
            continue
        depth += {"{": 1, "}": -1}.get(token.text, 0) if token.kind == "other" else 0
        word = token.text.upper() if token.kind == "word" and depth == 0 else ""
        part.append((word, at, at + len(token.text)))
    found.append(_operation(text, part, prologue))
    return tuple(found)


def _operation(text: str, part: list[tuple[str, int, int]], prologue: list[str]) -> Operation:
    """One operation from its tokens (upper-case word outside braces or "", start, end);
    its declarations are added to ``prologue``, which later operations inherit."""
    index = 0
    while index < len(part) and part[index][0] in ("PREFIX", "BASE"):
        size = 3 if part[index][0] == "PREFIX" else 2
        last = part[min(index + size, len(part)) - 1]
        prologue.append(text[part[index][1] : last[2]])
        index += size
    body = part[index:]
    words = tuple((word, at) for word, at, _ in body if word)
    start = body[0][1] if body else len(text)
    end = body[-1][2] if body else start
    return Operation(_kind(words), start, end, "\n".join(prologue), words)


def _kind(words: Sequence[tuple[str, int]]) -> str:
    first = words[0][0] if words else ""
    second = words[1][0] if len(words) > 1 else ""
    if first in ("INSERT", "DELETE") and second == "DATA":
        return f"{first} DATA"
    if first == "DELETE" and second == "WHERE":
        return "DELETE WHERE"
    if first in ("INSERT", "DELETE", "WITH"):
        return "MODIFY"
    return first


def _refuse_outbound(text: str, parts: Sequence[Operation]) -> None:
    for op in parts:
        if op.kind == "LOAD" and not (len(op.words) > 1 and op.words[1][0] == "SILENT"):
            raise QueryEvaluationError(
                f"{text[op.start : op.end]!r} is refused: this service fetches nothing from "
                "the web; send the data itself with INSERT DATA or a Graph Store PUT or "
                "POST (LOAD SILENT is accepted and does nothing)"
            )
    if any(
        token.kind == "word" and token.text.upper() == "SERVICE" for token, _ in tokens_at(text)
    ):
        raise QueryEvaluationError(
            "SERVICE is refused in an update: the engine would call the endpoint itself, "
            "outside the allow-list; query the endpoint first and send its data with "
            "INSERT DATA"
        )


def _without_silent_loads(text: str, parts: Sequence[Operation]) -> str:
    """``text`` with each ``LOAD SILENT`` made an operation that does nothing, padded so
    that every later offset stays the same."""
    for op in reversed(parts):
        if op.kind == "LOAD":
            span = text[op.start : op.end]
            rest = "".join(c if c == "\n" else " " for c in span[len(_NOTHING) :])
            text = text[: op.start] + _NOTHING + rest + text[op.end :]
    return text


def _check_syntax(text: str, base_iri: str | None) -> None:
    """Parse ``text`` by running it on an empty store (nothing in it reaches out)."""
    try:
        ox.Store().update(text, base_iri=base_iri)
    except SyntaxError as error:
        raise syntax_error(str(error), text) from None
    except (OSError, RuntimeError, ValueError):
        return  # an evaluation error: it parses; the real run says what went wrong


def _with_using(
    text: str, parts: Sequence[Operation], graphs: Sequence[str], named: Sequence[str]
) -> str:
    """``text`` with ``USING`` and ``USING NAMED`` clauses before the WHERE of each
    operation that has one (SPARQL 1.1 Protocol, section 2.2.3)."""
    if any(op.has("USING", "WITH") for op in parts):
        raise ProtocolError(
            "the request gives using-graph-uri or using-named-graph-uri and the update has "
            "its own USING or WITH; give the dataset in one place only (SPARQL 1.1 "
            "Protocol, section 2.2.3)"
        )
    clauses = " ".join([*(f"USING <{g}>" for g in graphs), *(f"USING NAMED <{g}>" for g in named)])
    for op in reversed(parts):
        where = op.offset("WHERE")
        if op.kind == "MODIFY" and where is not None:
            text = f"{text[:where]}{clauses} {text[where:]}"
        elif op.kind == "DELETE WHERE" and where is not None:
            text = _delete_where_with_using(text, op, where, clauses)
    return text


def _delete_where_with_using(text: str, op: Operation, where: int, clauses: str) -> str:
    """``DELETE WHERE { P }`` as ``DELETE { P } USING … WHERE { P }`` (the short form
    allows no USING)."""
    pattern = text[where + len("WHERE") : op.end].strip()
    return f"{text[: op.start]}DELETE {pattern} {clauses} WHERE {pattern}{text[op.end :]}"


def _data_patch(
    store: ox.Store, text: str, parts: Sequence[Operation], base_iri: str | None
) -> Patch:
    """The patch of a request of INSERT DATA and DELETE DATA operations, in order."""
    removed: dict[ox.Quad, None] = {}
    added: dict[ox.Quad, None] = {}
    for op in parts:
        if op.kind not in _DATA_KINDS:
            continue
        for quad in _data_quads(text, op, base_iri):
            if op.kind == "INSERT DATA":
                _insert(store, quad, removed, added)
            else:
                _delete(store, quad, removed, added)
    return Patch(removed=tuple(removed), added=tuple(added))


def _insert(
    store: ox.Store, quad: ox.Quad, removed: dict[ox.Quad, None], added: dict[ox.Quad, None]
) -> None:
    if quad in removed:
        del removed[quad]
    elif quad not in store:
        added[quad] = None


def _delete(
    store: ox.Store, quad: ox.Quad, removed: dict[ox.Quad, None], added: dict[ox.Quad, None]
) -> None:
    if quad in added:
        del added[quad]
    elif quad in store:
        removed[quad] = None


def _data_quads(text: str, op: Operation, base_iri: str | None) -> Iterator[ox.Quad]:
    """The quads of one data operation: it runs alone (as INSERT DATA, after the
    declarations it inherits) on an empty store, which gives its blank nodes fresh labels."""
    body = (
        "INSERT" + text[op.start + len("DELETE") : op.end]
        if op.kind == "DELETE DATA"
        else (text[op.start : op.end])
    )
    scratch = ox.Store()
    scratch.update(f"{op.prologue}\n{body}", base_iri=base_iri)
    return iter(scratch)


def _copy_patch(store: ox.Store, text: str, base_iri: str | None) -> Patch:
    """Run ``text`` on an in-memory copy of ``store``; the patch is the difference."""
    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None))
    for graph in store.named_graphs():
        copy.add_graph(graph)
    try:
        copy.update(text, base_iri=base_iri)
    except SyntaxError as error:
        raise syntax_error(str(error), text) from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryEvaluationError(str(error)) from None
    removed = (q for q in store.quads_for_pattern(None, None, None) if q not in copy)
    added = (q for q in copy if q not in store)
    return Patch(removed=tuple(removed), added=tuple(added))


def _into(
    graph: ox.NamedNode | ox.DefaultGraph, quads: Iterable[ox.Quad | ox.Triple]
) -> Iterator[ox.Quad]:
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}

    def relabel(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term, ox.BlankNode())
        return term

    for quad in quads:
        subject = relabel(quad.subject)
        value = relabel(quad.object)
        yield ox.Quad(subject, quad.predicate, value, graph)  # type: ignore[arg-type]


def _holds_graph(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return any(g == graph for g in store.named_graphs())


def _graph_names(store: ox.Store) -> tuple[str, ...]:
    return tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))
