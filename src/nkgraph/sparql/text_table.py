"""A query's result as an aligned plain-text table, for a terminal (``nkgraph query``).

IRIs are written as prefixed names where a prefix of ``vocab.PREFIXES`` fits (else in
angle brackets), literals by their lexical form (``@lang`` kept), blank nodes as
``_:id``, unbound variables as empty cells. A graph result is a table of subject,
predicate and object; an ASK result is one word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from nkgraph.sparql.engine import QueryResult
from nkgraph.sparql.prepare import QueryForm
from nkgraph.vocab import PREFIXES

__all__ = ["render_text_table", "term_text"]


def render_text_table(result: QueryResult, *, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``result`` as lines of aligned columns under a header and a rule.

    >>> print(render_text_table(QueryResult(QueryForm.ASK, boolean=True)), end="")
    true
    """
    if result.form is QueryForm.ASK:
        return "true\n" if result.boolean else "false\n"
    if result.form.returns_graph:
        columns: Sequence[str] = ("subject", "predicate", "object")
        rows: Iterable[Sequence[object]] = (
            (t.subject, t.predicate, t.object) for t in result.triples
        )
    else:
        columns = result.variables
        rows = (tuple(s[v] for v in columns) for s in result.solutions)
    cells = [[term_text(term, prefixes) for term in row] for row in rows]
    return _aligned([f"?{c}" if not result.form.returns_graph else c for c in columns], cells)


def term_text(term: object, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """One term as a person reads it in a terminal.

    >>> term_text(ox.NamedNode("http://schema.org/name"), {"schema": "http://schema.org/"})
    'schema:name'
    >>> term_text(ox.Literal("Stepanakert", language="en"))
    '"Stepanakert"@en'
    """
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in prefixes.items():
            local = term.value[len(namespace) :]
            if term.value.startswith(namespace) and local and "/" not in local:
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return f'"{term.value}"@{term.language}' if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return ""


def _aligned(header: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(header)]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join(lines) + "\n"


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        v.replace("\n", " ").ljust(w) for v, w in zip(values, widths, strict=True)
    ).rstrip()
