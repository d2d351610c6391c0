"""A query's result as a table a person reads: labels for IRIs, literals as values.

The SPARQL endpoint renders it for browsers (``GET /sparql?query=...`` with HTML
preferred): a SELECT's rows, an ASK's answer, or the triples of a CONSTRUCT or DESCRIBE
as subject, predicate, object. A cell keeps the IRI (for a link) and the datatype (for
a tooltip) beside the text it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from nkgraph.pages.naming import Labels, format_value
from nkgraph.sparql.engine import QueryResult
from nkgraph.sparql.prepare import QueryForm

__all__ = ["Cell", "ResultTable", "result_iris", "result_table"]


@dataclass(frozen=True)
class Cell:
    """One value: ``text`` to show, the ``iri`` it names, or its ``datatype``/``language``."""

    text: str
    iri: str | None = None
    datatype: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ResultTable:
    """Column names and rows (``None`` where a variable is unbound), or ASK's answer."""

    form: QueryForm
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]
    boolean: bool | None
    truncated: bool


def _terms(result: QueryResult) -> Iterator[tuple[object, ...]]:
    if result.form.returns_graph:
        for triple in result.triples:
            yield (triple.subject, triple.predicate, triple.object)
    else:
        for solution in result.solutions:
            yield tuple(solution[v] for v in result.variables)


def result_iris(result: QueryResult) -> set[str]:
    """Every IRI in ``result`` (their labels are fetched in one go)."""
    return {t.value for row in _terms(result) for t in row if isinstance(t, ox.NamedNode)}


def result_table(result: QueryResult, labels: Labels) -> ResultTable:
    """``result`` as a table, IRIs named by ``labels``."""
    columns = ("subject", "predicate", "object") if result.form.returns_graph else result.variables
    rows = tuple(tuple(_cell(t, labels) for t in row) for row in _terms(result))
    return ResultTable(result.form, columns, rows, result.boolean, result.truncated)


def _cell(term: object, labels: Labels) -> Cell | None:
    if isinstance(term, ox.NamedNode):
        return Cell(labels(term.value), iri=term.value)
    if isinstance(term, ox.Literal):
        datatype = None if term.language else term.datatype.value
        return Cell(format_value(term), datatype=datatype, language=term.language)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}")
    return None
