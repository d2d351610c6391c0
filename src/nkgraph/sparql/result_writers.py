"""Write a :class:`~nkgraph.sparql.engine.QueryResult` in one of the formats of ``formats.py``.

pyoxigraph writes ASK results, graphs, and the rows of a SELECT query whose own LIMIT
keeps them under the row cap (``QueryResult.written``, see :func:`native_format`). Other
SELECT results are written here, because a result cut at the row cap must say so in its
body (``"truncated": true`` at the top of the JSON object, an extension the SPARQL 1.1
JSON format allows: readers ignore keys they do not know), and pyoxigraph cannot add it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Final
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from nkgraph.formats import (
    RDF_XML,
    RESULT_FORMATS,
    SPARQL_CSV,
    SPARQL_JSON,
    SPARQL_TSV,
    SPARQL_XML,
    TURTLE,
    Format,
)
from nkgraph.sparql.engine import QueryResult
from nkgraph.sparql.prepare import QueryForm

__all__ = ["native_format", "serialize_result", "serialize_triples"]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def serialize_result(
    result: QueryResult, fmt: Format, *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """``result`` in ``fmt``, which must suit its form (results or graph)."""
    if result.written is not None:
        return result.written
    if result.form is QueryForm.ASK:
        return _ask(bool(result.boolean), fmt)
    if result.form is QueryForm.SELECT:
        return _SELECT_WRITERS[fmt.name](result)
    return serialize_triples(result.triples, fmt, prefixes=prefixes)


def native_format(fmt: Format) -> ox.QueryResultsFormat | None:
    """pyoxigraph's writer for the results format ``fmt``; ``None`` for a graph format."""
    return fmt.results_format


def serialize_triples(
    triples: tuple[ox.Triple, ...] | list[ox.Triple],
    fmt: Format,
    *,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """RDF ``triples`` in the graph format ``fmt``."""
    # JSON-LD stays expanded: a client needs no context to read it.
    with_prefixes = fmt in (TURTLE, RDF_XML)
    data = ox.serialize(
        triples,
        format=fmt.ox_rdf_format,
        prefixes=dict(prefixes) if prefixes and with_prefixes else None,
    )
    return data if data is not None else b""


def _ask(value: bool, fmt: Format) -> bytes:
    return _ASK_ANSWERS[(value, fmt.name)]


def _written_ask(value: bool, results_format: ox.QueryResultsFormat) -> bytes:
    data = ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(data, ox.QueryBoolean)  # noqa: S101 (an ASK query)
    return data.serialize(format=results_format) or b""


#: ASK has two answers per format: written by pyoxigraph once, not per request.
_ASK_ANSWERS: Final = {
    (value, fmt.name): _written_ask(value, fmt.ox_results_format)
    for value in (True, False)
    for fmt in RESULT_FORMATS
}


_string = json.encoder.encode_basestring  # the C function json.dumps uses


def _json_term(term: Term) -> str:
    """One RDF term as a SPARQL JSON term object, written directly: about a fifth faster
    than building dictionaries for ``json.dumps``, and the rows are most of the work."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _string(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = '{"type":"literal","value":' + _string(term.value)
        if term.language:
            return value + ',"xml:lang":' + _string(term.language) + "}"
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return value + "}"
        return value + ',"datatype":' + _string(datatype) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _string(term.value) + "}"
    parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
    inner = ",".join(f'"{name}":{_json_term(part)}' for name, part in parts)
    return '{"type":"triple","value":{' + inner + "}}"


def _select_json(result: QueryResult) -> bytes:
    keys = [_string(name) + ":" for name in result.variables]
    rows = [
        "{"
        + ",".join(key + _json_term(t) for key, t in zip(keys, row, strict=True) if t is not None)
        + "}"
        for row in result.solutions
    ]
    head = '{"head":{"vars":[' + ",".join(map(_string, result.variables)) + "]},"
    cut = f'"truncated":true,"maxRows":{result.max_rows},' if result.truncated else ""
    return (head + cut + '"results":{"bindings":[' + ",".join(rows) + "]}}").encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _select_xml(result: QueryResult) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
    ]
    out.extend(f"<variable name={quoteattr(name)}/>" for name in result.variables)
    out.append("</head><results>")
    for solution in result.solutions:
        out.append("<result>")
        for index, name in enumerate(result.variables):
            term = solution[index]
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _select_csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    width = len(result.variables)
    for solution in result.solutions:
        writer.writerow([_csv_value(solution[i]) for i in range(width)])
    return buffer.getvalue().encode()


def _select_tsv(result: QueryResult) -> bytes:
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    width = len(result.variables)
    for solution in result.solutions:
        lines.append("\t".join(_tsv_value(solution[i]) for i in range(width)))
    return ("\n".join(lines) + "\n").encode()


def _tsv_value(term: Term | None) -> str:
    if isinstance(term, ox.Triple):  # a triple term, as pyoxigraph's own writer has it
        return f"<<( {_tsv_value(term.subject)} {term.predicate} {_tsv_value(term.object)} )>>"
    return "" if term is None else str(term)


_SELECT_WRITERS: Final[dict[str, Callable[[QueryResult], bytes]]] = {
    SPARQL_JSON.name: _select_json,
    SPARQL_XML.name: _select_xml,
    SPARQL_CSV.name: _select_csv,
    SPARQL_TSV.name: _select_tsv,
}
