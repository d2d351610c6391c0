"""Downloads.

- ``GET /download/nkgraph.EXT``: the whole dataset as a file (``.ttl``, ``.trig``,
  ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``); ``/download/nkgraph-entities.jsonld`` is the
  JSON-LD with one nested object per resource.
- ``GET /context.jsonld``: the JSON-LD context the exports are compacted with.

The data is read through the engine (``export.fetch``), so these work whatever the
engine is; the bytes are written by ``export.export``, as ``nkgraph export`` writes them.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, abort

from nkgraph.export.dataset import Frame, Scope, context_file, export, fetch
from nkgraph.formats import EXPORT_FORMATS, JSON_LD, Format
from nkgraph.web.state import service_state

__all__ = ["DOWNLOAD_NAME", "bp", "download_names"]

bp = Blueprint("exports", __name__)

#: Downloads are named ``nkgraph.EXT``.
DOWNLOAD_NAME: Final = "nkgraph"
_ENTITIES: Final = f"{DOWNLOAD_NAME}-entities.{JSON_LD.extension}"


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


def _graph_response(which: Scope, fmt: Format, *, frame: Frame | None = None) -> Response:
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
