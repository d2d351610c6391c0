"""Run pySHACL over a data graph: in this process, or shared out among forked processes.

pySHACL validates each focus node of each shape on its own: a result names one focus
node, and whether it is reported never depends on the other focus nodes. So the focus
nodes can be shared out. Each worker process runs the whole of pySHACL (every shape,
the data graph whole, the ontology included) but keeps, of the focus nodes each shape's
targets select, only its share: those whose hash, modulo the number of workers, is its
number. Every focus node is validated by exactly one worker, against all the data, so
the union of the workers' results is the result of one run; nothing is split that a
constraint could look across (a cardinality counted over graphs, a ``FILTER NOT EXISTS``
over the whole dataset). The parent merges the workers' report graphs into one.

The workers are forked, so they share the parent's data graph (copy on write) instead
of parsing or unpickling it; only their reports travel back. Terms keep their identity
across a fork (blank nodes included), and ``hash`` is the same in every worker.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import pyshacl
from pyparsing import ParseBaseException
from pyshacl.errors import ReportableRuntimeError
from pyshacl.shape import Shape
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from nkgraph.errors import ShapesError
from nkgraph.validation.shacl_query_cache import prepared_queries
from nkgraph.validation.shacl_speedups import pyshacl_speedups

__all__ = ["can_fork", "only_focus_nodes", "run_in_processes", "run_pyshacl"]

_Triple = tuple[Node, Node, Node]

#: pySHACL's own target selection, before a worker narrows it to its share.
_FOCUS_NODES: Final[Callable[..., Any]] = Shape.focus_nodes


def run_pyshacl(data: Dataset, shapes: Graph, *, allow_warnings: bool) -> tuple[bool, Graph]:
    """One pySHACL run over ``data``, which it may change (``inplace``): pass a graph
    nothing else uses, or one the shapes cannot change (no SHACL rules).

    Raises:
        ShapesError: the shapes are not valid SHACL, a query does not parse, or pySHACL
            failed.
    """
    try:
        with prepared_queries(), pyshacl_speedups():
            conforms, report, _ = pyshacl.validate(
                data,
                shacl_graph=shapes,
                inference="none",
                advanced=True,
                allow_warnings=allow_warnings,
                allow_infos=allow_warnings,
                inplace=True,
            )
    except (ReportableRuntimeError, ParseBaseException) as error:
        raise ShapesError(f"the SHACL shapes cannot be used: {error}") from error
    if isinstance(report, Exception):
        raise ShapesError(f"SHACL validation failed: {report}") from report
    return bool(conforms), report


@contextmanager
def only_focus_nodes(nodes: Collection[Node]) -> Iterator[None]:
    """Within the block, each shape validates only those of its targets in ``nodes``.

    pySHACL's own ``focus_nodes`` option keeps IRIs only (blank nodes are dropped), so
    this narrows the targets the way a worker of :func:`run_in_processes` takes its
    share. A process-wide change to pySHACL for the length of the block, like
    :func:`nkgraph.validation.shacl_speedups.pyshacl_speedups`: use it where nothing else
    validates concurrently.
    """
    original: Callable[..., Any] = Shape.focus_nodes

    def focus_nodes(self: Shape, data_graph: Any, debug: bool = False) -> set[Any]:
        return {node for node in original(self, data_graph, debug=debug) if node in nodes}

    Shape.focus_nodes = focus_nodes  # type: ignore[method-assign]
    try:
        yield
    finally:
        Shape.focus_nodes = original  # type: ignore[method-assign]


def can_fork() -> bool:
    """Whether worker processes can be forked here (POSIX, not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def run_in_processes(
    data: Dataset, shapes: Graph, *, allow_warnings: bool, workers: int
) -> tuple[bool, Graph]:
    """:func:`run_pyshacl`, with the focus nodes shared out among ``workers`` forked
    processes. ``data`` is not changed here (each worker changes its own copy).

    Raises:
        ShapesError: as :func:`run_pyshacl`, raised in a worker.
    """
    context = multiprocessing.get_context("fork")
    shares = [(index, workers) for index in range(workers)]
    # With fork, initargs reach the workers by inheritance: the data is not pickled.
    with context.Pool(workers, initializer=_start_worker, initargs=(data, shapes)) as pool:
        parts = pool.map(_validate_share, [(*share, allow_warnings) for share in shares], 1)
    return _merge(parts)


@dataclass(frozen=True)
class _Part:
    """A worker's report: pySHACL's report graph as triples, and its prefixes."""

    conforms: bool
    triples: tuple[_Triple, ...]
    namespaces: tuple[tuple[str, URIRef], ...]


#: What a forked worker validates, set once in each worker process (never in the parent).
_job: dict[str, Any] = {}


def _start_worker(data: Dataset, shapes: Graph) -> None:
    _job.update(data=data, shapes=shapes)


def _validate_share(share: tuple[int, int, bool]) -> _Part:
    index, workers, allow_warnings = share

    def focus_nodes(self: Shape, data_graph: Any, debug: bool = False) -> set[Any]:
        selected = _FOCUS_NODES(self, data_graph, debug=debug)
        return {node for node in selected if hash(node) % workers == index}

    # A worker process exists for this run only, so it may patch pySHACL for good.
    Shape.focus_nodes = focus_nodes  # type: ignore[method-assign]
    conforms, report = run_pyshacl(_job["data"], _job["shapes"], allow_warnings=allow_warnings)
    return _Part(conforms, tuple(report), tuple(report.namespaces()))


def _merge(parts: Sequence[_Part]) -> tuple[bool, Graph]:
    """One report graph, shaped as pySHACL shapes one: a report node with
    ``sh:conforms`` and the workers' results (whose blank nodes are renamed, since
    forked workers can mint the same blank-node labels)."""
    conforms = all(part.conforms for part in parts)
    merged = Graph(bind_namespaces="core")
    for prefix, namespace in parts[0].namespaces if parts else ():
        merged.namespace_manager.bind(prefix, namespace)
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    for part in parts:
        merged += _renamed(part.triples, report)
    return conforms, merged


def _renamed(triples: Iterable[_Triple], report: BNode) -> list[_Triple]:
    """A worker's results under ``report``, each result node a new blank node. Other
    blank nodes are the data's or the shapes' (pySHACL keeps their labels) and stay."""
    triples = list(triples)
    reports = {s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport}
    results = {o for s, p, o in triples if s in reports and p == SH.result}
    names: dict[Node, Node] = {node: BNode() for node in results}
    names.update(dict.fromkeys(reports, report))
    kept = [t for t in triples if t[0] not in reports or t[1] == SH.result]
    return [(names.get(s, s), p, names.get(o, o)) for s, p, o in kept]
