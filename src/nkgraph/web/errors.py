"""The one place where errors become HTTP responses.

``STATUS`` maps each error class to a status, like oxigraph's ``loader_to_http_error``;
the nearest class in an error's MRO wins. The body is an RFC 9457
``application/problem+json`` object for JSON clients, an HTML page for browsers, and
plain text for everyone else (curl). An error that is not ours is logged with its
traceback and answered 500; the service keeps serving.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from nkgraph.curation.rejection import report_turtle, violations
from nkgraph.errors import (
    AuthenticationRequired,
    BodySyntaxError,
    GraphNotFound,
    NkGraphError,
    NotAcceptable,
    PayloadTooLarge,
    PreconditionFailed,
    ProtocolError,
    QueryError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    ResourceNotFound,
    ServiceFailed,
    ServiceNotAllowed,
    ServiceTimeout,
    UnknownFunction,
    UnsupportedMediaType,
    UpdateNotAllowed,
    WriteError,
    WriteForbidden,
    WriterBusy,
    WriteRejected,
    nearest_entry,
)
from nkgraph.formats import TURTLE, MediaRange, parse_accept

__all__ = ["STATUS", "Problem", "register_error_handlers"]

logger = logging.getLogger(__name__)

#: HTTP status of each error class; the most specific class listed wins.
STATUS: Final[dict[type[NkGraphError], HTTPStatus]] = {
    NotAcceptable: HTTPStatus.NOT_ACCEPTABLE,
    UnsupportedMediaType: HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    PayloadTooLarge: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    ProtocolError: HTTPStatus.BAD_REQUEST,
    QuerySyntaxError: HTTPStatus.BAD_REQUEST,
    QueryTooComplex: HTTPStatus.BAD_REQUEST,
    UnknownFunction: HTTPStatus.BAD_REQUEST,
    QueryEvaluationError: HTTPStatus.BAD_REQUEST,
    UpdateNotAllowed: HTTPStatus.FORBIDDEN,
    AuthenticationRequired: HTTPStatus.UNAUTHORIZED,
    WriteForbidden: HTTPStatus.FORBIDDEN,
    PreconditionFailed: HTTPStatus.PRECONDITION_FAILED,
    WriteRejected: HTTPStatus.UNPROCESSABLE_ENTITY,
    WriterBusy: HTTPStatus.SERVICE_UNAVAILABLE,
    WriteError: HTTPStatus.CONFLICT,
    ServiceNotAllowed: HTTPStatus.BAD_REQUEST,
    QueryTimeout: HTTPStatus.SERVICE_UNAVAILABLE,
    ServiceFailed: HTTPStatus.BAD_GATEWAY,
    ServiceTimeout: HTTPStatus.GATEWAY_TIMEOUT,
    QueryError: HTTPStatus.BAD_REQUEST,
    ResourceNotFound: HTTPStatus.NOT_FOUND,
    GraphNotFound: HTTPStatus.NOT_FOUND,
    NkGraphError: HTTPStatus.INTERNAL_SERVER_ERROR,
}

PROBLEM_JSON: Final = "application/problem+json"
_JSON_TYPES: Final = (
    PROBLEM_JSON,
    "application/json",
    "application/sparql-results+json",
    "application/ld+json",
)


@dataclass(frozen=True)
class Problem:
    """An RFC 9457 problem: what every error response says, whatever its format."""

    status: HTTPStatus
    detail: str
    type: str = "about:blank"
    extensions: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.status.phrase,
            "status": self.status.value,
            "detail": self.detail,
            **self.extensions,
        }


def status_of(error: NkGraphError) -> HTTPStatus:
    """The status of ``error``'s nearest class in ``STATUS``."""
    status = nearest_entry(STATUS, error)
    return HTTPStatus.INTERNAL_SERVER_ERROR if status is None else status


def _problem_of(error: NkGraphError) -> Problem:
    extensions: dict[str, Any] = {}
    if isinstance(error, QuerySyntaxError | BodySyntaxError) and error.line is not None:
        extensions = {"line": error.line, "column": error.column}
    elif isinstance(error, QueryTooComplex):
        extensions = {"line": error.line, "column": error.column, "limit": error.limit}
    elif isinstance(error, UnknownFunction):
        extensions = {"function": error.function}
    elif isinstance(error, NotAcceptable):
        extensions = {"offers": list(error.offers)}
    elif isinstance(error, QueryTimeout):
        extensions = {"timeout": error.seconds}
    elif isinstance(error, WriteRejected):
        extensions = {"violations": violations(error)}
    elif isinstance(error, PreconditionFailed):
        extensions = {"current": error.current}
    spec = getattr(error, "spec", "about:blank")
    return Problem(status_of(error), str(error), spec, extensions, _headers_of(error))


def _headers_of(error: NkGraphError) -> dict[str, str]:
    if isinstance(error, QueryTimeout):
        return {"Retry-After": "30"}
    if isinstance(error, WriterBusy):
        return {"Retry-After": "1"}
    if isinstance(error, AuthenticationRequired):
        return {"WWW-Authenticate": _bearer_challenge(error)}
    return {}


def _bearer_challenge(error: AuthenticationRequired) -> str:
    """RFC 6750's challenge; ``invalid_token`` only when a token was sent (section 3.1)."""
    challenge = 'Bearer realm="nkgraph"'
    return challenge + ', error="invalid_token"' if error.invalid else challenge


def render_problem(problem: Problem) -> Response:
    """``problem`` in the format the client prefers."""
    kind = _preferred_kind(request.headers.get("Accept", ""))
    if kind == "json":
        body = json.dumps(problem.as_json(), ensure_ascii=False)
        response = Response(body, problem.status, mimetype=PROBLEM_JSON)
    elif kind == "html":
        page = render_template("error.html", problem=problem)
        response = Response(page, problem.status, mimetype="text/html")
    else:
        text = f"{problem.status.value} {problem.status.phrase}: {problem.detail}\n"
        response = Response(text, problem.status, mimetype="text/plain")
    response.headers.update(problem.headers)
    response.vary.add("Accept")
    return response


def _preferred_kind(accept: str) -> str:
    """ "json", "html" or "text": only an explicit mention counts, so ``*/*`` gets text."""
    best_kind, best_q = "text", 0.0
    for media_range in parse_accept(accept):
        if media_range.type == "*" or media_range.subtype == "*" or media_range.q <= 0:
            continue
        media_type = f"{media_range.type}/{media_range.subtype}"
        kind = (
            "json"
            if media_type in _JSON_TYPES
            else "html"
            if media_type in ("text/html", "application/xhtml+xml")
            else "text"
        )
        if media_range.q > best_q:
            best_kind, best_q = kind, media_range.q
    return best_kind


def _handle_ours(error: NkGraphError) -> Response:
    if status_of(error) >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.error("request failed: %s", error, exc_info=error)
    if isinstance(error, WriteRejected) and _wants_turtle(request.headers.get("Accept", "")):
        report = report_turtle(error)
        if report is not None:
            return Response(report, HTTPStatus.UNPROCESSABLE_ENTITY, mimetype=TURTLE.media_type)
    return render_problem(_problem_of(error))


def _wants_turtle(accept: str) -> bool:
    """Whether ``Accept`` names Turtle and prefers it to every problem format."""
    turtle = next((r.q for r in parse_accept(accept) if _media(r) == TURTLE.media_type), 0.0)
    others = [r.q for r in parse_accept(accept) if _media(r) in (*_JSON_TYPES, "text/html")]
    return turtle > 0 and all(turtle > q for q in others)


def _media(media_range: MediaRange) -> str:
    return f"{media_range.type}/{media_range.subtype}"


def _handle_http(error: HTTPException) -> Response:
    status = HTTPStatus(error.code or 500)
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    detail = error.description or status.description
    return render_problem(Problem(status, detail, headers=headers))


def _handle_unexpected(error: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.path, exc_info=error)
    status = HTTPStatus.INTERNAL_SERVER_ERROR
    return render_problem(
        Problem(status, "the service failed unexpectedly; the failure has been logged")
    )


def register_error_handlers(app: Flask) -> None:
    """Install the handlers: ours, Werkzeug's HTTP errors, and the unexpected."""
    app.register_error_handler(NkGraphError, _handle_ours)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
