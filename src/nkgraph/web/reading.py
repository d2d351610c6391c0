"""The article as the home of the graph: pages a reader, a fact-checker or a researcher
opens first.

Routes:

- ``GET /article``: the whole text, every mention, quotation, figure and stated time
  marked; each mark's claims beside the text (``static/reading.js``) or, without
  JavaScript, at the mark's anchor.
- ``GET /claims``: who says what, grouped by source, with framings side by side.
- ``GET /figures``: every figure in one table.
- ``GET /timeline`` (``/timeline.svg``: the picture alone).
- ``GET /cite/{slug}``: the citation of a claim, quotation or figure;
  ``/cite/{slug}.json`` or ``?format=csl-json``: the same as CSL-JSON.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from nkgraph.errors import ResourceNotFound
from nkgraph.formats import HTML
from nkgraph.pages.article import ArticleData, anchor, article_iris, load_article
from nkgraph.pages.citation import CSL_JSON, Citation, article_citations, csl_json
from nkgraph.pages.claims import by_source, figure_rows, framings
from nkgraph.pages.drawings import chain_drawing, timeline_drawing
from nkgraph.pages.overview import timeline as timeline_entries
from nkgraph.pages.reading import reading
from nkgraph.pages.reviews import reviewed_marks, reviews_of
from nkgraph.web.pages import current_urls, page_lookup

__all__ = ["bp"]

bp = Blueprint("reading", __name__)

_SVG = "image/svg+xml"


@bp.app_context_processor
def _template_globals() -> dict[str, object]:
    return {"anchor": anchor, "chain_drawing": chain_drawing}


def _html(body: str) -> Response:
    return Response(body, mimetype=HTML.media_type)


@bp.get("/article")
def article() -> Response:
    """The reading view of the article."""
    lookup = page_lookup()
    data = load_article(lookup)
    marked = reading(data)
    reviews = reviews_of(
        lookup, [c.iri for c in data.claims] + [q.iri for c in data.claims for q in c.quotations]
    )
    return _html(
        render_template(
            "article.html",
            reading=marked,
            citations=article_citations(data),
            figures={f.iri: f for f in data.figures},
            reviews=reviews,
            reviewed=reviewed_marks(marked.marks, reviews),
        )
    )


@bp.get("/claims")
def claims() -> Response:
    """Who says what."""
    lookup = page_lookup()
    data = load_article(lookup)
    return _html(
        render_template(
            "claims.html",
            article=data,
            groups=by_source(data),
            framings=framings(data),
            citations=article_citations(data),
            reviews=reviews_of(lookup, [c.iri for c in data.claims]),
        )
    )


@bp.get("/figures")
def figures() -> Response:
    """Every figure of the article in one table."""
    data = load_article(page_lookup())
    return _html(
        render_template(
            "figures.html",
            article=data,
            rows=figure_rows(data),
            citations=article_citations(data),
        )
    )


@bp.get("/timeline")
def timeline() -> Response:
    """The dated events, drawn and listed."""
    entries = timeline_entries(page_lookup())
    return _html(
        render_template("timeline.html", entries=entries, drawing=timeline_drawing(entries))
    )


@bp.get("/timeline.svg")
def timeline_svg() -> Response:
    """The timeline picture alone, as an SVG document."""
    drawing = timeline_drawing(timeline_entries(page_lookup()))
    return Response(render_template("timeline.svg", drawing=drawing), mimetype=_SVG)


@bp.get("/cite/<path:slug>")
def cite(slug: str) -> Response:
    """The citation of one claim, quotation or figure: a page, or CSL-JSON."""
    as_data = slug.endswith(".json") or request.args.get("format") == "csl-json"
    slug = slug.removesuffix(".json")
    iri = current_urls().id_iri(slug)
    data, citation = _citation(iri)
    if as_data:
        response = Response(csl_json([citation]), mimetype=None)
        response.headers["Content-Type"] = f"{CSL_JSON}; charset=utf-8"
        return response
    claim = next((c for c in data.claims if c.iri == iri or c.rests_on(iri)), None)
    body = render_template(
        "cite.html", article=data, citation=citation, claim=claim, csl_text=csl_json([citation])
    )
    response = _html(body)
    response.headers["Link"] = (
        f'<{current_urls().cite(iri, data=True)}>; rel="alternate"; type="{CSL_JSON}"'
    )
    return response


def _citation(iri: str) -> tuple[ArticleData, Citation]:
    """The article that says ``iri``, and its citation.

    Raises:
        ResourceNotFound: no article of the graph makes that claim or prints those words.
    """
    lookup = page_lookup()
    for article_iri in article_iris(lookup):
        data = load_article(lookup, article_iri)
        found = article_citations(data).get(iri)
        if found is not None:
            return data, found
    raise ResourceNotFound(iri)
