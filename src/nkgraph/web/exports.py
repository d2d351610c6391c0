"""Downloads and the SPARQL 1.1 Graph Store Protocol, read side.

- ``GET /download/nkgraph.EXT``: the whole dataset as a file (``.ttl``, ``.trig``,
  ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``); ``/download/nkgraph-entities.jsonld`` is the
  JSON-LD with one nested object per resource.
- ``GET /graph?default`` (the default graph: the union of all graphs, as the SPARQL
  endpoint's) and ``GET /graph?graph=IRI`` (one named graph), in the format ``Accept``
  asks for. The service is read-only: PUT, POST, DELETE and PATCH are answered 405.
- ``GET /context.jsonld``: the JSON-LD context the exports are compacted with.

The data is read through the engine (``export.fetch``), so these work whatever the
engine is; the bytes are written by ``export.export``, as ``nkgraph export`` writes them.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, abort, request

from nkgraph.errors import ProtocolError
from nkgraph.export.dataset import Frame, Scope, context_file, export, fetch
from nkgraph.formats import EXPORT_FORMATS, JSON_LD, Format, negotiate
from nkgraph.web.state import service_state

__all__ = ["DOWNLOAD_NAME", "bp", "download_names"]

bp = Blueprint("exports", __name__)

#: Downloads are named ``nkgraph.EXT``.
DOWNLOAD_NAME: Final = "nkgraph"
_ENTITIES: Final = f"{DOWNLOAD_NAME}-entities.{JSON_LD.extension}"
_GSP: Final = "https://www.w3.org/TR/sparql11-http-rdf-update/#http-get"


def download_names() -> dict[str, Format]:
    """File name of each download, and its format."""
    names = {f"{DOWNLOAD_NAME}.{fmt.extension}": fmt for fmt in EXPORT_FORMATS}
    names[_ENTITIES] = JSON_LD
    return names


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """The whole dataset as a file to save."""
    fmt = download_names().get(name)
    if fmt is None:
        abort(404, f"there is no download {name!r}; there are: {', '.join(download_names())}")
    frame = Frame.ENTITY if name == _ENTITIES else None
    response = _graph_response(Scope.DATASET, fmt, frame=frame)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/graph")
def graph_store() -> Response:
    """One graph, by the Graph Store Protocol's indirect identification."""
    fmt = negotiate(request.headers.get("Accept"), EXPORT_FORMATS)
    response = _graph_response(_requested_graph(), fmt)
    response.vary.add("Accept")
    return response


@bp.route("/graph", methods=["PUT", "POST", "DELETE", "PATCH"])
def graph_store_write() -> Response:
    """Writes are refused: this service is read-only."""
    abort(405, valid_methods=["GET", "HEAD", "OPTIONS"])


def _requested_graph() -> Scope | str:
    """``default`` or ``graph=IRI``, given exactly once, and not both.

    Raises:
        ProtocolError: neither, both, or ``graph`` twice.
    """
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default and graphs:
        raise _protocol_error("give either default or graph=IRI, not both")
    if not default and not graphs:
        raise _protocol_error(
            "name the graph: /graph?default for the default graph (the union of all "
            "graphs), or /graph?graph=IRI for one named graph"
        )
    if len(graphs) > 1:
        raise _protocol_error(f"graph is given {len(graphs)} times; give exactly one")
    return Scope.DEFAULT if default else graphs[0]


def _protocol_error(message: str) -> ProtocolError:
    error = ProtocolError(message)
    error.spec = _GSP
    return error


def _graph_response(which: Scope | str, fmt: Format, *, frame: Frame | None = None) -> Response:
    state = service_state()
    data = fetch(state.engine, which, timeout=state.settings.query_timeout)
    response = Response(export(data, fmt, frame=frame), mimetype=None)
    response.headers["Content-Type"] = fmt.content_type
    return response


@bp.get("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of the exports."""
    response = Response(context_file(), mimetype=None)
    response.headers["Content-Type"] = JSON_LD.content_type
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
