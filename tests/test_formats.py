"""Format registry and Accept negotiation (RFC 9110 section 12.5.1)."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

import nkgraph
from nkgraph.errors import NotAcceptable
from nkgraph.formats import (
    ALL_FORMATS,
    EXPORT_FORMATS,
    FILE_FORMATS,
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    Format,
    MediaRange,
    extension_list,
    from_extension,
    from_media_type,
    from_name,
    negotiate,
    parse_accept,
)


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        pytest.param(None, RESULT_FORMATS, "json", id="absent"),
        pytest.param("", RESULT_FORMATS, "json", id="empty"),
        pytest.param("*/*", GRAPH_FORMATS, "turtle", id="any-graph"),
        pytest.param("application/sparql-results+xml", RESULT_FORMATS, "xml", id="exact"),
        pytest.param("text/*", RESULT_FORMATS, "csv", id="type-wildcard-ignores-aliases"),
        pytest.param("text/xml", RESULT_FORMATS, "xml", id="alias-exact"),
        pytest.param("text/csv;q=0.4, text/tab-separated-values;q=0.9", RESULT_FORMATS, "tsv", id="q-values"),
        pytest.param("text/*;q=0.1, text/csv", RESULT_FORMATS, "csv", id="specific-beats-wildcard"),
        pytest.param("*/*;q=0.1, application/sparql-results+json;q=0", RESULT_FORMATS, "xml", id="q-zero-excludes"),
        pytest.param("application/ld+json, */*;q=0.1", GRAPH_FORMATS, "jsonld", id="json-ld"),
        pytest.param("application/rdf+xml", GRAPH_FORMATS, "rdfxml", id="rdf-xml"),
        pytest.param("TEXT/TURTLE", GRAPH_FORMATS, "turtle", id="case-insensitive"),
        pytest.param("garbage, text/csv", RESULT_FORMATS, "csv", id="malformed-skipped"),
        pytest.param("text/csv;q=abc, text/tab-separated-values;q=0.5", RESULT_FORMATS, "tsv", id="bad-q-is-zero"),
    ],
)  # fmt: skip
def test_negotiate(accept: str | None, offers: tuple[object, ...], expected: str) -> None:
    assert negotiate(accept, offers).name == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("accept", ["image/png", "text/html", "application/json;q=0, text/csv;q=0"])
def test_not_acceptable_names_offers(accept: str) -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(accept, RESULT_FORMATS)
    assert caught.value.offers == tuple(f.media_type for f in RESULT_FORMATS)
    assert "text/tab-separated-values" in str(caught.value)


def test_parse_accept() -> None:
    assert parse_accept("text/*;q=0.3, text/csv;charset=utf-8") == [
        MediaRange("text", "*", 0.3),
        MediaRange("text", "csv", 1.0),
    ]


@pytest.mark.parametrize(
    ("value", "offers", "expected"),
    [
        ("json", RESULT_FORMATS, "json"),
        ("json", GRAPH_FORMATS, "jsonld"),
        ("xml", GRAPH_FORMATS, "rdfxml"),
        ("ttl", GRAPH_FORMATS, "turtle"),
        ("n3", GRAPH_FORMATS, "turtle"),
        ("application/n-triples", GRAPH_FORMATS, "ntriples"),
        (" CSV ", RESULT_FORMATS, "csv"),
    ],
)
def test_from_name(value: str, offers: tuple[object, ...], expected: str) -> None:
    assert from_name(value, offers).name == expected  # type: ignore[arg-type]


def test_from_name_unknown() -> None:
    with pytest.raises(NotAcceptable, match="turtle"):
        from_name("csv", GRAPH_FORMATS)


def test_registry_is_consistent() -> None:
    names = [f.name for f in ALL_FORMATS]
    assert len(set(names)) == len(names)
    for fmt in ALL_FORMATS:
        assert fmt.iri.startswith("http://www.w3.org/ns/formats/")
        assert fmt.content_type == f"{fmt.media_type}; charset=utf-8"


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        pytest.param(".ttl", "turtle", id="dot"),
        pytest.param("ttl", "turtle", id="no-dot"),
        pytest.param(".TTL", "turtle", id="case-insensitive"),
        pytest.param(".trig", "trig", id="trig"),
        pytest.param(".nt", "ntriples", id="n-triples"),
        pytest.param(".nq", "nquads", id="n-quads"),
        pytest.param(".jsonld", "jsonld", id="json-ld"),
        pytest.param(".rdf", "rdfxml", id="rdf-xml"),
        pytest.param(".owl", "rdfxml", id="owl-is-rdf-xml"),
        pytest.param(".txt", None, id="unknown"),
        pytest.param("", None, id="none"),
        pytest.param(".srj", None, id="results-are-no-files-we-read"),
    ],
)  # fmt: skip
def test_from_extension(extension: str, expected: str | None) -> None:
    found = from_extension(extension)
    assert (found.name if found else None) == expected


def test_from_extension_within_offers() -> None:
    assert from_extension(".srj", RESULT_FORMATS) is ALL_FORMATS[0]
    assert from_extension(".ttl", RESULT_FORMATS) is None


@pytest.mark.parametrize(
    ("media_type", "offers", "expected"),
    [
        pytest.param("text/turtle", GRAPH_FORMATS, "turtle", id="canonical"),
        pytest.param("Text/Turtle; charset=utf-8", GRAPH_FORMATS, "turtle", id="parameters-and-case"),
        pytest.param("text/n3", GRAPH_FORMATS, "turtle", id="alias"),
        pytest.param("application/json", RESULT_FORMATS, "json", id="json-among-results"),
        pytest.param("application/json", GRAPH_FORMATS, "jsonld", id="json-among-graphs"),
        pytest.param("application/json", ALL_FORMATS, "json", id="json-results-first"),
        pytest.param("application/n-quads", EXPORT_FORMATS, "nquads", id="dataset"),
        pytest.param("application/xhtml+xml", (HTML,), "html", id="page"),
        pytest.param("image/png", ALL_FORMATS, None, id="unknown"),
        pytest.param("application/n-quads", GRAPH_FORMATS, None, id="not-offered"),
    ],
)  # fmt: skip
def test_from_media_type(media_type: str, offers: tuple[Format, ...], expected: str | None) -> None:
    found = from_media_type(media_type, offers)
    assert (found.name if found else None) == expected


def test_extension_list_names_every_file_extension_in_order() -> None:
    assert extension_list() == ".ttl, .trig, .nt, .nq, .jsonld, .rdf, .owl"


@pytest.mark.parametrize("fmt", FILE_FORMATS, ids=lambda f: f.name)
def test_rdf_format_names_agree(fmt: Format) -> None:
    """pyoxigraph writes what rdflib reads under the registry's names, and both agree
    with the registry on media type and extension."""
    assert fmt.ox_rdf_format.media_type == fmt.media_type
    assert fmt.ox_rdf_format.file_extension == fmt.extension
    # JSON-LD could name graphs, but nkgraph writes and reads one graph in it.
    assert fmt.ox_rdf_format.supports_datasets or not fmt.holds_datasets
    quad = ox.Quad(
        ox.NamedNode("http://example.org/s"),
        ox.NamedNode("http://example.org/p"),
        ox.Literal("o"),
        ox.NamedNode("http://example.org/g") if fmt.holds_datasets else ox.DefaultGraph(),
    )
    written = (
        ox.serialize([quad] if fmt.holds_datasets else [quad.triple], format=fmt.ox_rdf_format)
        or b""
    )
    parsed = Dataset().parse(data=written, format=fmt.rdflib_format)
    assert len(parsed) == 1
    if fmt.line_based:
        assert len(written.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_results_format_names_agree(fmt: Format) -> None:
    assert fmt.ox_results_format.media_type.partition(";")[0] == fmt.media_type
    assert fmt.ox_results_format.file_extension == fmt.extension
    with pytest.raises(ValueError, match="not an RDF format"):
        _ = fmt.ox_rdf_format


def test_graph_format_has_no_results_format() -> None:
    with pytest.raises(ValueError, match="not a SPARQL results format"):
        _ = GRAPH_FORMATS[0].ox_results_format


# --- no format table outside formats.py ---------------------------------------------

#: What a stray format table looks like: pyoxigraph's format constants, a file extension
#: of ours as a string, or a list of two or more of our format names.
_NAMES = "|".join(
    re.escape(name) for fmt in ALL_FORMATS + EXPORT_FORMATS for name in (fmt.name, *fmt.aliases)
)
_EXTENSIONS = "|".join(
    re.escape(ext) for fmt in ALL_FORMATS + EXPORT_FORMATS for ext in fmt.extensions
)
_STRAY = re.compile(
    r"\b(?:RdfFormat|QueryResultsFormat)\.[A-Z]"
    rf"|[\"']\.(?:{_EXTENSIONS})[\"']"
    rf"|[\"'](?:{_NAMES})[\"']\s*,\s*[\"'](?:{_NAMES})[\"']"
)


#: Lines that look like a format table and are not one, each with its reason.
_NOT_TABLES = {
    # The validation report's own formats (a summary, JSON, the SHACL report graph),
    # not serialisations of the dataset.
    'REPORT_FORMAT_NAMES: Final = ("text", "json", "turtle")',
}


def stray_tables(paths: list[Path]) -> list[str]:
    """``file:line: text`` for each line of ``paths`` that looks like a format table."""
    return [
        f"{path.name}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _STRAY.search(line) and line.strip() not in _NOT_TABLES
    ]


def test_no_format_table_outside_the_registry() -> None:
    package = Path(nkgraph.__file__).parent
    sources = [p for p in sorted(package.rglob("*.py")) if p.name != "formats.py"]
    assert len(sources) > 30
    assert stray_tables(sources) == []


@pytest.mark.parametrize(
    "line",
    [
        'FORMATS = {"nt": ox.RdfFormat.N_TRIPLES}',
        "results = parse(data, format=ox.QueryResultsFormat.JSON)",
        'if path.suffix in (".nq", ".trig"):',
        "SUFFIX = '.owl'",
        'type=click.Choice(["turtle", "trig", "ntriples"])',
    ],
)
def test_stray_table_check_can_fail(tmp_path: Path, line: str) -> None:
    source = tmp_path / "module.py"
    source.write_text(f"x = 1\n{line}\n", encoding="utf-8")
    assert stray_tables([source]) == [f"module.py:2: {line}"]
