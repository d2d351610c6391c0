"""SPARQL 1.1 Federated Query, evaluated by nkgraph rather than by the engine.

pyoxigraph 0.5's ``Store.query`` offers no way to set a timeout or a ``User-Agent`` for
``SERVICE`` calls (its Python build has no HTTP client options at all), and Wikimedia
refuses clients without a descriptive User-Agent. So before the engine sees a query, each
allow-listed ``SERVICE <iri> { P }`` block is evaluated here and replaced by a ``VALUES``
block holding its solutions:

1. the variables ``P`` shares with the rest of the query are bound locally first: the
   query's own WHERE clause, with its SERVICE blocks left out, is run with
   ``SELECT DISTINCT`` on those variables (a "bind join", as FedX does), so that the
   remote endpoint is asked only about this graph's values, e.g. its own items;
2. ``SELECT * WHERE { VALUES (shared) { … } P }`` is sent to the endpoint with httpx: the
   configured User-Agent, a timeout (``NKGRAPH_SERVICE_TIMEOUT``), SPARQL JSON results;
3. the block is replaced by ``VALUES (vars) { rows }``; an empty answer gives no row.

A failing endpoint is a :class:`~nkgraph.errors.ServiceFailed` (502) or
:class:`~nkgraph.errors.ServiceTimeout` (504); with ``SERVICE SILENT`` the block becomes
``{}`` (one empty solution), as the specification says. The bind join is exact for a
SERVICE block joined in a group; inside OPTIONAL or MINUS it still only narrows the remote
answer to values that could join.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx

from nkgraph.errors import ServiceFailed, ServiceTimeout
from nkgraph.sparql.prepare import _TOKEN, PreparedQuery, prepare

__all__ = ["ServiceBlock", "find_service_blocks", "resolve_services"]

logger = logging.getLogger(__name__)

#: Most local bindings sent to an endpoint in one VALUES block; more are not sent (the
#: endpoint is then asked without them).
MAX_BINDINGS: Final = 500

#: Runs a SELECT query on the local graph; returns rows of variable -> term in SPARQL
#: syntax (``<iri>``, ``"lit"@en``, ``"1"^^<dt>``), without blank nodes.
LocalQuery = Callable[[str], Sequence[Mapping[str, str]]]


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ServiceBlock:
    """One ``SERVICE`` block: its endpoint, whether SILENT, its span and its pattern."""

    endpoint: str
    silent: bool
    start: int
    end: int
    pattern: str
    variables: tuple[str, ...]


def _tokens(text: str) -> list[_Tok]:
    return [
        _Tok(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def _closing(tokens: Sequence[_Tok], opening: int) -> int:
    depth = 0
    for index in range(opening, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[index].text, 0)
        if depth == 0:
            return index
    raise ServiceFailed("(query)", "a SERVICE block is not closed")


def find_service_blocks(query: PreparedQuery) -> list[ServiceBlock]:
    """The query's SERVICE blocks, in order, with the endpoint IRIs ``prepare`` resolved."""
    tokens = _tokens(query.text)
    blocks: list[ServiceBlock] = []
    targets = iter(query.services)
    for index, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() != "SERVICE":
            continue
        silent = tokens[index + 1].text.upper() == "SILENT"
        opening = index + (3 if silent else 2)
        closing = _closing(tokens, opening)
        inner = tokens[opening + 1 : closing]
        blocks.append(
            ServiceBlock(
                endpoint=next(targets),
                silent=silent,
                start=token.start,
                end=tokens[closing].end,
                pattern=query.text[tokens[opening].end : tokens[closing].start],
                variables=tuple(dict.fromkeys(t.text[1:] for t in inner if t.kind == "var")),
            )
        )
    return blocks


def resolve_services(
    query: PreparedQuery,
    *,
    local: LocalQuery,
    user_agent: str,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
) -> PreparedQuery:
    """``query`` with every SERVICE block replaced by the VALUES of its solutions.

    Raises:
        ServiceFailed: an endpoint failed or answered something that is not SPARQL JSON.
        ServiceTimeout: an endpoint did not answer within ``timeout`` seconds.
    """
    blocks = find_service_blocks(query)
    if not blocks:
        return query
    prologue = _prologue(query.text)
    text = query.text
    with httpx.Client(
        headers={"User-Agent": user_agent}, timeout=timeout, transport=transport
    ) as http:
        for block in reversed(blocks):  # from the end, so earlier spans stay valid
            replacement = _evaluate(block, query.text, blocks, prologue, local, http, timeout)
            text = text[: block.start] + replacement + text[block.end :]
    return prepare(text)


def _evaluate(
    block: ServiceBlock,
    text: str,
    blocks: Sequence[ServiceBlock],
    prologue: str,
    local: LocalQuery,
    http: httpx.Client,
    timeout: float,
) -> str:
    values = _local_values(block, text, blocks, prologue, local)
    remote = f"{prologue}SELECT * WHERE {{ {values} {block.pattern} }}"
    try:
        return _values(_ask(http, block.endpoint, remote, timeout))
    except (ServiceFailed, ServiceTimeout) as error:
        if block.silent:
            logger.info(
                "SERVICE SILENT <%s> failed, going on without it: %s", block.endpoint, error
            )
            return "{}"
        raise


def _local_values(
    block: ServiceBlock,
    text: str,
    blocks: Sequence[ServiceBlock],
    prologue: str,
    local: LocalQuery,
) -> str:
    outside = text
    for other in reversed(blocks):
        outside = outside[: other.start] + "{}" + outside[other.end :]
    where = _where_clause(outside)
    shared = [v for v in block.variables if re.search(rf"[?$]{re.escape(v)}\b", where or "")]
    if where is None or not shared:
        return ""
    head = " ".join("?" + v for v in shared)
    rows = local(f"{prologue}SELECT DISTINCT {head} WHERE {where} LIMIT {MAX_BINDINGS + 1}")
    if len(rows) > MAX_BINDINGS:
        return ""
    body = " ".join("(" + " ".join(r.get(v, "UNDEF") for v in shared) + ")" for r in rows)
    return f"VALUES ({head}) {{ {body} }}"


def _prologue(text: str) -> str:
    """The query's BASE and PREFIX declarations, to send along with its SERVICE pattern."""
    tokens = _tokens(text)
    parts = []
    for index, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        if word == "PREFIX" and index + 2 < len(tokens):
            parts.append(f"PREFIX {tokens[index + 1].text} {tokens[index + 2].text}\n")
        elif word == "BASE" and index + 1 < len(tokens):
            parts.append(f"BASE {tokens[index + 1].text}\n")
    return "".join(parts)


def _where_clause(text: str) -> str | None:
    """The outermost group graph pattern of the query (its WHERE clause), as written."""
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        if token.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            braces = [i for i in range(index, len(tokens)) if tokens[i].text == "{"]
            if not braces:
                return None
            opening = braces[0]
            if token.text.upper() == "CONSTRUCT" and len(braces) > 1:
                opening = _closing(tokens, opening) + 1
                while opening < len(tokens) and tokens[opening].text != "{":
                    opening += 1
            closing = _closing(tokens, opening)
            return text[tokens[opening].start : tokens[closing].end]
    return None


def _ask(http: httpx.Client, endpoint: str, query: str, timeout: float) -> Mapping[str, Any]:
    try:
        response = http.post(
            endpoint,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
    except httpx.TimeoutException:
        raise ServiceTimeout(endpoint, timeout) from None
    except httpx.HTTPError as error:
        raise ServiceFailed(endpoint, str(error) or type(error).__name__) from None
    if response.status_code != 200:
        raise ServiceFailed(endpoint, f"it answered HTTP {response.status_code}")
    try:
        body = response.json()
        return {"vars": body["head"]["vars"], "bindings": body["results"]["bindings"]}
    except (ValueError, KeyError, TypeError):
        raise ServiceFailed(endpoint, "its answer is not SPARQL JSON results") from None


def _values(results: Mapping[str, Any]) -> str:
    variables = [str(v) for v in results["vars"]]
    rows = []
    for binding in results["bindings"]:
        terms = [_term(binding.get(v)) for v in variables]
        rows.append("(" + " ".join(terms) + ")")
    head = " ".join("?" + v for v in variables)
    return f"VALUES ({head}) {{ {' '.join(rows)} }}"


def _term(value: Mapping[str, str] | None) -> str:
    """A SPARQL JSON term in SPARQL syntax; blank nodes cannot cross, so they are UNDEF."""
    if value is None or value.get("type") == "bnode":
        return "UNDEF"
    if value.get("type") == "uri":
        return f"<{value['value']}>"
    literal = json.dumps(value["value"], ensure_ascii=False)
    if "xml:lang" in value:
        return f"{literal}@{value['xml:lang']}"
    if "datatype" in value:
        return f"{literal}^^<{value['datatype']}>"
    return literal
