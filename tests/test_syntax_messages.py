"""Syntax errors rewritten for people (issue #12): each row is a typical mistake, the words
the message must say, and the grammar words it must not be reduced to."""

from __future__ import annotations

import pytest

from nkgraph.errors import QuerySyntaxError
from nkgraph.sparql.engine import check_syntax
from nkgraph.sparql.syntax_messages import explain

FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

MISTAKES = [
    pytest.param("", ("the query is empty",), id="empty"),
    pytest.param("# only a comment\n", ("the query is empty",), id="only-a-comment"),
    pytest.param(
        "SELECT * { ?s foaf:name ?o }",
        ("prefix `foaf:` is not declared", f"PREFIX foaf: <{FOAF}>"),
        id="well-known-prefix",
    ),
    pytest.param(
        "SELECT * { ?s ex:p ?o }",
        ("prefix `ex:` is not declared", "PREFIX ex: <...>"),
        id="unknown-prefix",
    ),
    pytest.param("ASK { :x ?p ?o }", ("empty prefix `:`",), id="empty-prefix"),
    pytest.param(
        "SELECT * { ?s ?p }", ("the triple pattern `?s ?p` has no object",), id="no-object"
    ),
    pytest.param(
        "SELECT * {\n  ?s ?p ?o .\n  ?s ?p .\n}",
        ("the triple pattern `?s ?p` has no object",),
        id="no-object-after-dot",
    ),
    pytest.param("SELECT * { ?s }", ("`?s` has no predicate and no object",), id="no-predicate"),
    pytest.param(
        "SELECT * { ?s ?p ?o ; ?q }", ("after `;` the predicate `?q` has no object",), id="semi"
    ),
    pytest.param(
        "SELECT * { ?s ?p ?o",
        ("the { opened at line 1, column 10 is never closed",),
        id="unclosed-brace",
    ),
    pytest.param(
        'SELECT * { ?s ?p "abc }',
        ("the string that starts at line 1, column 18 is never closed",),
        id="unclosed-string",
    ),
    pytest.param("SELECT * { ?s ?p ?o } }", ("closes nothing",), id="stray-brace"),
    pytest.param(
        "SELCT * { ?s ?p ?o }",
        ("`SELCT` is not a SPARQL keyword; did you mean SELECT?",),
        id="misspelt-keyword",
    ),
    pytest.param(
        "SELECT (COUNT(*) AS ?n) ?s { ?s ?p ?o }",
        ("neither in GROUP BY nor inside an aggregate",),
        id="ungrouped-variable",
    ),
    pytest.param(
        "SELECT * { <http://example.org/a b> ?p ?o }", ("this IRI is not valid",), id="bad-iri"
    ),
    pytest.param(
        "SELECT * { ?s ?p ?o } ORDER BY",
        ("could not be read to its end", 'expected one of "$", "("'),
        id="fallback-at-end",
    ),
    pytest.param(
        "SELECT * { ?s ?p ?o } LIMIT -1",
        ("could not be read at `-1`", "expected one of"),
        id="fallback-inside",
    ),
]


@pytest.mark.parametrize(("query", "words"), MISTAKES)
def test_syntax_error_reads_as_a_sentence(query: str, words: tuple[str, ...]) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        check_syntax(query)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert caught.value.line is not None  # the position is kept
    assert "['" not in message  # no character class of the grammar
    assert "[_]" not in message


def test_position_is_the_engines() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        check_syntax("SELECT *\nWHERE {\n  ?s foaf:name ?o\n}")
    assert (caught.value.line, caught.value.column) == (3, 15)
    assert "at line 3, column 15" in str(caught.value)


def test_known_prefixes_are_not_reported() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        check_syntax(XSD + "SELECT * { ?s ?p xsd:integer , }")
    assert "xsd:" not in str(caught.value).split("PREFIX")[0]
    assert "nothing follows `,`" in str(caught.value)


def test_values_block_is_not_a_triple_pattern() -> None:
    check_syntax("SELECT * { VALUES ?x { 1 2 } }")  # parses: no message to give


def test_explain_without_a_rule_quotes_the_engine() -> None:
    sentence = explain("expected FOO", "SELECT ?x WHERE", line=1, column=11)
    assert sentence.startswith("the query could not be read at `WHERE`")
    assert sentence.endswith("The engine's parser expected FOO")
