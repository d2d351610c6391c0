"""Every kind of page the service shows, once: the pages the words and accessibility
checks open. A new kind of page is one more row here. The pages are served from the
shipped graph plus ``REVIEWS``, two example fact-check reviews, so that a review's page
and the reviewed words of the reading view are checked too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

#: Example fact-check reviews (made up; they check nothing), served with the shipped graph.
REVIEWS = Path(__file__).parent / "data" / "reviews.trig"


@dataclass(frozen=True)
class PageKind:
    """A page to check: its path, the status it answers, (for pages that draw part of
    themselves with JavaScript) a CSS selector to wait for before checking, and the
    fixture of the live server that shows it (``writes_server``: writes on, one change
    committed)."""

    name: str
    path: str
    status: int = 200
    ready: str | None = None
    server: str = "reviewed_server"


_QUERY = (
    "PREFIX nk: <https://w3id.org/nkgraph/ontology#> "
    "SELECT ?figure ?value WHERE { ?figure nk:statedValue ?value } LIMIT 5"
)

PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "/"),
    PageKind("reading-view", "/article"),
    PageKind("claims", "/claims"),
    PageKind("figures", "/figures"),
    PageKind("timeline", "/timeline"),
    PageKind("citation", "/cite/karabakh-exodus-2023/st-anti-terrorism"),
    PageKind("person", "/page/nikol-pashinyan"),
    PageKind("place", "/page/nagorno-karabakh"),
    PageKind("event", "/page/azerbaijani-offensive-2023"),
    PageKind("statement", "/page/karabakh-exodus-2023/st-forced-to-flee"),
    PageKind("figure", "/page/karabakh-exodus-2023/fig-forced-to-flee"),
    PageKind("sentence", "/page/karabakh-exodus-2023/s5"),
    PageKind("review", "/page/review/example-anti-terrorism"),
    PageKind("ontology-term", "/term/numberFled"),
    PageKind("kind-listing", "/kinds/people"),
    PageKind("search", "/search?q=armen"),
    PageKind("ontology", "/ontology"),
    PageKind("query-page", "/query", ready=".yasqe .CodeMirror"),
    PageKind("sparql-results", "/sparql?" + urlencode({"query": _QUERY, "format": "html"})),
    PageKind("not-found", "/page/no-such-thing", status=404),
    PageKind("history-read-only", "/history"),
    PageKind("history", "/history", server="writes_server"),
    PageKind("history-change", "/history/1", server="writes_server"),
)
