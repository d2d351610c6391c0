"""Validate the knowledge graph against its SHACL shapes, with pySHACL.

pySHACL answers with a ``(conforms, graph, text)`` tuple whose graph slot may hold an
exception; ``validate`` wraps it in a ``ValidationReport`` of typed ``ValidationResult``
values, and raises ``ShapesError`` when the shapes cannot be used at all.

What is validated, for a Dataset: the union of all its graphs, the ontology graph
included, each graph keeping its name. Shapes need the ontology: ``sh:targetClass`` and
``sh:class`` follow its ``rdfs:subClassOf``, and constraints look up the controlled
values it defines (a hedge's bound rules, say). And SHACL-SPARQL constraints may ask
which named graph holds a triple (``GRAPH ?g { ... }``). The price: a target that also
matches ontology terms (``sh:targetClass owl:Class``, ``sh:targetSubjectsOf
rdfs:label``) checks them too, so shapes for the data target what only the data has.
(pySHACL's own "ontology graph" option was not used: it mixes in only RDFS and OWL
axioms, so a controlled value's SKOS properties would stay out of sight.)

How it scales: pySHACL evaluates each constraint once per focus node, so the cost is
(focus nodes) x (constraints), and the per-node cost is rdflib's. Three things keep it
linear and small: the shapes' SPARQL is written so that rdflib joins from ``$this``
(see ontology/shapes.ttl); query parses and pySHACL's per-node bookkeeping are cached
(:mod:`nkgraph.validation.shacl_query_cache`, :mod:`nkgraph.validation.shacl_speedups`);
and a large data graph has its focus nodes shared out among forked worker processes, one per CPU
(:mod:`nkgraph.validation.shacl_run` says why that is sound).

pySHACL flips rdflib's process-wide ``NORMALIZE_LITERALS`` while it runs, so validate at
load time or from the command line, never concurrently per request.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.extras.shacl import SHACLPathError, parse_shacl_path
from rdflib.namespace import SH
from rdflib.paths import Path as PropertyPath
from rdflib.term import Node

from nkgraph.errors import ShapesError
from nkgraph.model.loading import load_shapes
from nkgraph.validation.shacl_run import (
    can_fork,
    only_focus_nodes,
    run_in_processes,
    run_pyshacl,
)
from nkgraph.vocab import PREFIXES

__all__ = [
    "FocusNode",
    "Severity",
    "ShapeNode",
    "ValidationReport",
    "ValidationResult",
    "validate",
]

logger = logging.getLogger(__name__)

#: A focus node or value node: any RDF term (SHACL allows literal focus nodes).
FocusNode = URIRef | BNode | Literal
#: A shape is named by an IRI or is a blank node.
ShapeNode = URIRef | BNode


class Severity(Enum):
    """SHACL's three result severities, most severe first."""

    VIOLATION = SH.Violation
    WARNING = SH.Warning
    INFO = SH.Info

    @property
    def label(self) -> str:
        """The severity's local name: ``Violation``, ``Warning`` or ``Info``."""
        return self.name.capitalize()


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult`` of a report, with SHACL's own terms."""

    focus_node: FocusNode
    #: ``sh:resultPath``: a property, or a property path expression.
    path: URIRef | PropertyPath | None
    #: ``sh:value``, when the constraint is about one value.
    value: FocusNode | None
    severity: Severity
    source_shape: ShapeNode
    #: The shape a reader looks for in the shapes file: the source shape if it has an
    #: IRI, else the named shape that declares it with ``sh:property``.
    named_shape: ShapeNode
    constraint_component: URIRef
    message: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a data graph against a shapes graph."""

    conforms: bool
    #: Most severe first, then by shape, focus node, path and message (then constraint
    #: component, value and source shape), so output is stable.
    results: tuple[ValidationResult, ...]
    #: The SHACL validation report graph, as pySHACL built it.
    graph: Graph = field(compare=False, repr=False)

    def counts(self) -> dict[Severity, int]:
        """How many results there are of each severity (zeros included)."""
        counted = Counter(result.severity for result in self.results)
        return {severity: counted[severity] for severity in Severity}


def validate(
    data: Dataset | Graph,
    *,
    shapes: Graph | None = None,
    allow_warnings: bool = True,
    workers: int | None = None,
    focus_nodes: Collection[Node] | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (the shipped shapes by default).

    No inference is run; SHACL-SPARQL constraints are (pySHACL's "advanced" mode).

    Args:
        data: a Dataset from ``graph.load_dataset`` (all its graphs are validated, see
            the module docstring), or a Graph. It is left as it was.
        shapes: the shapes graph.
        allow_warnings: when true, results of severity Warning or Info are reported but
            do not make the data fail to conform.
        workers: how many processes validate, each a share of the focus nodes. ``None``:
            one per CPU when the data holds 20,000 triples or more, else 1.
            The report is the same whatever the number.
        focus_nodes: when given, only these of the shapes' targets are validated (in
            one process), so the report is about them alone.

    Raises:
        ShapesError: a shape is not valid SHACL, a SPARQL query in it does not parse, or
            the validator failed.
        DataLoadError: the shipped shapes cannot be parsed (only when ``shapes`` is None).
        InstallationError: the shipped shapes are missing (only when ``shapes`` is None).
    """
    shapes = shapes if shapes is not None else load_shapes()
    target = _data_graph(data, shapes)
    processes = 1 if focus_nodes is not None else _processes(workers, target)
    if processes > 1:
        conforms, report_graph = run_in_processes(
            target, shapes, allow_warnings=allow_warnings, workers=processes
        )
    else:
        union = target.default_union
        narrowed = nullcontext() if focus_nodes is None else only_focus_nodes(focus_nodes)
        try:
            with narrowed:
                conforms, report_graph = run_pyshacl(target, shapes, allow_warnings=allow_warnings)
        finally:
            target.default_union = union  # pySHACL sets it
    for prefix, namespace in PREFIXES.items():
        report_graph.bind(prefix, namespace, replace=True)
    results = sorted(_results(report_graph, shapes), key=_sort_key)
    logger.debug(
        "validated with %d process(es): conforms=%s, %d results", processes, conforms, len(results)
    )
    return ValidationReport(conforms=conforms, results=tuple(results), graph=report_graph)


#: The size (triples) from which ``validate`` shares the work among processes by default:
#: below it, starting them costs more than it saves.
_PARALLEL_FROM: Final = 20_000


def _processes(workers: int | None, data: Dataset) -> int:
    if workers is None:
        workers = _cpus() if len(data) >= _PARALLEL_FROM else 1
    return max(1, workers) if can_fork() else 1


def _cpus() -> int:
    """The CPUs this process may run on (``sched_getaffinity`` is Linux only)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _data_graph(data: Dataset | Graph, shapes: Graph) -> Dataset:
    """The Dataset pySHACL may validate in place: ``data`` itself, unless it is a plain
    Graph or the shapes hold SHACL rules (which would add triples to it)."""
    if isinstance(data, Dataset) and (None, SH.rule, None) not in shapes:
        return data
    return _as_dataset(data)


def _as_dataset(data: Dataset | Graph) -> Dataset:
    """A copy of ``data`` as a Dataset, with the names of its graphs.

    A Dataset, because SPARQL's ``GRAPH`` needs one (a plain Graph becomes the default
    graph); a copy, because SHACL rules would add their triples to it.
    """
    dataset = Dataset()
    for prefix, namespace in data.namespaces():
        dataset.bind(prefix, namespace, replace=True)
    if isinstance(data, Dataset):
        for graph in data.graphs():
            named = dataset.graph(graph.identifier)
            named += graph
    else:
        default = dataset.default_graph
        default += data
    return dataset


def _results(report: Graph, shapes: Graph) -> list[ValidationResult]:
    return [_result(report, shapes, node) for node in report.objects(None, SH.result)]


def _result(report: Graph, shapes: Graph, node: Node) -> ValidationResult:
    source_shape = _shape_node(report.value(node, SH.sourceShape))
    return ValidationResult(
        focus_node=_term(report.value(node, SH.focusNode), "sh:focusNode"),
        path=_path(report, report.value(node, SH.resultPath)),
        value=_optional_term(report.value(node, SH.value)),
        severity=Severity(report.value(node, SH.resultSeverity)),
        source_shape=source_shape,
        named_shape=_named_shape(shapes, source_shape),
        constraint_component=_iri(report.value(node, SH.sourceConstraintComponent)),
        message=_message(report, node),
    )


def _term(node: Node | None, role: str) -> FocusNode:
    if isinstance(node, URIRef | BNode | Literal):
        return node
    raise ShapesError(f"the validation report has a result without {role}")


def _optional_term(node: Node | None) -> FocusNode | None:
    return node if isinstance(node, URIRef | BNode | Literal) else None


def _shape_node(node: Node | None) -> ShapeNode:
    if isinstance(node, URIRef | BNode):
        return node
    raise ShapesError("the validation report has a result without sh:sourceShape")


def _iri(node: Node | None) -> URIRef:
    if isinstance(node, URIRef):
        return node
    raise ShapesError("the validation report has a result without sh:sourceConstraintComponent")


def _path(report: Graph, node: Node | None) -> URIRef | PropertyPath | None:
    if node is None:
        return None
    try:
        return parse_shacl_path(report, node)
    except (SHACLPathError, TypeError) as error:
        raise ShapesError(f"the validation report has an invalid sh:resultPath: {error}") from error


def _named_shape(shapes: Graph, shape: ShapeNode) -> ShapeNode:
    if isinstance(shape, URIRef):
        return shape
    owner = shapes.value(predicate=SH.property, object=shape)
    return owner if isinstance(owner, URIRef | BNode) else shape


#: Languages a message is preferred in, in order ("" is a plain literal).
_MESSAGE_LANGUAGES: Final = ("en", "")


def _message(report: Graph, node: Node) -> str:
    """The result's message, in English when the shape gives several languages."""
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    for language in _MESSAGE_LANGUAGES:
        chosen = sorted(str(m) for m in messages if (m.language or "") == language)
        if chosen:
            return " ".join(chosen)
    if messages:
        return " ".join(sorted(str(m) for m in messages))
    return "(no message)"


_SEVERITY_RANK: Final = {severity: rank for rank, severity in enumerate(Severity)}


def _sort_key(result: ValidationResult) -> tuple[int, str, str, str, str, str, str, str]:
    # The last three break ties that pySHACL's emission order used to break, which
    # differs between runs and between a run in one process and a run in several.
    return (
        _SEVERITY_RANK[result.severity],
        str(result.named_shape),
        str(result.focus_node),
        "" if result.path is None else result.path.n3(),
        result.message,
        str(result.constraint_component),
        "" if result.value is None else result.value.n3(),
        str(result.source_shape),
    )
