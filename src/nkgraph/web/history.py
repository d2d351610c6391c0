"""The history of the data's changes: ``GET /history`` and ``GET /history/N``.

``/history`` lists every committed change, newest first: when, by whom (the token's
name), what was asked and how many statements it removed and added. People get a page;
RDF clients get the history as PROV-O (``curation/history.py``) in the format ``Accept``
or ``format=`` asks for. ``/history/N`` is one change: its request, and the statements it
removed and added as rows; ``text/rdf-patch`` (or ``format=rdf-patch``) gives its exact
RDF Patch, as the journal keeps it. With writes off there is no history: the data is as
it was built, and the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from nkgraph.curation.history import history_dataset
from nkgraph.curation.journal import Entry, EntryNotFound
from nkgraph.curation.patch import Patch
from nkgraph.formats import EXPORT_FORMATS, HTML, Format, from_name, negotiate
from nkgraph.vocab import PREFIXES
from nkgraph.web.state import ServiceState, service_state
from nkgraph.web.urls import Urls

__all__ = ["RDF_PATCH", "bp"]

bp = Blueprint("history", __name__)

#: The media type of RDF Patch (as Apache Jena's RDF Delta serves it).
RDF_PATCH: Final = "text/rdf-patch"
#: The most rows a change's page shows; the RDF Patch has them all.
MAX_ROWS: Final = 500


@dataclass(frozen=True)
class Cell:
    """One term of a row, for people: its words, and a link when it has one."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Row:
    """One statement a change removed or added."""

    change: str  # "removed" or "added"
    subject: Cell
    predicate: Cell
    object: Cell
    graph: Cell


@bp.get("/history")
def listing() -> Response:
    """Every change, newest first."""
    state = service_state()
    entries = _entries(state)
    fmt = _format(EXPORT_FORMATS)
    if fmt is HTML:
        body = render_template(
            "history.html", entries=entries, writes=state.curator is not None, formats=_links()
        )
        return _page(body)
    dataset = history_dataset(entries, base_iri=state.settings.base_iri)
    data = dataset.serialize(format=fmt.rdflib_name or "turtle")
    response = Response(data, mimetype=None)
    response.headers["Content-Type"] = fmt.content_type
    response.vary.add("Accept")
    return response


@bp.get("/history/<int:number>")
def entry(number: int) -> Response:
    """One change."""
    state = service_state()
    found = _entry(state, number)
    requested = request.args.get("format")
    wants_patch = requested in ("rdf-patch", RDF_PATCH) or (requested is None and _prefers_patch())
    if wants_patch:
        response = Response(found.to_rdf_patch(), mimetype=RDF_PATCH)
    else:
        urls = Urls(state.settings.base_iri)
        rows = _rows(found.patch, urls)
        body = render_template(
            "history_entry.html",
            entry=found,
            rows=rows[:MAX_ROWS],
            more=max(0, len(rows) - MAX_ROWS),
        )
        response = _page(body)
    response.vary.add("Accept")
    return response


def _entries(state: ServiceState) -> list[Entry]:
    if state.curator is None:
        return []
    return sorted(state.curator.journal.entries(), key=lambda e: e.number, reverse=True)


def _entry(state: ServiceState, number: int) -> Entry:
    """Entry ``number``.

    Raises:
        EntryNotFound: there is none (404).
    """
    if state.curator is None:
        raise EntryNotFound(number, 0)
    return state.curator.journal.read(number)


def _format(offers: Sequence[Format]) -> Format:
    requested = request.args.get("format")
    if requested:
        return HTML if requested == "html" else from_name(requested, offers)
    return negotiate(request.headers.get("Accept"), (HTML, *offers))


def _prefers_patch() -> bool:
    """Whether ``Accept`` names RDF Patch and prefers it to HTML (``*/*`` alone never)."""
    accept = request.accept_mimetypes
    if not any(value == RDF_PATCH for value, _ in accept):
        return False
    patch = accept.quality(RDF_PATCH)
    return patch > 0 and patch >= accept.quality(HTML.media_type)


def _links() -> list[tuple[Format, str]]:
    return [(fmt, url_for("history.listing", format=fmt.name)) for fmt in EXPORT_FORMATS]


def _page(body: str) -> Response:
    response = Response(body, mimetype=HTML.media_type)
    response.vary.add("Accept")
    return response


def _rows(patch: Patch, urls: Urls) -> list[Row]:
    return [
        Row(change, _cell(q.subject, urls), _cell(q.predicate, urls), _cell(q.object, urls),
            _graph_cell(q.graph_name, urls))
        for change, quads in (("removed", patch.removed), ("added", patch.added))
        for q in quads
    ]  # fmt: skip


def _cell(term: object, urls: Urls) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(_short(term.value), urls.page(term.value))
    if isinstance(term, ox.Literal):
        return Cell(term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(f"a nameless node ({term.value[:8]})")
    return Cell(str(term))


def _graph_cell(graph: object, urls: Urls) -> Cell:
    if isinstance(graph, ox.NamedNode):
        return Cell(_short(graph.value))
    return Cell("the default graph")


def _short(iri: str) -> str:
    """``iri`` with a known prefix (``schema:name``), else whole."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
