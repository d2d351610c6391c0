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
from nkgraph.pages.naming import Labels, fetch_labels
from nkgraph.pages.phrasing import prefixed_name
from nkgraph.web.pages import page_lookup
from nkgraph.web.state import ServiceState, service_state
from nkgraph.web.urls import Urls

__all__ = ["RDF_PATCH", "bp", "gist"]

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


@bp.app_template_filter("gist")
def _gist_filter(request_text: str) -> str:
    return gist(request_text)


@bp.get("/history")
def listing() -> Response:
    """Every change, newest first."""
    state = service_state()
    entries = _entries(state)
    fmt = _format(EXPORT_FORMATS)
    if fmt is HTML:
        body = render_template(
            "history.html", entries=entries, writes=state.settings.writes, formats=_links()
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
        shown = found.patch.removed[:MAX_ROWS] + found.patch.added[:MAX_ROWS]
        labels = fetch_labels(page_lookup(), _iris(shown))
        rows = _rows(found.patch, urls, labels)
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
    return list(reversed(state.curator.entries))


def _entry(state: ServiceState, number: int) -> Entry:
    """Entry ``number``.

    Raises:
        EntryNotFound: there is none (404).
    """
    entries = state.curator.entries if state.curator is not None else ()
    if not 1 <= number <= len(entries):
        raise EntryNotFound(number, len(entries))
    return entries[number - 1]


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


def gist(request_text: str) -> str:
    """What a request asked, without its PREFIX and BASE lines, on one line.

    >>> gist(chr(10).join(["PREFIX s: <http://schema.org/>", "INSERT DATA {", " <a:x> s:n 1 }"]))
    'INSERT DATA { <a:x> s:n 1 }'
    """
    kept = (
        line
        for line in request_text.splitlines()
        if not line.strip().upper().startswith(("PREFIX ", "BASE "))
    )
    return " ".join(" ".join(kept).split())


def _links() -> list[tuple[Format, str]]:
    return [(fmt, url_for("history.listing", format=fmt.name)) for fmt in EXPORT_FORMATS]


def _page(body: str) -> Response:
    response = Response(body, mimetype=HTML.media_type)
    response.vary.add("Accept")
    return response


def _iris(quads: Sequence[ox.Quad]) -> set[str]:
    return {
        term.value
        for quad in quads
        for term in (quad.subject, quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode)
    }


def _rows(patch: Patch, urls: Urls, labels: Labels) -> list[Row]:
    def cell(term: object) -> Cell:
        return _cell(term, urls, labels)

    return [
        Row(change, cell(q.subject), cell(q.predicate), cell(q.object), _graph_cell(q.graph_name))
        for change, quads in (("removed", patch.removed), ("added", patch.added))
        for q in quads
    ]


def _cell(term: object, urls: Urls, labels: Labels) -> Cell:
    """A term as a page shows it: a resource by its label (else its short name), linked."""
    if isinstance(term, ox.NamedNode):
        return Cell(labels(term.value), urls.page(term.value))
    if isinstance(term, ox.Literal):
        return Cell(term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(f"a nameless node ({term.value[:8]})")
    return Cell(str(term))


def _graph_cell(graph: object) -> Cell:
    if isinstance(graph, ox.NamedNode):
        return Cell(prefixed_name(graph.value))
    return Cell("the default graph")
