"""Read a SPARQL request before it runs: its form, its dataset and what it would call.

The engine (``sparql/engine.py``, pyoxigraph) parses and evaluates queries. This module does the
checks that must happen before evaluation, on the tokens of the query alone:

- the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), which content negotiation needs
  before any work is done; an update (INSERT, DELETE, LOAD, ...) is refused here;
- the ``SERVICE`` targets, refused unless allow-listed, because pyoxigraph would otherwise
  call them over HTTP;
- the ``FROM`` / ``FROM NAMED`` graphs, which must be graphs of the dataset, since the
  service never fetches graphs from the Web;
- how deeply the query nests: the engine's parser is recursive, and a query nested some
  thousands of levels deep overflows its stack and ends the process, so
  :func:`check_nesting` refuses it first.

A token-level reading is enough for these three: keywords, IRIs, prefixed names, strings and
comments are regular languages in the SPARQL grammar, so a keyword found here is a keyword to
the parser too. A query that does not parse is left to the engine, whose error message
carries the line and column.

>>> query = prepare("PREFIX ex: <http://example.org/> SELECT * FROM ex:g WHERE { ?s ?p ?o }")
>>> query.form, query.from_graphs
(<QueryForm.SELECT: 'SELECT'>, ('http://example.org/g',))
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Final
from urllib.parse import urljoin

from nkgraph.errors import QueryTooComplex, ServiceNotAllowed, UpdateNotAllowed

__all__ = [
    "MAX_NESTING",
    "PreparedQuery",
    "QueryForm",
    "Token",
    "check_nesting",
    "check_services",
    "prepare",
    "tokens",
    "tokens_at",
]

#: The deepest nesting accepted by default (``max_nesting``): far more than any query a
#: person writes, far less than what overflows the parser's stack.
MAX_NESTING: Final = 200


class QueryForm(Enum):
    """The four SPARQL query forms."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE return RDF triples; SELECT and ASK return results."""
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


_VOLATILE: Final = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})
_UPDATE_KEYWORDS: Final = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_PN_CHARS_BASE = r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"  # noqa: E501
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_TOKEN: Final = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][{_PN_CHARS}]+)
  | (?P<pname>(?:[{_PN_CHARS_BASE}][{_PN_CHARS}.]*)?:(?:[{_PN_CHARS}:.%]|\\.)*)
  | (?P<integer>[0-9]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (a group name of ``_TOKEN``) and its text."""

    kind: str
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, without white space and comments."""
    for token, _start in tokens_at(text):
        yield token


def tokens_at(text: str) -> Iterator[tuple[Token, int]]:
    """The query's tokens, without white space and comments, each with its offset."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group()), match.start()


@dataclass(frozen=True)
class PreparedQuery:
    """A query read before evaluation.

    Args:
        text: the query as sent.
        form: its query form, or ``None`` when the form could not be told (the query
            does not parse, and the engine will say why).
        services: the targets of its ``SERVICE`` clauses: absolute IRIs, or the variable
            or unresolvable name as written.
        from_graphs: IRIs of its ``FROM`` clauses.
        from_named_graphs: IRIs of its ``FROM NAMED`` clauses.
        limit: the ``LIMIT`` of the outermost query, if it has one (a subquery's does
            not count): a SELECT query returns at most that many rows.
        volatile: whether it calls a function whose value changes per call (``NOW``,
            ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``), so its answer may change by itself.
        normalized: its tokens without white space and comments, so that two layouts of
            one query compare equal (a cache key).
        depth: how deeply it nests brackets (``{ ( [``) and unary operators (``! - + ^``
            in a row), at its deepest.
        deepest: the offset in ``text`` where that depth is first reached.
    """

    text: str = field(repr=False)
    form: QueryForm | None
    services: tuple[str, ...] = ()
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    limit: int | None = None
    volatile: bool = False
    normalized: str = field(default="", repr=False)
    depth: int = 0
    deepest: int = 0

    def __repr__(self) -> str:
        return (
            f"PreparedQuery(text='...', form={self.form!r}, services={self.services!r}, "
            f"from_graphs={self.from_graphs!r}, from_named_graphs={self.from_named_graphs!r}, "
            f"limit={self.limit!r}, volatile={self.volatile!r})"
        )


class _Reader:
    """Walks the tokens once, resolving prefixed names and relative IRIs as it goes."""

    def __init__(self, text: str) -> None:
        positioned = list(tokens_at(text))
        self.tokens = [token for token, _ in positioned]
        self.starts = [start for _, start in positioned]
        self.base = ""
        self.prefixes: dict[str, str] = {}

    def iri(self, token: Token | None) -> str | None:
        """The absolute IRI ``token`` stands for, or ``None`` if it stands for none."""
        if token is None:
            return None
        if token.kind == "iri":
            return urljoin(self.base, token.text[1:-1]) if self.base else token.text[1:-1]
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + re.sub(r"\\(.)", r"\1", local)
        return None

    def at(self, index: int) -> Token | None:
        return self.tokens[index] if index < len(self.tokens) else None


#: Queries up to this long are remembered once read (1,024 of them: a few MiB at most).
_MEMO_LENGTH: Final = 4096


def prepare(text: str) -> PreparedQuery:
    """Read ``text``: its form, SERVICE targets, FROM graphs and outermost LIMIT.

    Memoised for queries of ordinary length: a service sees the same few queries again
    and again (a page's, a dashboard's), and reading one costs as much as evaluating a
    simple one.

    Raises:
        UpdateNotAllowed: ``text`` is a SPARQL Update request.
    """
    return _remembered(text) if len(text) <= _MEMO_LENGTH else _read(text)


def _read(text: str) -> PreparedQuery:
    reader = _Reader(text)
    form: QueryForm | None = None
    services: list[str] = []
    from_graphs: list[str] = []
    from_named: list[str] = []
    limit: int | None = None
    volatile = False
    depth = 0  # of braces: 0 outside the WHERE clause, where the outermost LIMIT is
    for index, token in enumerate(reader.tokens):
        if token.kind == "other":
            depth += {"{": 1, "}": -1}.get(token.text, 0)
            continue
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word in _VOLATILE:
            volatile = True
        elif word == "LIMIT" and depth == 0:
            count = reader.at(index + 1)
            limit = int(count.text) if count is not None and count.kind == "integer" else None
        elif word == "BASE":
            reader.base = reader.iri(reader.at(index + 1)) or reader.base
        elif word == "PREFIX":
            _declare(reader, reader.at(index + 1), reader.at(index + 2))
        elif form is None and word in _UPDATE_KEYWORDS:
            raise UpdateNotAllowed()
        elif form is None and word in QueryForm.__members__:
            form = QueryForm[word]
        elif word == "SERVICE":
            services.append(_service_target(reader, index))
        elif word == "FROM":
            named = (reader.at(index + 1) or Token("", "")).text.upper() == "NAMED"
            target = reader.at(index + 2 if named else index + 1)
            iri = reader.iri(target) or (target.text if target else "")
            (from_named if named else from_graphs).append(iri)
    depth, deepest = _nesting(reader)
    return PreparedQuery(
        text,
        form,
        tuple(services),
        tuple(from_graphs),
        tuple(from_named),
        limit=limit,
        volatile=volatile,
        normalized="\x1f".join(token.text for token in reader.tokens),
        depth=depth,
        deepest=deepest,
    )


_OPENERS: Final = frozenset("{([")
_CLOSERS: Final = frozenset("})]")
_UNARY: Final = frozenset("!-+^")


def _nesting(reader: _Reader) -> tuple[int, int]:
    """The deepest nesting of brackets plus unary operators in a row, and where it is."""
    depth = unary = deepest = where = 0
    for token, start in zip(reader.tokens, reader.starts, strict=True):
        if token.kind != "other":
            unary = 0
            continue
        if token.text in _OPENERS:
            depth += 1
        elif token.text in _CLOSERS:
            depth = max(depth - 1, 0)
        unary = unary + 1 if token.text in _UNARY else 0
        if depth + unary > deepest:
            deepest, where = depth + unary, start
    return deepest, where


def check_nesting(query: PreparedQuery, limit: int) -> None:
    """Refuse ``query`` if it nests deeper than ``limit`` levels.

    Raises:
        QueryTooComplex: naming the depth, the limit and the deepest point.
    """
    _refuse_deeper(query.text, query.depth, query.deepest, limit)


def check_update_nesting(text: str, limit: int) -> None:
    """Refuse the update request ``text`` if it nests deeper than ``limit`` levels,
    counted as for a query (the parser recurses on an update as on a query).

    Raises:
        QueryTooComplex: naming the depth, the limit and the deepest point.
    """
    depth, deepest = _nesting(_Reader(text))
    _refuse_deeper(text, depth, deepest, limit)


def _refuse_deeper(text: str, depth: int, deepest: int, limit: int) -> None:
    if depth > limit:
        line = text.count("\n", 0, deepest) + 1
        column = deepest - (text.rfind("\n", 0, deepest) + 1) + 1
        raise QueryTooComplex(depth, limit, line=line, column=column)


_remembered = lru_cache(maxsize=1024)(_read)


def _declare(reader: _Reader, name: Token | None, namespace: Token | None) -> None:
    if name is not None and name.kind == "pname" and name.text.endswith(":"):
        iri = reader.iri(namespace)
        if iri is not None:
            reader.prefixes[name.text[:-1]] = iri


def _service_target(reader: _Reader, index: int) -> str:
    target = reader.at(index + 1)
    if target is not None and target.text.upper() == "SILENT":
        target = reader.at(index + 2)
    iri = reader.iri(target)
    if iri is not None:
        return iri
    return target.text if target is not None else ""


def check_services(query: PreparedQuery, allowlist: Sequence[str]) -> None:
    """Refuse the query if one of its SERVICE targets is not under an allow-listed IRI.

    A variable target (``SERVICE ?endpoint``) is always refused: its value is not known
    until evaluation.

    Raises:
        ServiceNotAllowed: naming the first target that is not allowed.
    """
    for target in query.services:
        if not any(prefix and target.startswith(prefix) for prefix in allowlist):
            raise ServiceNotAllowed(f"<{target}>" if _ABSOLUTE_IRI.match(target) else target)


_ABSOLUTE_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
