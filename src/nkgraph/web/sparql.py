"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: query operation and service description.

Protocol edge cases follow the specification and oxigraph's server: ``query`` must be
given exactly once, and not both in the URL and in the body; a POST body must be
``application/x-www-form-urlencoded`` or ``application/sparql-query`` in UTF-8; an update
is refused; ``GET /sparql`` without a query returns the service description.

A browser (``text/html`` named in ``Accept`` and preferred to every RDF or results
format) gets pages instead: the query page when it sends no query, and the result as an
HTML table when it does. ``format=html`` asks for the table too.

Besides the protocol's parameters the endpoint reads ``format=`` (a short name or media
type; it overrides Accept, for links in browsers) and ``timeout=`` (seconds; a client
may ask for less than the configured limit, never more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final
from urllib.parse import quote

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.sansio.utils import get_current_url

from nkgraph.config import Settings
from nkgraph.errors import (
    PayloadTooLarge,
    ProtocolError,
    QueryError,
    UnsupportedMediaType,
    UpdateNotAllowed,
)
from nkgraph.formats import GRAPH_FORMATS, HTML, Format, from_name, negotiate
from nkgraph.pages.lookup import Lookup
from nkgraph.pages.naming import fetch_labels
from nkgraph.pages.result_table import result_iris, result_table
from nkgraph.sparql.pipeline import Answer, Limits, Plan, QueryPipeline, QueryRequest
from nkgraph.sparql.result_writers import serialize_triples
from nkgraph.web.etags import cached
from nkgraph.web.service_description import service_description
from nkgraph.web.state import TRUNCATED_HEADER, WARNING_HEADER, ServiceState, service_state

__all__ = [
    "SparqlRequest",
    "base_url",
    "bp",
    "check_body_size",
    "check_body_type",
    "decode_utf8",
    "read_timeout",
    "update_refused",
]

bp = Blueprint("sparql", __name__)

FORM: Final = "application/x-www-form-urlencoded"
DIRECT: Final = "application/sparql-query"
UPDATE: Final = "application/sparql-update"


@dataclass(frozen=True)
class SparqlRequest:
    """A query operation, read from the request.

    Args:
        query: the query text.
        default_graphs: ``default-graph-uri`` values.
        named_graphs: ``named-graph-uri`` values.
        format: the ``format=`` override, if given.
        timeout: the time limit in seconds, the client's if lower than the service's.
        base_iri: the protocol's base IRI: the URL the query was sent to.
    """

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    timeout: float
    base_iri: str


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a query, or describe the service when there is none."""
    state = service_state()
    sparql_request = read_request(state.settings)
    if sparql_request is None:
        if _prefers_html(request.args.get("format"), GRAPH_FORMATS):
            return redirect(url_for("ui.index"), code=303)  # type: ignore[return-value]
        return _description(state)
    return _answer(sparql_request, state)


def read_request(settings: Settings) -> SparqlRequest | None:
    """The query operation of the current request; ``None`` for a GET without a query.

    Raises:
        ProtocolError: the request breaks a rule of the protocol.
        UnsupportedMediaType: a POST body of another type than the protocol's two.
        PayloadTooLarge: the body or the query is too long.
        UpdateNotAllowed: the request is an update.
    """
    params = _post_params(settings) if request.method == "POST" else request.args
    if "update" in params:
        raise update_refused(settings)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProtocolError(
            f"the query parameter is given {len(queries)} times; give exactly one query"
        )
    if not queries:
        if request.method == "POST":
            raise ProtocolError("the request has no query: send it as the query parameter")
        return None
    if len(queries[0]) > settings.max_query_length:
        raise PayloadTooLarge(
            f"the query is {len(queries[0])} characters long; this service accepts at most "
            f"{settings.max_query_length}"
        )
    return SparqlRequest(
        query=queries[0],
        default_graphs=tuple(params.getlist("default-graph-uri")),
        named_graphs=tuple(params.getlist("named-graph-uri")),
        format=params.get("format") or None,
        timeout=read_timeout(params.get("timeout"), settings.query_timeout),
        base_iri=base_url(),
    )


def _post_params(settings: Settings) -> MultiDict[str, str]:
    """The parameters of a POST: from the form body, or the URL plus a direct query."""
    check_body_size(settings)
    media_type = request.mimetype
    if media_type == UPDATE:
        raise update_refused(settings)
    check_body_type((DIRECT, FORM), what="the query")
    if "query" in request.args:
        raise ProtocolError("the query is given both in the URL and in the body; give it once")
    params: MultiDict[str, str] = MultiDict(request.args)
    if media_type == FORM:
        params.update(request.form)  # MultiDict.update adds values
    else:
        params.add("query", decode_utf8(request.get_data(), what="the query"))
    return params


def update_refused(settings: Settings) -> QueryError:
    """The error for an update sent to ``/sparql``: writes are off, or go to ``/update``."""
    if not settings.writes:
        return UpdateNotAllowed()
    return ProtocolError(
        "/sparql answers queries only; send an update (INSERT, DELETE, ...) to /update, "
        "with the same body and a bearer token"
    )


def check_body_size(settings: Settings) -> None:
    """Refuse a body that says it is longer than the service accepts.

    Raises:
        PayloadTooLarge: its Content-Length is over ``max_body_size``.
    """
    if request.content_length is not None and request.content_length > settings.max_body_size:
        raise PayloadTooLarge(
            f"the request body is {request.content_length} bytes long; this service accepts "
            f"at most {settings.max_body_size}"
        )


def check_body_type(accepted: tuple[str, ...], *, what: str) -> None:
    """Refuse a body of another media type than ``accepted``, or in another charset than
    UTF-8 (``what`` names what the body carries, for the message).

    Raises:
        ProtocolError: the body has no Content-Type.
        UnsupportedMediaType: another media type, or another charset.
    """
    media_type = request.mimetype
    if media_type not in accepted:
        if not media_type:
            raise ProtocolError(
                f"the request body has no Content-Type; send {what} as {' or '.join(accepted)}"
            )
        raise UnsupportedMediaType(media_type, accepted, what=what)
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            f"{media_type}; charset={charset}", (f"{media_type} in UTF-8",), what=what
        )


def decode_utf8(body: bytes, *, what: str) -> str:
    """``body`` as text.

    Raises:
        ProtocolError: it is not UTF-8.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(
            f"the request body is not UTF-8 (byte {error.start}); send {what} in UTF-8"
        ) from None


def read_timeout(value: str | None, limit: float) -> float:
    """``timeout=`` in seconds, at most ``limit``.

    Raises:
        ProtocolError: it is not a positive number.
    """
    if value is None or value == "":
        return limit
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:  # also refuses NaN
        raise ProtocolError(f"timeout={value!r} is not a positive number of seconds")
    return min(seconds, limit)


def _answer(sparql_request: SparqlRequest, state: ServiceState) -> Response:
    pipeline = QueryPipeline(state.engine, Limits.from_settings(state.settings))
    plan = pipeline.plan(
        QueryRequest(
            text=sparql_request.query,
            default_graphs=sparql_request.default_graphs,
            named_graphs=sparql_request.named_graphs,
            base_iri=sparql_request.base_iri,
            timeout=sparql_request.timeout,
        )
    )
    if _prefers_html(sparql_request.format, plan.offers):
        return _html_results(pipeline, plan, sparql_request)
    fmt = pipeline.choose_format(plan, sparql_request.format, request.headers.get("Accept"))
    tag = pipeline.etag(plan, fmt)
    return cached(tag, state.last_modified(), lambda: _write(pipeline.answer(plan, fmt)))


def _write(answer: Answer) -> Response:
    headers = [("Content-Type", answer.media_type), ("Vary", "Accept")]
    if answer.truncated:
        headers.append((TRUNCATED_HEADER, f"max-rows={answer.max_rows}"))
    headers += [(WARNING_HEADER, missing_graph_warning(iri)) for iri in answer.missing_graphs]
    return Response(answer.body, headers=headers)


def missing_graph_warning(iri: str) -> str:
    """The warning for a graph the request named that the dataset does not hold.

    >>> missing_graph_warning("http://example.org/g")
    'graph <http://example.org/g> is not in this dataset; it was read as empty'
    """
    # A header holds ASCII: an IRI's other characters are written as a URI's (RFC 3987).
    uri = quote(iri, safe="".join(chr(c) for c in range(0x21, 0x7F)))
    return f"graph <{uri}> is not in this dataset; it was read as empty"


def base_url() -> str:
    """The URL the query was sent to, without its query string: the protocol's base IRI.

    The same as ``request.base_url``, which werkzeug rebuilds (and converts to an IRI) on
    every request; a service answers at one or two such URLs, so they are remembered.
    """
    return _current_url(request.scheme, request.host, request.root_path, request.path)


@lru_cache(maxsize=64)
def _current_url(scheme: str, host: str, root_path: str, path: str) -> str:
    return get_current_url(scheme, host, root_path, path)


def _prefers_html(requested: str | None, offers: Sequence[Format]) -> bool:
    """Whether a person in a browser asked: ``format=html``, or ``text/html`` named in
    ``Accept`` and preferred to every format offered (``*/*`` alone never is)."""
    if requested:
        return requested in ("html", HTML.media_type)
    accept = request.accept_mimetypes
    if not any(value == HTML.media_type for value, _ in accept):
        return False
    html = accept.quality(HTML.media_type)
    return html > 0 and all(html > accept.quality(fmt.media_type) for fmt in offers)


def _html_results(pipeline: QueryPipeline, plan: Plan, sparql_request: SparqlRequest) -> Response:
    """The result as an HTML table, with links to the same result in every format."""
    result = pipeline.evaluate(plan)
    max_rows = pipeline.limits.max_rows
    lookup = Lookup(pipeline.engine, timeout=plan.timeout, max_rows=max_rows)
    graphs: dict[str, Any] = {
        "default-graph-uri": list(sparql_request.default_graphs),
        "named-graph-uri": list(sparql_request.named_graphs),
    }
    formats = [
        (fmt, url_for("sparql.endpoint", query=sparql_request.query, format=fmt.name, **graphs))
        for fmt in plan.offers
    ]
    body = render_template(
        "results.html",
        table=result_table(result, fetch_labels(lookup, result_iris(result))),
        query=sparql_request.query,
        formats=formats,
    )
    response = Response(body, mimetype=HTML.media_type)
    response.vary.add("Accept")
    if result.truncated:
        response.headers[TRUNCATED_HEADER] = f"max-rows={result.max_rows}"
    return response


def _description(state: ServiceState) -> Response:
    requested = request.args.get("format")
    if requested:
        fmt = from_name(requested, GRAPH_FORMATS)
    else:
        fmt = negotiate(request.headers.get("Accept"), GRAPH_FORMATS)
    endpoint_url = url_for("sparql.endpoint", _external=True)
    update_url = url_for("update.endpoint", _external=True) if state.settings.writes else None
    triples = service_description(
        endpoint_url,
        state.engine.statistics,
        federated=bool(state.settings.service_allowlist),
        update_endpoint=update_url,
    )
    response = Response(serialize_triples(triples, fmt, prefixes=_SD_PREFIXES), mimetype=None)
    response.headers["Content-Type"] = fmt.content_type
    response.vary.add("Accept")
    return response


_SD_PREFIXES: Final = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
    "ent": "http://www.w3.org/ns/entailment/",
}
