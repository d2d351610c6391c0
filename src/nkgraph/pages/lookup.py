"""Read the graph through SPARQL: the one way pages and descriptions fetch data.

Everything that describes resources for people (``describe.py``, ``overview.py``) asks
its questions as SPARQL text run by the engine (``Engine.run``), never by walking an
rdflib graph, so it keeps working when the engine becomes an external SPARQL server.
IRIs and strings are put into query text only through :func:`iri_term` and
:func:`string_term`, which refuse or escape what could change the query.

>>> string_term('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import pyoxigraph as ox

from nkgraph.errors import ResourceNotFound
from nkgraph.sparql.engine import QueryResult
from nkgraph.sparql.prepare import PreparedQuery, prepare
from nkgraph.vocab import PREFIXES

__all__ = [
    "Lookup",
    "QueryRunner",
    "Term",
    "first_literal",
    "iri_term",
    "is_valid_iri",
    "named",
    "string_term",
    "values_clause",
    "with_prologue",
]

#: An RDF term as the engine returns it.
Term = ox.NamedNode | ox.BlankNode | ox.Literal

_PROLOGUE: Final = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# An absolute IRI holding none of the characters SPARQL's IRIREF production excludes.
_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


class QueryRunner(Protocol):
    """What a lookup needs of an engine: ``Engine.run``'s core signature."""

    def run(self, query: PreparedQuery, *, timeout: float, max_rows: int) -> QueryResult: ...


def is_valid_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI that may stand between ``<`` and ``>``."""
    return _IRI.fullmatch(value) is not None


def iri_term(value: str) -> str:
    """``value`` as a SPARQL IRI reference.

    Raises:
        ResourceNotFound: ``value`` is not an absolute IRI, so it names nothing here.
    """
    if not is_valid_iri(value):
        raise ResourceNotFound(value)
    return f"<{value}>"


def string_term(value: str) -> str:
    """``value`` as a SPARQL string literal, escaped."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def with_prologue(text: str) -> str:
    """``text`` with the project's prefixes declared: the query a :class:`Lookup` runs."""
    return _PROLOGUE + text


def values_clause(variable: str, iris: Iterable[str]) -> str:
    """A ``VALUES ?variable { <a> <b> }`` clause (invalid IRIs are left out)."""
    terms = " ".join(f"<{i}>" for i in sorted(set(iris)) if is_valid_iri(i))
    return f"VALUES ?{variable} {{ {terms} }}"


@dataclass(frozen=True)
class Lookup:
    """SELECT and CONSTRUCT over an engine, with the project's prefixes declared.

    Args:
        runner: the engine.
        timeout: seconds each query may take.
        max_rows: most rows or triples per query.
    """

    runner: QueryRunner
    timeout: float = 30.0
    max_rows: int = 10_000

    def select(self, text: str) -> list[dict[str, Term]]:
        """The rows of a SELECT query (``text`` without prologue); unbound variables are absent.

        Raises:
            QueryTimeout: the query ran out of time.
        """
        result = self._run(text)
        rows: list[dict[str, Term]] = []
        for solution in result.solutions:
            row: dict[str, Term] = {}
            for name in result.variables:
                term = solution[name]
                if term is not None and not isinstance(term, ox.Triple):
                    row[name] = term
            rows.append(row)
        return rows

    def construct(self, text: str) -> tuple[ox.Triple, ...]:
        """The triples of a CONSTRUCT query (``text`` without prologue)."""
        return self._run(text).triples

    def properties(self, iris: Sequence[str]) -> dict[str, dict[str, list[Term]]]:
        """Every ``predicate -> objects`` of each of ``iris``, in a stable order."""
        found: dict[str, dict[str, list[Term]]] = {i: defaultdict(list) for i in iris}
        if not iris:
            return found
        rows = self.select(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values_clause('s', iris)} ?s ?p ?o }}"
            " ORDER BY ?s ?p ?o"
        )
        for row in rows:
            found[row["s"].value][row["p"].value].append(row["o"])
        return found

    def exists(self, iri: str) -> bool:
        """Whether ``iri`` is the subject or object of a triple."""
        term = iri_term(iri)
        rows = self.select(
            f"SELECT ?x WHERE {{ {{ {term} ?p ?x }} UNION {{ ?x ?p {term} }} }} LIMIT 1"
        )
        return bool(rows)

    def count(self, where: str) -> int:
        """How many distinct ``?x`` the pattern ``where`` binds."""
        rows = self.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
        term = rows[0].get("n") if rows else None
        return int(term.value) if isinstance(term, ox.Literal) else 0

    def _run(self, text: str) -> QueryResult:
        return self.runner.run(
            prepare(with_prologue(text)), timeout=self.timeout, max_rows=self.max_rows
        )


def first_literal(values: Mapping[str, list[Term]], *predicates: str) -> str | None:
    """The first literal value among ``predicates`` (in that order), English first."""
    for predicate in predicates:
        literals = [v for v in values.get(predicate, ()) if isinstance(v, ox.Literal)]
        literals.sort(key=lambda lit: (lit.language not in (None, "en"), lit.value))
        if literals:
            return literals[0].value
    return None


def named(values: Iterable[Term]) -> list[str]:
    """The IRIs among ``values``."""
    return [v.value for v in values if isinstance(v, ox.NamedNode)]
