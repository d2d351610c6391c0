"""Linked Data: every IRI the project mints resolves, to a page for people or RDF.

Routes (the IRI scheme is explained in ``web/urls.py``):

- ``GET /``: the home page: the way into the article (``web/reading.py``), kinds of
  things with counts, and the downloads.
- ``GET /id/{slug}``: ``303 See Other`` to ``/page/{slug}`` or ``/data/{slug}.{ext}``
  by ``Accept`` (``Vary: Accept``); ``/id/{slug}.{ext}`` to that format's document.
- ``GET /page/{slug}``: the HTML page; ``GET /data/{slug}[.{ext}]``: the RDF document
  (negotiated without an extension).
- ``GET /ontology[.{ext}]``: the ontology document; ``GET /term/{Name}[.{ext}]``: one term.
- ``GET /kinds/{key}``: the things of one kind; ``GET /search?q=``: a label search.

Pages and documents carry ``<link rel="alternate">`` and a ``Link`` header per format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from nkgraph.errors import ResourceNotFound
from nkgraph.formats import GRAPH_FORMATS, HTML, PAGE_FORMATS, Format, negotiate
from nkgraph.pages.describe import (
    ResourceDescription,
    describe,
    document_triples,
    namespace_triples,
)
from nkgraph.pages.lookup import Lookup, with_prologue
from nkgraph.pages.overview import (
    kind_by_key,
    kind_counts,
    kind_members,
    kind_members_query,
    ontology_terms,
    search_labels,
    search_query,
)
from nkgraph.pages.phrasing import prefixed_name
from nkgraph.pages.reviews import Review, review_at, reviews_of
from nkgraph.sparql.engine import QueryEngine, QueryResult
from nkgraph.sparql.prepare import PreparedQuery
from nkgraph.sparql.result_writers import serialize_triples
from nkgraph.vocab import PREFIXES
from nkgraph.web.exports import download_names
from nkgraph.web.links import link_header, see_other
from nkgraph.web.state import service_state
from nkgraph.web.urls import Urls, split_extension

__all__ = ["bp"]

bp = Blueprint("pages", __name__)


def current_urls() -> Urls:
    """The URL builder of the app handling the request."""
    return Urls(service_state().settings.base_iri)


def page_lookup() -> Lookup:
    """A Lookup over every graph of the served data, for the pages people read."""
    state = service_state()
    return Lookup(
        _EveryGraph(state.engine),
        timeout=state.settings.query_timeout,
        max_rows=state.settings.max_rows,
    )


@dataclass(frozen=True)
class _EveryGraph:
    """The engine, with the union of all graphs as default graph: a page describes a
    resource from every graph that mentions it, whatever the service's default graph."""

    engine: QueryEngine

    def run(self, query: PreparedQuery, *, timeout: float, max_rows: int) -> QueryResult:
        return self.engine.run(query, timeout=timeout, max_rows=max_rows, union_default_graph=True)


@bp.app_context_processor
def _template_globals() -> dict[str, object]:
    return {"urls": current_urls()}


@bp.app_template_filter("prefixed")
def _prefixed(iri: str) -> str:
    return prefixed_name(iri)


@bp.get("/")
def home() -> Response:
    """The home page; the whole graph's downloads are its alternates."""
    lookup = page_lookup()
    state = service_state()
    downloads = {
        url_for("exports.download", name=name): fmt for name, fmt in download_names().items()
    }
    response = Response(
        render_template(
            "home.html",
            source=state.engine.source,
            counts=kind_counts(lookup),
            downloads=downloads,
        ),
        mimetype=HTML.media_type,
    )
    response.headers["Link"] = link_header((fmt, url) for url, fmt in downloads.items())
    return response


@bp.get("/id/<path:slug>")
def resolve(slug: str) -> Response:
    """303 from a thing's IRI to a document about it, chosen by ``Accept``."""
    urls, lookup = current_urls(), page_lookup()
    stem, fmt = split_extension(slug)
    if fmt is not None and not lookup.exists(urls.id_iri(slug)):
        iri = urls.id_iri(stem)
    else:
        iri, fmt = urls.id_iri(slug), None
    if not lookup.exists(iri):
        raise ResourceNotFound(iri)
    if fmt is None:
        fmt = negotiate(request.headers.get("Accept"), PAGE_FORMATS)
    response = see_other(urls.resolve(iri, fmt))
    response.vary.add("Accept")
    response.headers["Link"] = _link_header(urls, iri, page=True)
    return response


@bp.get("/graph/<path:name>")
def resolve_graph(name: str) -> Response:
    """303 from a named graph's IRI to the Graph Store Protocol's URL for it."""
    iri = current_urls().graph_iri(name)
    if iri not in service_state().engine.graph_names:
        raise ResourceNotFound(iri)
    return see_other(url_for("graph_store.read", graph=iri))


@bp.get("/page/<path:slug>")
def page(slug: str) -> Response:
    """The HTML page about ``{base}id/{slug}``."""
    urls = current_urls()
    return _resource_page(urls, urls.id_iri(slug))


@bp.get("/data/<path:name>")
def data(name: str) -> Response:
    """The RDF document about ``{base}id/{slug}``, in the format of the extension or of
    ``Accept``."""
    urls = current_urls()
    stem, fmt = split_extension(name)
    iri = urls.id_iri(stem)
    return _rdf(urls, iri, document_triples(page_lookup(), iri), fmt)


@bp.get("/term/<path:name>")
def term(name: str) -> Response:
    """The page of one ontology term, or its RDF with an extension."""
    urls = current_urls()
    stem, fmt = split_extension(name)
    iri = urls.term_iri(stem)
    if fmt is None:
        return _resource_page(urls, iri)
    return _rdf(urls, iri, document_triples(page_lookup(), iri), fmt)


@bp.get("/ontology")
def ontology() -> Response:
    """The ontology document: HTML with an anchor per term, or RDF by ``Accept``."""
    fmt = negotiate(request.headers.get("Accept"), PAGE_FORMATS)
    return _ontology(fmt, negotiated=True)


@bp.get("/ontology.<extension>")
def ontology_as(extension: str) -> Response:
    """The ontology document in one format."""
    _, fmt = split_extension("ontology." + extension)
    if fmt is None:
        if extension != HTML.extension:
            raise ResourceNotFound(current_urls().ontology_iri + "." + extension)
        fmt = HTML
    return _ontology(fmt, negotiated=False)


@bp.get("/kinds/<key>")
def kind(key: str) -> Response:
    """The things of one kind; the SPARQL results behind the list are its alternates."""
    selected = kind_by_key(key)
    alternates = current_urls().results(with_prologue(kind_members_query(selected)))
    body = render_template(
        "kind.html",
        kind=selected,
        members=kind_members(page_lookup(), selected),
        alternates=alternates,
    )
    return _listing(body, alternates)


@bp.get("/search")
def search() -> Response:
    """Resources whose label contains ``q``; the SPARQL results behind the list are its
    alternates."""
    text = request.args.get("q", "")
    if not text.strip():
        return _listing(render_template("search.html", text=text, results=(), alternates=[]), [])
    alternates = current_urls().results(with_prologue(search_query(text)))
    body = render_template(
        "search.html", text=text, results=search_labels(page_lookup(), text), alternates=alternates
    )
    return _listing(body, alternates)


def _listing(body: str, alternates: Sequence[tuple[Format, str]]) -> Response:
    response = Response(body, mimetype="text/html")
    if alternates:
        response.headers["Link"] = link_header(alternates)
    return response


def _resource_page(urls: Urls, iri: str) -> Response:
    lookup = page_lookup()
    description = describe(lookup, iri, ontology=urls.ontology_namespace)
    review = review_at(lookup, iri)
    body = render_template(
        "resource.html",
        resource=description,
        explanation=_explanation(
            description, is_term=urls.term_name(iri) is not None, review=review
        ),
        alternates=urls.alternates(iri),
        review=review,
        reviews=reviews_of(lookup, [iri]).get(iri, ()),
    )
    response = Response(body, mimetype="text/html")
    response.headers["Link"] = _link_header(urls, iri)
    return response


def _explanation(
    resource: ResourceDescription, *, is_term: bool, review: Review | None = None
) -> str:
    """The line under a resource page's title that says what the page shows."""
    if review is not None:
        return "A fact-check review of the article's words: its verdict, who wrote it and when."
    if is_term:
        return "A term of the ontology: what it means and where the graph uses it."
    if resource.text is not None:
        return f"{resource.label} of the article, and every statement taken from it."
    if any(group.role == "self" for group in resource.statement_groups):
        return "One statement of the article, in words: who says it and the sentence it is from."
    if resource.figure is not None:
        return "A figure the article gives, with its hedge and bounds, and the statements using it."
    return f"What the article says about {resource.label}, each time with the sentence it is from."


def _rdf(urls: Urls, iri: str, triples: Sequence[ox.Triple], fmt: Format | None) -> Response:
    negotiated = fmt is None
    if fmt is None:
        fmt = negotiate(request.headers.get("Accept"), GRAPH_FORMATS)
    response = Response(serialize_triples(list(triples), fmt, prefixes=PREFIXES), mimetype=None)
    response.headers["Content-Type"] = fmt.content_type
    response.headers["Link"] = _link_header(urls, iri, page=True)
    if negotiated:
        response.vary.add("Accept")
        location = urls.data(iri, fmt)
        if location:
            response.headers["Content-Location"] = location
    return response


def _ontology(fmt: Format, *, negotiated: bool) -> Response:
    urls, lookup = current_urls(), page_lookup()
    iri = urls.ontology_iri
    if fmt is HTML:
        body = render_template(
            "ontology.html",
            resource=describe(lookup, iri, ontology=urls.ontology_namespace),
            terms=ontology_terms(lookup, urls.ontology_namespace),
            alternates=urls.alternates(iri),
        )
        response = Response(body, mimetype="text/html")
        response.headers["Link"] = _link_header(urls, iri)
    else:
        triples = namespace_triples(lookup, iri, urls.ontology_namespace)
        if not triples:
            raise ResourceNotFound(iri)
        response = Response(serialize_triples(list(triples), fmt, prefixes=PREFIXES))
        response.headers["Content-Type"] = fmt.content_type
        response.headers["Link"] = _link_header(urls, iri, page=True)
    if negotiated:
        response.vary.add("Accept")
    return response


def _link_header(urls: Urls, iri: str, *, page: bool = False) -> str:
    """``Link`` values: the page (when asked) and every RDF format of the document."""
    pages = [(HTML, urls.page(iri))] if page else []
    return link_header([*pages, *urls.alternates(iri)])
