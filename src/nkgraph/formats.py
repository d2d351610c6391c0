"""The formats nkgraph reads and writes, and HTTP content negotiation over them.

The one registry, modelled on pyoxigraph's ``RdfFormat``: each :class:`Format` knows its
short names, media types, file extensions, W3C format IRI, its pyoxigraph and rdflib
names, whether it holds datasets and whether it has one statement a line. It alone drives
negotiation, the download links of the query page, the formats listed in the service
description, which files load (:data:`FILE_FORMATS`) and how each is parsed and written.
No other module keeps a table of formats (``tests/test_formats.py`` checks it).

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_FORMATS).name
'json'
>>> negotiate("text/*", GRAPH_FORMATS).media_type
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Final

import pyoxigraph as ox

from nkgraph.errors import NotAcceptable

__all__ = [
    "ALL_FORMATS",
    "EXPORT_FORMATS",
    "FILE_FORMATS",
    "GRAPH_FORMATS",
    "HTML",
    "PAGE_FORMATS",
    "RESULT_FORMATS",
    "Format",
    "FormatKind",
    "MediaRange",
    "extension_list",
    "from_extension",
    "from_media_type",
    "from_name",
    "negotiate",
    "parse_accept",
]

_W3C: Final = "http://www.w3.org/ns/formats/"


class FormatKind(Enum):
    """What a format holds: SPARQL results (SELECT, ASK), an RDF graph, or a page."""

    RESULTS = "results"
    GRAPH = "graph"
    PAGE = "page"


@dataclass(frozen=True)
class Format:
    """One serialisation format.

    Args:
        name: short name, used in ``format=`` and in download links.
        label: name for people.
        media_types: the canonical media type first, then aliases we also answer to.
        extension: the file extension without the dot (``more_extensions``: others we read).
        iri: the format's IRI in the W3C ``formats`` namespace.
        kind: results or graph.
        aliases: other short names clients send in ``format=`` (SPARQLWrapper does).
        holds_datasets: whether the format can name graphs (TriG, N-Quads); the others
            hold one graph.
        rdf_format: pyoxigraph's parser and writer of an RDF format.
        results_format: pyoxigraph's parser and writer of a SPARQL results format.
        rdflib_name: rdflib's parser and serializer name (it registers both alike).
        line_based: one statement a line (N-Triples, N-Quads), so a bad line can be
            found by parsing lines alone.
        more_extensions: extensions besides ``extension`` that files of this format have.
    """

    name: str
    label: str
    media_types: tuple[str, ...]
    extension: str
    iri: str
    kind: FormatKind
    aliases: tuple[str, ...] = ()
    holds_datasets: bool = False
    rdf_format: ox.RdfFormat | None = None
    results_format: ox.QueryResultsFormat | None = None
    rdflib_name: str | None = None
    line_based: bool = False
    more_extensions: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every file extension of the format, the one we write first."""
        return (self.extension, *self.more_extensions)

    @property
    def ox_rdf_format(self) -> ox.RdfFormat:
        """pyoxigraph's RDF format.

        Raises:
            ValueError: this is not an RDF format.
        """
        if self.rdf_format is None:
            raise ValueError(f"{self.label} is not an RDF format")
        return self.rdf_format

    @property
    def ox_results_format(self) -> ox.QueryResultsFormat:
        """pyoxigraph's SPARQL results format.

        Raises:
            ValueError: this is not a results format.
        """
        if self.results_format is None:
            raise ValueError(f"{self.label} is not a SPARQL results format")
        return self.results_format

    @property
    def rdflib_format(self) -> str:
        """rdflib's parser and serializer name.

        Raises:
            ValueError: rdflib has no parser for this format here.
        """
        if self.rdflib_name is None:
            raise ValueError(f"{self.label} has no rdflib parser")
        return self.rdflib_name

    @property
    def media_type(self) -> str:
        """The canonical media type."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (UTF-8 for every format we write)."""
        return f"{self.media_type}; charset=utf-8"


SPARQL_JSON: Final = Format(
    "json",
    "SPARQL Results JSON",
    ("application/sparql-results+json", "application/json"),
    "srj",
    _W3C + "SPARQL_Results_JSON",
    FormatKind.RESULTS,
    results_format=ox.QueryResultsFormat.JSON,
)
SPARQL_XML: Final = Format(
    "xml",
    "SPARQL Results XML",
    ("application/sparql-results+xml", "application/xml", "text/xml"),
    "srx",
    _W3C + "SPARQL_Results_XML",
    FormatKind.RESULTS,
    results_format=ox.QueryResultsFormat.XML,
)
SPARQL_CSV: Final = Format(
    "csv",
    "CSV",
    ("text/csv",),
    "csv",
    _W3C + "SPARQL_Results_CSV",
    FormatKind.RESULTS,
    results_format=ox.QueryResultsFormat.CSV,
)
SPARQL_TSV: Final = Format(
    "tsv",
    "TSV",
    ("text/tab-separated-values",),
    "tsv",
    _W3C + "SPARQL_Results_TSV",
    FormatKind.RESULTS,
    results_format=ox.QueryResultsFormat.TSV,
)
TURTLE: Final = Format(
    "turtle",
    "Turtle",
    ("text/turtle", "application/x-turtle", "text/n3"),
    "ttl",
    _W3C + "Turtle",
    FormatKind.GRAPH,
    aliases=("ttl", "n3"),
    rdf_format=ox.RdfFormat.TURTLE,
    rdflib_name="turtle",
)
N_TRIPLES: Final = Format(
    "ntriples",
    "N-Triples",
    ("application/n-triples",),
    "nt",
    _W3C + "N-Triples",
    FormatKind.GRAPH,
    aliases=("nt", "n-triples"),
    rdf_format=ox.RdfFormat.N_TRIPLES,
    rdflib_name="nt",
    line_based=True,
)
JSON_LD: Final = Format(
    "jsonld",
    "JSON-LD",
    ("application/ld+json", "application/json"),
    "jsonld",
    _W3C + "JSON-LD",
    FormatKind.GRAPH,
    aliases=("json-ld", "json"),
    rdf_format=ox.RdfFormat.JSON_LD,
    rdflib_name="json-ld",
)
RDF_XML: Final = Format(
    "rdfxml",
    "RDF/XML",
    ("application/rdf+xml", "application/xml", "text/xml"),
    "rdf",
    _W3C + "RDF_XML",
    FormatKind.GRAPH,
    aliases=("rdf", "rdf+xml", "xml"),
    rdf_format=ox.RdfFormat.RDF_XML,
    rdflib_name="xml",
    more_extensions=("owl",),
)
TRIG: Final = Format(
    "trig",
    "TriG",
    ("application/trig",),
    "trig",
    _W3C + "TriG",
    FormatKind.GRAPH,
    holds_datasets=True,
    rdf_format=ox.RdfFormat.TRIG,
    rdflib_name="trig",
)
N_QUADS: Final = Format(
    "nquads",
    "N-Quads",
    ("application/n-quads",),
    "nq",
    _W3C + "N-Quads",
    FormatKind.GRAPH,
    aliases=("nq", "n-quads"),
    holds_datasets=True,
    rdf_format=ox.RdfFormat.N_QUADS,
    rdflib_name="nquads",
    line_based=True,
)

#: The pages of Linked Data resources, for people (``web/pages.py``).
HTML: Final = Format(
    "html",
    "HTML",
    ("text/html", "application/xhtml+xml"),
    "html",
    "http://www.w3.org/ns/formats/HTML",
    FormatKind.PAGE,
)

#: Formats of SELECT and ASK results, in the order we prefer them.
RESULT_FORMATS: Final = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
#: Formats of CONSTRUCT and DESCRIBE results and of the service description.
GRAPH_FORMATS: Final = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
#: Formats of exports and of the Graph Store Protocol: the graph formats and the two
#: dataset formats, Turtle first (the default).
EXPORT_FORMATS: Final = (TURTLE, TRIG, N_TRIPLES, N_QUADS, JSON_LD, RDF_XML)
#: Formats of the RDF files nkgraph reads (``nkgraph.model.loading``), by extension.
FILE_FORMATS: Final = EXPORT_FORMATS
#: What a resource's IRI is resolved to: a page for people first (browsers, and clients
#: that accept anything), then RDF by ``Accept``.
PAGE_FORMATS: Final = (HTML, *GRAPH_FORMATS)
#: Formats the SPARQL endpoint answers in (its service description lists them).
ALL_FORMATS: Final = RESULT_FORMATS + GRAPH_FORMATS


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype;q=...``."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for ``a/b``, 1 for ``a/*``, 0 for ``*/*``."""
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        """Whether this range covers ``media_type`` (without parameters)."""
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped.

    >>> parse_accept("text/*;q=0.3, text/csv")
    [MediaRange(type='text', subtype='*', q=0.3), MediaRange(type='text', subtype='csv', q=1.0)]
    """
    ranges: list[MediaRange] = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the most specific matching range gives ``media_type`` (0 if none)."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return best.q if best else 0.0


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format:
    """The offer the client prefers; on a tie, the one listed first in ``offers``.

    An absent or empty Accept header means ``*/*``. Clients send the same few headers
    over and over, so answers for tuples of offers are remembered (a hit costs about a
    microsecond, a parse tens).

    Raises:
        NotAcceptable: no offer has a positive q-value.
    """
    if not accept or not accept.strip():
        return offers[0]
    if isinstance(offers, tuple) and len(accept) <= _MEMO_ACCEPT_LENGTH:
        return _negotiate_memo(accept, offers)
    return _negotiate(accept, offers)


#: Accept headers longer than this are negotiated afresh each time (browsers send about 150).
_MEMO_ACCEPT_LENGTH: Final = 512


@lru_cache(maxsize=512)
def _negotiate_memo(accept: str, offers: tuple[Format, ...]) -> Format:
    return _negotiate(accept, offers)


def _negotiate(accept: str, offers: Sequence[Format]) -> Format:
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    exact = [r for r in ranges if r.specificity == 2]
    best, best_q = offers[0], 0.0
    for offer in offers:
        # Wildcards reach an offer's canonical media type only; an alias (text/xml for
        # SPARQL XML, say) counts when named exactly, so text/* means CSV, not XML.
        q = max(
            [_quality(ranges, offer.media_type)]
            + [_quality(exact, alias) for alias in offer.media_types[1:]]
        )
        if q > best_q:
            best, best_q = offer, q
    if best_q <= 0.0:
        raise NotAcceptable(accept, tuple(offer.media_type for offer in offers))
    return best


def from_name(value: str, offers: Sequence[Format]) -> Format:
    """The offer named by ``value``: a short name, an alias, an extension or a media type.

    Used for the ``format=`` parameter, which browsers' links need.

    Raises:
        NotAcceptable: no offer goes by that name.
    """
    wanted = value.strip().lower()
    for offer in offers:
        if wanted in (offer.name, offer.extension, *offer.aliases, *offer.media_types):
            return offer
    raise NotAcceptable(
        f"format={value}", tuple(f"{offer.name} ({offer.media_type})" for offer in offers)
    )


def from_extension(extension: str, offers: Sequence[Format] = FILE_FORMATS) -> Format | None:
    """The offer whose files have ``extension`` (``".ttl"`` or ``"ttl"``, any case).

    >>> from_extension(".OWL").name
    'rdfxml'
    >>> from_extension(".txt") is None
    True
    """
    wanted = extension.lower().removeprefix(".")
    return next((offer for offer in offers if wanted in offer.extensions), None)


def from_media_type(media_type: str, offers: Sequence[Format] = ALL_FORMATS) -> Format | None:
    """The first offer that answers to ``media_type`` (parameters and case ignored).

    >>> from_media_type("text/turtle; charset=utf-8").name
    'turtle'
    >>> from_media_type("application/json", GRAPH_FORMATS).name
    'jsonld'
    """
    wanted = media_type.partition(";")[0].strip().lower()
    return next((offer for offer in offers if wanted in offer.media_types), None)


def extension_list(offers: Sequence[Format] = FILE_FORMATS) -> str:
    """The offers' file extensions, for messages: ``.ttl, .trig, ...``."""
    return ", ".join(f".{extension}" for offer in offers for extension in offer.extensions)
