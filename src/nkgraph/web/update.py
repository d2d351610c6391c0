"""The SPARQL 1.1 Protocol's update operation, ``POST /update``.

An update is sent as ``application/x-www-form-urlencoded`` (``update=`` and any
``using-graph-uri`` / ``using-named-graph-uri`` in the body) or directly as
``application/sparql-update`` (those two in the URL), in UTF-8, with a bearer token. Each
request is one transaction (``web/writing.py``): committed whole, answered 200 with what it
changed and the new version as ``ETag``, or refused whole. ``If-Match`` is honoured, as on
the Graph Store's writes. The protocol's rules are those of ``/sparql`` (``web/sparql.py``):
``update`` exactly once, not in the URL of a POST, a body of one of the two types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed

from nkgraph.config import Settings
from nkgraph.curation.staging import patch_for_update
from nkgraph.errors import PayloadTooLarge, ProtocolError
from nkgraph.web.sparql import FORM, UPDATE, base_url, check_body_size, check_body_type, decode_utf8
from nkgraph.web.state import service_state
from nkgraph.web.writing import committed, curator_of, write

__all__ = ["UpdateRequest", "bp", "read_update"]

bp = Blueprint("update", __name__)

_SPEC: Final = "https://www.w3.org/TR/sparql11-protocol/#update-operation"


@dataclass(frozen=True)
class UpdateRequest:
    """An update operation, read from the request.

    Args:
        update: the update text.
        using_graphs: ``using-graph-uri`` values (the default graph of its WHERE).
        using_named_graphs: ``using-named-graph-uri`` values.
        base_iri: the protocol's base IRI: the URL the update was sent to.
    """

    update: str
    using_graphs: tuple[str, ...]
    using_named_graphs: tuple[str, ...]
    base_iri: str


@bp.route("/update", methods=["GET", "POST"])
def endpoint() -> Response:
    """Commit one update request."""
    if request.method == "GET":
        raise MethodNotAllowed(
            valid_methods=["POST"],
            description="an update is sent with POST, never GET (SPARQL 1.1 Protocol 2.2)",
        )
    state = service_state()
    curator_of(state)  # writes off: 403 before the body is read
    update = read_update(state.settings)
    entry = write(
        state,
        lambda store: patch_for_update(
            store,
            update.update,
            base_iri=update.base_iri,
            using_graphs=update.using_graphs,
            using_named_graphs=update.using_named_graphs,
            max_nesting=state.settings.max_nesting,
        ),
        summary=update.update,
    )
    return committed(entry)


def read_update(settings: Settings) -> UpdateRequest:
    """The update operation of the current POST.

    Raises:
        ProtocolError: the request breaks a rule of the protocol.
        UnsupportedMediaType: a body of another type than the protocol's two, or not UTF-8.
        PayloadTooLarge: the body or the update is too long.
    """
    params = _params(settings)
    updates = params.getlist("update")
    if len(updates) != 1:
        given = f"given {len(updates)} times" if updates else "missing"
        raise _protocol_error(f"the update parameter is {given}; give exactly one update")
    if len(updates[0]) > settings.max_query_length:
        raise PayloadTooLarge(
            f"the update is {len(updates[0])} characters long; this service accepts at most "
            f"{settings.max_query_length}"
        )
    return UpdateRequest(
        update=updates[0],
        using_graphs=tuple(params.getlist("using-graph-uri")),
        using_named_graphs=tuple(params.getlist("using-named-graph-uri")),
        base_iri=base_url(),
    )


def _params(settings: Settings) -> MultiDict[str, str]:
    """The parameters: the form's, or the URL's plus a direct body."""
    check_body_size(settings)
    check_body_type((UPDATE, FORM), what="the update")
    if request.mimetype == FORM:
        if request.args:
            raise _protocol_error(
                "a form update carries all its parameters in the body; the URL has "
                f"{', '.join(sorted(request.args))}"
            )
        return MultiDict(request.form)
    if "update" in request.args:
        raise _protocol_error("the update is given both in the URL and in the body; give it once")
    params: MultiDict[str, str] = MultiDict(request.args)
    params.add("update", decode_utf8(request.get_data(), what="the update"))
    return params


def _protocol_error(message: str) -> ProtocolError:
    error = ProtocolError(message)
    error.spec = _SPEC
    return error
