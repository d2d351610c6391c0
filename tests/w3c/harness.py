"""Read the W3C SPARQL 1.1 query-evaluation manifests, build each test's dataset, and
compare answers as the suite defines (after rdflib's ``test/test_w3c_spec`` and
Oxigraph's ``testsuite``).

- A test's dataset: the ``qt:data`` files merged into the default graph, each
  ``qt:graphData`` file a named graph named by the file's IRI. The suite's relative
  IRIs (in data, queries and results) resolve against the files' places in the W3C
  test tree, :data:`BASE`, so graph names and IRIs are the same wherever the
  repository is checked out. Each dataset becomes one N-Quads file.
- A query without ``BASE`` is sent with ``BASE <its own IRI>`` put in front, so that
  its relative IRIs (``FROM <data.ttl>``, ``GRAPH <data-g1.ttl>``) name those graphs.
- Results: solutions are equal up to a renaming of blank nodes (one bijection for the
  whole result), in order only when the query has a top-level ``ORDER BY``; graphs are
  compared by rdflib's isomorphism; terms by RDF term equality, except that literals of
  the numeric XSD types and xsd:boolean are equal when their datatypes and values are
  (see :func:`canonical`). CSV is compared as text rows, since CSV loses types (the
  blank-node labels are renamed likewise).
"""

from __future__ import annotations

import csv
import io
import re
import struct
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic

SUITE: Final = Path(__file__).parent / "sparql11"
#: Where the W3C publishes the suite: the base of every relative IRI in it.
BASE: Final = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
#: The top-level manifests: the Query part, and the result formats (CSV, TSV, JSON)
#: whose tests are query evaluations too.
TOP_MANIFESTS: Final = ("manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl")
#: Included by the Query manifest but holding syntax tests only, so not copied here.
SYNTAX_ONLY: Final = frozenset({"syntax-query"})

MF: Final = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT: Final = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS: Final = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
EVALUATION_TYPES: Final = (MF.QueryEvaluationTest, MF.CSVResultFormatTest)

_RDF_FORMATS: Final = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
}
_RESULT_FORMATS: Final = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class EvaluationTest:
    """One ``mf:QueryEvaluationTest`` or ``mf:CSVResultFormatTest``."""

    id: str  # "folder/name", the name being the fragment of the test's IRI
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path
    csv: bool

    @property
    def dataset_key(self) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        return self.data, self.graph_data

    def query_text(self) -> str:
        """The query, with ``BASE <its IRI>`` in front when it declares none."""
        text = self.query.read_text(encoding="utf-8")
        return text if has_base(text) else f"BASE <{iri(self.query)}>\n{text}"

    @property
    def ordered(self) -> bool:
        """Whether the query orders its solutions: an ORDER BY after its last ``}``."""
        text = _without_comments(self.query.read_text(encoding="utf-8"))
        tail = text[text.rfind("}") + 1 :]
        return re.search(r"\bORDER\s+BY\b", tail, re.IGNORECASE) is not None

    @property
    def returns_graph(self) -> bool:
        """Whether the expected result is a graph (a Turtle file may hold a result set
        instead, in the DAWG result-set vocabulary)."""
        return self.result.suffix in (".ttl", ".nt", ".rdf") and not _is_result_set(self.result)


def _is_result_set(path: Path) -> bool:
    graph = Graph().parse(path, format="turtle", publicID=iri(path))
    return (None, RDF.type, RS.ResultSet) in graph


def iri(path: Path) -> str:
    """The IRI of a file of the suite, at the W3C."""
    return BASE + path.relative_to(SUITE).as_posix()


def has_base(text: str) -> bool:
    """Whether a query or update declares its own ``BASE``."""
    return (
        re.search(r"^\s*BASE\s*<", _without_comments(text), re.IGNORECASE | re.MULTILINE)
        is not None
    )


def _without_comments(text: str) -> str:
    # Good enough for the suite's queries: no '#' inside their IRIs is followed by a
    # line that matters here, and strings with '#' hold no BASE or ORDER BY.
    return re.sub(r"(?m)#[^\n>]*$", "", text)


def manifests() -> list[Path]:
    """The sub-manifests the top-level manifests include (those holding evaluations)."""
    found = []
    for name in TOP_MANIFESTS:
        graph = Graph().parse(SUITE / name, format="turtle", publicID=BASE + name)
        top = next(graph.subjects(RDF.type, MF.Manifest))
        for include in Collection(graph, graph.value(top, MF.include)):
            relative = str(include)[len(BASE) :]
            if relative.split("/", 1)[0] in SYNTAX_ONLY:
                continue
            found.append(SUITE / relative)
    return found


def evaluation_tests() -> list[EvaluationTest]:
    """Every evaluation test of the manifests, in manifest order."""
    tests = []
    for manifest in manifests():
        graph = Graph().parse(manifest, format="turtle", publicID=iri(manifest))
        top = next(graph.subjects(RDF.type, MF.Manifest))
        for entry in Collection(graph, graph.value(top, MF.entries)):
            kind = graph.value(entry, RDF.type)
            if kind not in EVALUATION_TYPES:
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            assert action is not None and result is not None, entry
            tests.append(
                EvaluationTest(
                    id=f"{manifest.parent.name}/{str(entry).rsplit('#', 1)[1]}",
                    query=_path(graph.value(action, QT.query)),
                    data=tuple(sorted(_path(d) for d in graph.objects(action, QT.data))),
                    graph_data=tuple(sorted(_path(d) for d in graph.objects(action, QT.graphData))),
                    result=_path(result),
                    csv=kind == MF.CSVResultFormatTest,
                )
            )
    return tests


def _path(node: object) -> Path:
    assert isinstance(node, URIRef) and str(node).startswith(BASE), node
    return SUITE / str(node)[len(BASE) :]


# --- datasets ------------------------------------------------------------------------


def dataset_quads(test: EvaluationTest) -> list[ox.Quad]:
    """The test's dataset: ``qt:data`` in the default graph, each ``qt:graphData`` file
    in a graph named by its IRI (blank nodes are distinct per file, as in a merge)."""
    quads = []
    for path in test.data:
        quads += file_quads(path, ox.DefaultGraph())
    for path in test.graph_data:
        quads += file_quads(path, ox.NamedNode(iri(path)))
    return quads


def file_quads(path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """The triples of a file of the suite, in ``graph``."""
    triples = ox.parse(path=path, format=_RDF_FORMATS[path.suffix], base_iri=iri(path))
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in triples]


def write_nquads(test: EvaluationTest, target: Path) -> Path:
    """The test's dataset as an N-Quads file, for ``nkgraph serve --data``."""
    target.write_bytes(ox.serialize(dataset_quads(test), format=ox.RdfFormat.N_QUADS) or b"")
    return target


# --- answers and their comparison ----------------------------------------------------

#: What an engine under test is asked: the query text, and the media type of the answer.
Ask = Callable[[str, str], bytes]
SPARQL_JSON: Final = "application/sparql-results+json"
N_TRIPLES: Final = "application/n-triples"
CSV: Final = "text/csv"


class WrongAnswerError(AssertionError):
    """The answer differs from the expected result."""


def check(test: EvaluationTest, ask: Ask) -> None:
    """Ask the engine the test's query and compare its answer with the expected result.

    Raises:
        WrongAnswerError: the answer differs (the message shows both).
    """
    query = test.query_text()
    if test.csv:
        _check_csv(test, ask(query, CSV))
    elif test.returns_graph:
        _check_graph(test, ask(query, N_TRIPLES))
    else:
        _check_results(test, ask(query, SPARQL_JSON))


def _check_graph(test: EvaluationTest, body: bytes) -> None:
    expected = Graph().parse(test.result, format="turtle", publicID=iri(test.result))
    actual = Graph().parse(data=body.decode("utf-8"), format="nt")
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        raise WrongAnswerError(
            f"graphs differ\nonly expected:\n{only_expected.serialize(format='nt')}"
            f"only actual:\n{only_actual.serialize(format='nt')}"
        )


Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def _check_results(test: EvaluationTest, body: bytes) -> None:
    expected = _expected_results(test.result)
    actual = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(expected, bool) or isinstance(actual, ox.QueryBoolean):
        if not (isinstance(actual, ox.QueryBoolean) and expected == bool(actual)):
            raise WrongAnswerError(f"expected {expected}, got {actual}")
        return
    want, got = expected, _rows(actual)
    if not same_solutions(want, got, ordered=test.ordered):
        raise WrongAnswerError(
            f"solutions differ ({'in order' if test.ordered else 'in any order'})\n"
            f"expected {len(want)}:\n{_show(want)}\ngot {len(got)}:\n{_show(got)}"
        )


def _expected_results(path: Path) -> bool | list[Row]:
    if path.suffix == ".ttl":
        return _result_set(path)
    expected = ox.parse_query_results(path=path, format=_RESULT_FORMATS[path.suffix])
    return bool(expected) if isinstance(expected, ox.QueryBoolean) else _rows(expected)


def _result_set(path: Path) -> bool | list[Row]:
    """A result set written in the DAWG result-set vocabulary (``rs:``), in Turtle."""
    graph = Graph().parse(path, format="turtle", publicID=iri(path))
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())  # type: ignore[attr-defined]
    blanks: dict[BNode, ox.BlankNode] = {}
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        row: Row = {}
        for binding in graph.objects(solution, RS.binding):
            name = str(graph.value(binding, RS.variable))
            row[name] = _ox_term(graph.value(binding, RS.value), blanks)
        rows.append(row)
    return rows


def _ox_term(
    node: object, blanks: dict[BNode, ox.BlankNode]
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return blanks.setdefault(node, ox.BlankNode())
    assert isinstance(node, Literal), node
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def _rows(solutions: ox.QuerySolutions) -> list[Row]:
    names = [v.value for v in solutions.variables]
    return [
        {name: term for name in names if (term := solution[name]) is not None}
        for solution in solutions
    ]


def _show(rows: Sequence[Row]) -> str:
    return "\n".join(
        "  " + " ".join(f"?{k}={v}" for k, v in sorted(row.items())) for row in rows[:50]
    )


def same_solutions(expected: Sequence[Row], actual: Sequence[Row], *, ordered: bool) -> bool:
    """Whether the two sequences of solutions are equal up to a renaming of blank nodes
    (one bijection for all rows), row for row when ``ordered``, else as multisets."""
    if len(expected) != len(actual):
        return False
    if ordered:
        return _unify_in_order(list(expected), list(actual), {}, {})
    ground_expected = Counter(_key(r) for r in expected if not _has_blank(r))
    ground_actual = Counter(_key(r) for r in actual if not _has_blank(r))
    if ground_expected != ground_actual:
        return False
    rest_expected = [r for r in expected if _has_blank(r)]
    rest_actual = [r for r in actual if _has_blank(r)]
    return _unify_any_order(rest_expected, rest_actual, {}, {})


def _key(row: Row) -> frozenset[tuple[str, object]]:
    return frozenset((name, canonical(term)) for name, term in row.items())


_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS: Final[dict[str, Callable[[str], object]]] = {
    _XSD + "integer": int,
    _XSD + "decimal": lambda text: Decimal(text).normalize(),
    _XSD + "double": float,
    _XSD + "float": lambda text: struct.unpack("f", struct.pack("f", float(text)))[0],
    _XSD + "boolean": lambda text: text.strip() in ("true", "1"),
}


def canonical(term: object) -> object:
    """``term``, or for a literal of a numeric or boolean XSD type, its datatype and value.

    Oxigraph's store (hence pyoxigraph and nkgraph) keeps such literals as values, so it
    answers ``"1"^^xsd:decimal`` for the suite's ``"1.0"^^xsd:decimal`` and ``"false"``
    for ``"0"^^xsd:boolean``: the same literal value, another lexical form. The datatype
    must still be the same (``1`` and ``1.0`` differ in type, and stay different).
    """
    if isinstance(term, ox.Literal):
        parse = _NUMBERS.get(term.datatype.value)
        if parse is not None:
            try:
                return ("value", term.datatype.value, parse(term.value))
            except (ValueError, ArithmeticError, struct.error):
                return term  # an ill-typed literal is compared as written
    return term


def _has_blank(row: Row) -> bool:
    return any(isinstance(term, ox.BlankNode) for term in row.values())


Mapping = dict[ox.BlankNode, ox.BlankNode]
Pairs = list[tuple[ox.BlankNode, ox.BlankNode]]


def _unify(want: Row, got: Row, forward: Mapping, backward: Mapping) -> Pairs | None:
    """The new pairs of blank nodes that make ``want`` equal ``got`` (None: none do)."""
    if want.keys() != got.keys():
        return None
    added: Pairs = []
    for name, term in want.items():
        other = got[name]
        if isinstance(term, ox.BlankNode) and isinstance(other, ox.BlankNode):
            mapped = forward.get(term, dict(added).get(term))
            if mapped is None:
                if other in backward or other in {b for _, b in added}:
                    return None
                added.append((term, other))
            elif mapped != other:
                return None
        elif canonical(term) != canonical(other):
            return None
    return added


def _bind(pairs: Pairs, forward: Mapping, backward: Mapping) -> None:
    for a, b in pairs:
        forward[a], backward[b] = b, a


def _unbind(pairs: Pairs, forward: Mapping, backward: Mapping) -> None:
    for a, b in pairs:
        del forward[a], backward[b]


def _unify_in_order(want: list[Row], got: list[Row], forward: Mapping, backward: Mapping) -> bool:
    for row, other in zip(want, got, strict=True):
        added = _unify(row, other, forward, backward)
        if added is None:
            return False
        _bind(added, forward, backward)
    return True


def _unify_any_order(want: list[Row], got: list[Row], forward: Mapping, backward: Mapping) -> bool:
    if not want:
        return not got
    row = want[0]
    for index, other in enumerate(got):
        added = _unify(row, other, forward, backward)
        if added is None:
            continue
        _bind(added, forward, backward)
        if _unify_any_order(want[1:], got[:index] + got[index + 1 :], forward, backward):
            return True
        _unbind(added, forward, backward)
    return False


def _check_csv(test: EvaluationTest, body: bytes) -> None:
    expected = _csv_rows(test.result.read_text(encoding="utf-8"))
    actual = _csv_rows(body.decode("utf-8"))
    # Columns are matched by name: the order of SELECT *'s variables is not defined.
    if sorted(expected[0]) != sorted(actual[0]):
        raise WrongAnswerError(f"CSV headers differ: expected {expected[0]}, got {actual[0]}")

    def rows(table: list[list[str]]) -> list[Row]:
        # Cells as terms, so that blank nodes ("_:x") are renamed like any other.
        header = table[0]
        return [
            {
                name: ox.BlankNode(cell[2:]) if cell.startswith("_:") else ox.Literal(cell)
                for name, cell in zip(header, line, strict=True)
                if cell != ""
            }
            for line in table[1:]
        ]

    want, got = rows(expected), rows(actual)
    if not same_solutions(want, got, ordered=test.ordered):
        raise WrongAnswerError(f"CSV rows differ\nexpected:\n{_show(want)}\ngot:\n{_show(got)}")


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))
