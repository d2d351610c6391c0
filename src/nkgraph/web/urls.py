"""The one place that maps IRIs to the service's URLs and back (as Datasette's ``Urls``).

The IRI scheme (``NKGRAPH_BASE_IRI``, default ``https://w3id.org/nkgraph/``):

- ``{base}id/{slug}``: things (entities, and the article's text units, statements,
  figures, quotations). Slash IRIs: the thing is not a document, so ``GET /id/{slug}``
  answers ``303 See Other`` to a document about it: ``/page/{slug}`` for people,
  ``/data/{slug}.{ttl,nt,jsonld,rdf}`` for RDF clients, chosen by ``Accept``.
  ``/id/{slug}.ttl`` (an extension on the IRI) redirects to that format's document.
- ``{base}ontology#{Term}``: the ontology's terms. Hash IRIs: a client strips the
  fragment and gets ``/ontology``, the ontology document (HTML with an anchor per term,
  or RDF by ``Accept``); ``/term/{Term}`` is the page of one term, with where it is used.
- Any other IRI is not ours, and links to it go to the IRI itself.

Templates get an instance as ``urls`` and never build a URL by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from flask import url_for

from nkgraph.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS, TURTLE, Format

__all__ = ["Urls", "split_extension"]

_SAFE: Final = "/:@!$&'()*+,;=-._~"


def split_extension(name: str) -> tuple[str, Format | None]:
    """``("armenia", TURTLE)`` for ``"armenia.ttl"``; ``(name, None)`` without a known one."""
    stem, dot, extension = name.rpartition(".")
    if dot:
        for fmt in GRAPH_FORMATS:
            if extension == fmt.extension:
                return stem, fmt
    return name, None


@dataclass(frozen=True)
class Urls:
    """URLs of the service's pages and documents, for the IRIs under ``base_iri``."""

    base_iri: str

    @property
    def ontology_iri(self) -> str:
        return self.base_iri + "ontology"

    @property
    def ontology_namespace(self) -> str:
        return self.base_iri + "ontology#"

    def id_iri(self, slug: str) -> str:
        """The IRI ``/id/{slug}`` stands for."""
        return f"{self.base_iri}id/{slug}"

    def graph_iri(self, name: str) -> str:
        """The IRI of the named graph ``/graph/{name}`` stands for."""
        return f"{self.base_iri}graph/{name}"

    def term_iri(self, name: str) -> str:
        """The IRI of the ontology term ``name``."""
        return self.ontology_namespace + name

    def slug(self, iri: str) -> str | None:
        """The ``{slug}`` of an ``{base}id/{slug}`` IRI, else ``None``."""
        prefix = self.base_iri + "id/"
        return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None

    def term_name(self, iri: str) -> str | None:
        """The name of an ontology term IRI, else ``None``."""
        namespace = self.ontology_namespace
        return iri[len(namespace) :] if iri.startswith(namespace) and iri != namespace else None

    def is_local(self, iri: str) -> bool:
        """Whether this service has a page for ``iri``."""
        return (
            self.slug(iri) is not None
            or self.term_name(iri) is not None
            or iri == self.ontology_iri
        )

    def page(self, iri: str) -> str:
        """The HTML page about ``iri``: ours, or the IRI itself when it is not ours."""
        slug = self.slug(iri)
        if slug is not None:
            return url_for("pages.page", slug=slug)
        name = self.term_name(iri)
        if name is not None:
            return url_for("pages.term", name=name)
        if iri == self.ontology_iri:
            return self.ontology()
        return iri

    def data(self, iri: str, fmt: Format) -> str | None:
        """The RDF document about ``iri`` in ``fmt``, when ``iri`` is ours."""
        slug = self.slug(iri)
        if slug is not None:
            return url_for("pages.data", name=f"{slug}.{fmt.extension}")
        name = self.term_name(iri)
        if name is not None:
            return url_for("pages.term", name=f"{name}.{fmt.extension}")
        if iri == self.ontology_iri:
            return self.ontology(fmt)
        return None

    def alternates(self, iri: str) -> list[tuple[Format, str]]:
        """Every other format of the document about ``iri``: ``(format, url)``."""
        found = [(fmt, self.data(iri, fmt)) for fmt in GRAPH_FORMATS]
        return [(fmt, url) for fmt, url in found if url is not None]

    def results(self, query: str) -> list[tuple[Format, str]]:
        """The results of the SELECT ``query`` from the SPARQL endpoint, in each results
        format: ``(format, url)``; the data behind a listing page."""
        return [
            (fmt, url_for("sparql.endpoint", query=query, format=fmt.name))
            for fmt in RESULT_FORMATS
        ]

    def endpoint(self, fmt: Format | None = None) -> str:
        """The SPARQL endpoint; with ``fmt``, its answers in that format (``format=``)."""
        if fmt is None:
            return url_for("sparql.endpoint")
        return url_for("sparql.endpoint", format=fmt.name)

    def description(self) -> tuple[Format, str]:
        """The service description, in Turtle: ``(format, url)``."""
        return TURTLE, self.endpoint(TURTLE)

    def resolve(self, iri: str, fmt: Format) -> str:
        """Where ``GET`` on ``iri`` sends a client that wants ``fmt`` (a 303 target)."""
        if fmt is HTML:
            return self.page(iri)
        return self.data(iri, fmt) or iri

    def ontology(self, fmt: Format | None = None) -> str:
        """The ontology document (negotiated), or one format of it."""
        if fmt is None:
            return url_for("pages.ontology")
        return url_for("pages.ontology_as", extension=fmt.extension)

    def anchor(self, iri: str) -> str:
        """The term's place in the ontology document."""
        name = self.term_name(iri)
        return f"{self.ontology()}#{quote(name, safe=_SAFE)}" if name else self.page(iri)

    def home(self) -> str:
        return url_for("pages.home")

    def query(self) -> str:
        return url_for("ui.index")

    def search(self, text: str | None = None) -> str:
        return url_for("pages.search", q=text) if text else url_for("pages.search")

    def kind(self, key: str) -> str:
        return url_for("pages.kind", key=key)

    def article(self, anchor: str | None = None) -> str:
        """The reading view of the article, or one place in it (a sentence, a mark, a
        claim: see ``nkgraph.pages.article.anchor``)."""
        url = url_for("reading.article")
        return f"{url}#{quote(anchor, safe=_SAFE)}" if anchor else url

    def claims(self, anchor: str | None = None) -> str:
        url = url_for("reading.claims")
        return f"{url}#{quote(anchor, safe=_SAFE)}" if anchor else url

    def figures(self) -> str:
        return url_for("reading.figures")

    def timeline(self, fmt: str | None = None) -> str:
        """The timeline page, or (``fmt="svg"``) the picture alone."""
        return url_for("reading.timeline_svg") if fmt == "svg" else url_for("reading.timeline")

    def cite(self, iri: str, *, data: bool = False) -> str | None:
        """The citation page of a claim, quotation or figure of ours, or (``data``) its
        CSL-JSON; ``None`` for an IRI that is not ours."""
        slug = self.slug(iri)
        if slug is None:
            return None
        return url_for("reading.cite", slug=f"{slug}.json" if data else slug)
