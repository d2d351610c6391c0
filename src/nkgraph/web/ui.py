"""The query page, ``GET /query``: what the dataset is, an editor (YASGUI), examples, downloads."""

from __future__ import annotations

from typing import Final

from flask import Blueprint, render_template, url_for

from nkgraph.formats import GRAPH_FORMATS, RESULT_FORMATS
from nkgraph.pages.example_queries import example_queries
from nkgraph.web.state import service_state
from nkgraph.web.urls import Urls

__all__ = ["YASGUI_VERSION", "bp"]

#: The vendored editor's version; ``package.json`` pins the same (a test checks).
YASGUI_VERSION: Final = "4.2.28"

bp = Blueprint("ui", __name__)


@bp.get("/query")
def index() -> str:
    """The query page."""
    state = service_state()
    return render_template(
        "index.html",
        state=state,
        statistics=state.engine.statistics,
        source=state.engine.source,
        examples=example_queries(),
        result_formats=RESULT_FORMATS,
        graph_formats=GRAPH_FORMATS,
        yasgui=f"vendor/yasgui-{YASGUI_VERSION}",
        local_pages=_local_pages(state.settings.base_iri),
    )


def _local_pages(base_iri: str) -> list[tuple[str, str]]:
    """``(IRI prefix, page URL prefix)`` pairs, longest first, so that the editor's result
    table links the dataset's own IRIs to this service's pages."""
    urls = Urls(base_iri)
    return [
        (urls.ontology_namespace, url_for("pages.term", name="x")[:-1]),
        (urls.id_iri(""), url_for("pages.page", slug="x")[:-1]),
    ]
