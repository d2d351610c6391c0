"""Render a ``ValidationReport`` as readable text, JSON or Turtle.

Kept apart from ``validation`` so that running pySHACL and presenting its answer are
two jobs in two modules.

Text
    A summary line, then the results grouped by severity (most severe first), one line
    each: the focus node in prefixed form, the result path, the message and the shape.

JSON (stable; new keys may be added, none removed or renamed)
    ::

        {
          "conforms": false,
          "counts": {"Violation": 1, "Warning": 0, "Info": 0},
          "results": [
            {
              "severity": "Violation",
              "focusNode": {"type": "uri", "value": "https://w3id.org/nkgraph/id/x"},
              "resultPath": "<http://schema.org/name>",
              "value": {"type": "literal", "value": "3",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
              "message": "A person needs a name.",
              "sourceShape": {"type": "bnode", "value": "n1"},
              "namedShape": {"type": "uri", "value": "https://w3id.org/nkgraph/ontology#PersonShape"},
              "sourceConstraintComponent": {"type": "uri",
                        "value": "http://www.w3.org/ns/shacl#DatatypeConstraintComponent"}
            }
          ]
        }

    Keys are SHACL's own (``focusNode``, ``resultPath``, ``value``, ``sourceShape``,
    ``sourceConstraintComponent``), plus ``namedShape`` (the named shape that declares a
    blank-node source shape) and ``message`` (``sh:resultMessage``, English preferred).
    RDF terms are objects as in the SPARQL 1.1 JSON results format; ``resultPath`` is a
    SPARQL property path with full IRIs, and ``resultPath`` and ``value`` may be null.
    Results come in the report's stable order.

Turtle
    The SHACL validation report graph itself (``sh:ValidationReport``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Final

from rdflib import BNode, URIRef
from rdflib.namespace import NamespaceManager

from nkgraph.validation.shacl import FocusNode, Severity, ValidationReport, ValidationResult

__all__ = ["REPORT_FORMATS", "render_json", "render_text", "render_turtle"]


def render_text(report: ValidationReport) -> str:
    """A summary line, then one line per result, grouped by severity."""
    names = report.graph.namespace_manager
    lines = [_summary(report)]
    for severity in Severity:
        results = [r for r in report.results if r.severity is severity]
        if results:
            lines += ["", f"{_plural(len(results), severity.label)}:"]
            lines += [_text_line(result, names) for result in results]
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport) -> str:
    """The report as JSON, in the shape documented in this module's docstring."""
    document = {
        "conforms": report.conforms,
        "counts": {severity.label: count for severity, count in report.counts().items()},
        "results": [_json_result(result) for result in report.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The SHACL validation report graph, in Turtle."""
    return report.graph.serialize(format="turtle")


#: The renderers by the name the command line offers them under.
REPORT_FORMATS: Final[dict[str, Callable[[ValidationReport], str]]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
}


def _summary(report: ValidationReport) -> str:
    counts = [_plural(n, s.label.lower()) for s, n in report.counts().items() if n]
    outcome = "Conforms" if report.conforms else "Does not conform"
    return f"{outcome}: {', '.join(counts)}." if counts else f"{outcome}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _text_line(result: ValidationResult, names: NamespaceManager) -> str:
    where = result.focus_node.n3(names)
    if result.path is not None:
        where += f" {result.path.n3(names)}"
    return f"  {where}: {result.message}  [{result.named_shape.n3(names)}]"


def _json_result(result: ValidationResult) -> dict[str, object]:
    return {
        "severity": result.severity.label,
        "focusNode": _json_term(result.focus_node),
        "resultPath": None if result.path is None else result.path.n3(),
        "value": None if result.value is None else _json_term(result.value),
        "message": result.message,
        "sourceShape": _json_term(result.source_shape),
        "namedShape": _json_term(result.named_shape),
        "sourceConstraintComponent": _json_term(result.constraint_component),
    }


def _json_term(term: FocusNode) -> dict[str, str]:
    """An RDF term as the SPARQL 1.1 JSON results format writes one."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    encoded = {"type": "literal", "value": str(term)}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype:
        encoded["datatype"] = str(term.datatype)
    return encoded
