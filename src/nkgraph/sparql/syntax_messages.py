"""Turn the engine's syntax errors into sentences a person can act on.

pyoxigraph reports where its parser stopped and a list of what it would have accepted
there: ``expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' ...`` for an
undeclared prefix, ``expected [_]`` for an empty query. That list is the grammar, not
the mistake. :func:`explain` reads the query around the position the engine gives and
says what is wrong in plain words; where no rule here fits, it says where the query could
not be read and then quotes the engine, so nothing the engine said is lost.

>>> explain("expected [_]", "", line=1, column=1)
'the query is empty; send a query such as SELECT * WHERE { ?s ?p ?o } LIMIT 10'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nkgraph.sparql.prepare import Token, tokens_at
from nkgraph.vocab import PREFIXES

__all__ = ["explain"]

#: Well-known prefixes besides the project's own, suggested for an undeclared one.
_COMMON_PREFIXES: Final = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    **PREFIXES,
}

_KEYWORDS: Final = (
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "PREFIX", "BASE", "FROM", "NAMED",
    "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE", "EXISTS",
    "DISTINCT", "REDUCED", "LIMIT", "OFFSET", "ORDER", "GROUP", "HAVING", "BY", "ASC", "DESC",
)  # fmt: skip

#: The engine's own sentences inside its list of expectations, made plainer.
_ENGINE_SENTENCES: Final = {
    "The SELECT contains a variable that is unbound": (
        "SELECT names a variable that is neither in GROUP BY nor inside an aggregate; with "
        "an aggregate such as COUNT, add the other selected variables to GROUP BY"
    ),
    "The SELECT contains an expression with a variable that is unbound": (
        "an expression in SELECT uses a variable that is neither in GROUP BY nor inside an "
        "aggregate; add it to GROUP BY or wrap it in an aggregate such as SAMPLE"
    ),
    "IRI parsing failed": (
        'this IRI is not valid (no spaces, and none of < > " { } | ^ ` \\ inside < >); '
        "check its spelling"
    ),
    "The query limit should be a non negative integer": "LIMIT takes a whole number, 0 or more",
    "The query offset should be a non negative integer": "OFFSET takes a whole number, 0 or more",
    "Duplicated variable name in SELECT": "SELECT names the same variable twice",
}

_TERM_KINDS: Final = frozenset({"var", "iri", "pname", "string", "integer"})
_CLOSERS: Final = {"{": "}", "(": ")", "[": "]"}


@dataclass(frozen=True)
class _Place:
    """The engine's position, as an index into the query text."""

    line: int
    column: int
    offset: int


def explain(message: str, text: str, *, line: int, column: int) -> str:
    """A plain sentence for the engine's syntax error ``message`` at ``line``:``column``.

    The caller adds the position; the sentence says what is wrong and, where it can,
    what to write instead.
    """
    place = _Place(line, column, _offset(text, line, column))
    expected = _expectations(message)
    for rule in (_empty, _known_sentence, _undeclared_prefix, _unclosed, _unopened,
                 _other_sentence, _truncated_triple, _unknown_keyword):  # fmt: skip
        sentence = rule(text, place, expected)
        if sentence is not None:
            return sentence
    return _fallback(message, text, place)


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return len(text)
    return min(sum(len(part) + 1 for part in lines[: line - 1]) + column - 1, len(text))


def _expectations(message: str) -> tuple[str, ...]:
    """The items of the engine's ``expected one of A, B, C`` (or ``expected A``); a
    character class such as ``[',' | ';']`` is one item."""
    body = re.sub(r"^expected (one of )?", "", message.strip())
    items: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(body):
        if char == "[" and body[index - 1 : index + 1] != "'[":
            depth += 1
        elif char == "]" and depth and body[index - 1 : index + 1] != "']":
            depth -= 1
        elif char == "," and depth == 0 and body[index + 1 : index + 2] == " ":
            items.append(body[start:index])
            start = index + 2
    items.append(body[start:])
    return tuple(item.strip() for item in items if item.strip())


def _empty(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    if any(True for _ in tokens_at(text)):
        return None
    return "the query is empty; send a query such as SELECT * WHERE { ?s ?p ?o } LIMIT 10"


def _undeclared_prefix(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    """A prefixed name whose prefix no ``PREFIX`` declares (the engine predefines none)."""
    declared: set[str] = set()
    found = [token for token, _ in tokens_at(text)]
    for index, token in enumerate(found):
        after_prefix = index > 0 and found[index - 1].text.upper() == "PREFIX"
        if token.kind != "pname":
            continue
        prefix = token.text.partition(":")[0]
        if after_prefix:
            declared.add(prefix)
        elif prefix not in declared and not prefix.startswith("_"):
            return _prefix_advice(prefix)
    return None


def _prefix_advice(prefix: str) -> str:
    known = _COMMON_PREFIXES.get(prefix)
    shown = f"prefix `{prefix}:`" if prefix else "empty prefix `:`"
    if known is not None:
        return (
            f"the {shown} is not declared; add `PREFIX {prefix}: <{known}>` at the top of the query"
        )
    return (
        f"the {shown} is not declared; add `PREFIX {prefix}: <...>` with its "
        "namespace IRI at the top of the query, or write the IRI in full, in < >"
    )


def _unclosed(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    """A string, IRI or bracket opened and never closed."""
    openings: list[tuple[str, int]] = []
    for token, start in tokens_at(text):
        if token.kind == "other" and token.text in ('"', "'"):
            where = _where(text, start)
            return f"the string that starts at {where} is never closed; end it with {token.text}"
        if token.kind == "other" and token.text in _CLOSERS:
            openings.append((token.text, start))
        elif token.kind == "other" and token.text in _CLOSERS.values():
            if openings and _CLOSERS[openings[-1][0]] == token.text:
                openings.pop()
            else:
                return None  # a stray closer: ``_unopened``'s case
    if not openings or place.offset < len(text.rstrip()):
        return None
    bracket, start = openings[-1]
    return (
        f"the {bracket} opened at {_where(text, start)} is never closed; add "
        f"{_CLOSERS[bracket]} where it should end"
    )


def _unopened(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    depth: dict[str, int] = dict.fromkeys(_CLOSERS.values(), 0)
    opener = {closer: bracket for bracket, closer in _CLOSERS.items()}
    for token, start in tokens_at(text):
        if token.kind != "other":
            continue
        if token.text in _CLOSERS:
            depth[_CLOSERS[token.text]] += 1
        elif token.text in depth:
            depth[token.text] -= 1
            if depth[token.text] < 0:
                return (
                    f"the {token.text} at {_where(text, start)} closes nothing: there is no "
                    f"{opener[token.text]} open before it"
                )
    return None


def _known_sentence(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    for item in expected:
        if item in _ENGINE_SENTENCES:
            return _ENGINE_SENTENCES[item]
    return None


def _other_sentence(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    """The engine's other sentences (``BIND is overriding an existing variable``) read well
    as they are."""
    for item in expected:
        if " " in item and item[:1].isupper() and item != "Prefix not found":
            return item[0].lower() + item[1:].rstrip(".")
    return None


def _truncated_triple(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    """``{ ?s ?p }``: a triple pattern cut short before ``}`` or ``.``."""
    found = [token for token, _ in tokens_at(text)]
    terms: list[str] = []
    separator = ""  # what the current run of terms follows; "" where no pattern starts
    for index, token in enumerate(found):
        if token.kind in _TERM_KINDS or (token.kind == "word" and token.text == "a"):
            terms.append(token.text)
            continue
        if token.text in ("}", ".") and separator:
            missing = _missing(terms, separator)
            if missing is not None:
                return missing
        if token.text == "{":
            separator = "" if _opens_values(found, index) else "{"
        elif token.text in (".", ";", ","):
            separator = token.text if separator else ""
        else:
            separator = ""
        terms = []
    return None


def _opens_values(found: Sequence[Token], index: int) -> bool:
    """Whether the ``{`` at ``index`` opens the data block of ``VALUES``."""
    back = index - 1
    while back >= 0 and (found[back].kind == "var" or found[back].text in "()"):
        back -= 1
    return back >= 0 and found[back].text.upper() == "VALUES"


def _missing(terms: Sequence[str], separator: str) -> str | None:
    written = " ".join(terms)
    if separator in ("{", ".") and len(terms) == 2:
        return f"the triple pattern `{written}` has no object; add one (a variable, IRI or literal)"
    if separator in ("{", ".") and len(terms) == 1:
        return (
            f"the triple pattern `{written}` has no predicate and no object; a pattern is "
            "subject, predicate, object"
        )
    if separator == ";" and len(terms) == 1:
        return f"after `;` the predicate `{written}` has no object"
    if separator in (";", ",") and not terms:
        return f"nothing follows `{separator}`; add what it announces, or remove it"
    return None


def _unknown_keyword(text: str, place: _Place, expected: Sequence[str]) -> str | None:
    """A misspelt keyword (``SELCT``) at or before where the engine stopped."""
    for token, start in tokens_at(text):
        if start > place.offset:
            break
        word = token.text.upper()
        if token.kind != "word" or word in _KEYWORDS:
            continue
        close = difflib.get_close_matches(word, _KEYWORDS, n=1, cutoff=0.75)
        if close:
            return f"`{token.text}` is not a SPARQL keyword; did you mean {close[0]}?"
    return None


def _fallback(message: str, text: str, place: _Place) -> str:
    if text[place.offset :].strip():
        where = f"the query could not be read at `{_snippet(text, place.offset)}`"
    else:
        where = (
            "the query could not be read to its end: it stops too early, or breaks a rule "
            "checked once it is read (such as BIND or AS giving a value to a variable that "
            "already has one)"
        )
    return f"{where}. The engine's parser {_readable(message)}"


def _readable(message: str) -> str:
    """The engine's message without its character classes (``['0'..='9']`` and the like),
    which list characters rather than say anything; at most 300 characters."""
    items = [item for item in _expectations(message) if not item.startswith("[")]
    if not items:
        return "expected something else there"
    said = ("expected one of " if len(items) > 1 else "expected ") + ", ".join(items)
    return said if len(said) <= 300 else said[:300] + " ..."


def _snippet(text: str, offset: int) -> str:
    line = text[offset:].split("\n", 1)[0]
    return line[:30] + ("..." if len(line) > 30 else "")


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"
