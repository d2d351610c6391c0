"""Split an article into lines and sentences, and describe them as NIF text units.

Offsets are NIF / RFC 5147 character offsets: they count Unicode code points from 0,
the end excluded, so ``text[begin:end]`` is the unit's exact text. Offsets and numbers are
written as plain ``xsd:integer``: the same values as NIF's ``xsd:nonNegativeInteger``, in
the one integer type that every SPARQL store keeps as written (pyoxigraph, Fuseki and
others store the derived integer types as ``xsd:integer``). The caption and the
link lines are recognised by their shape, as the client's article delivers them: a line
that ends in ``[+]`` is a caption cut short by the publisher, and the trailing lines of the
form ``Title (Publisher)`` are links to related articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from nkgraph.vocab import NK, PREFIXES

__all__ = ["LineKind", "Span", "TextLayout", "layout", "text_layer"]

NIF = Namespace(PREFIXES["nif"])
SCHEMA = Namespace(PREFIXES["schema"])
PROV = Namespace(PREFIXES["prov"])

# A sentence ends at . ? or ! (possibly inside a closing quotation mark) that is followed
# by a space and a capital letter; "U.S. support" does not end one.
_SENTENCE_END = re.compile(r"(?<=[.?!])[\u201d\u2019\"]?(?= +[A-Z\u201c])")
_CAPTION = re.compile(r"\[\+\]\s*$")
_LINK_LINE = re.compile(r"^[^.]+ \([^()]+\)$")


class LineKind(Enum):
    """What a line of the article is."""

    PARAGRAPH = "ParagraphLine"
    CAPTION = "CaptionLine"
    LINK = "LinkLine"


@dataclass(frozen=True)
class Span:
    """A unit of text: ``text[begin:end]`` of the whole article."""

    number: int
    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class Line(Span):
    kind: LineKind


@dataclass(frozen=True)
class Sentence(Span):
    line: int


@dataclass(frozen=True)
class TextLayout:
    """The lines of an article and the sentences they hold (the caption holds none)."""

    text: str
    lines: tuple[Line, ...]
    sentences: tuple[Sentence, ...]


def layout(text: str) -> TextLayout:
    """Find the lines and sentences of ``text``; sentences are numbered from 1 in order."""
    lines = tuple(_lines(text))
    sentences: list[Sentence] = []
    for line in lines:
        if line.kind is LineKind.CAPTION:
            continue
        for begin, end in _sentence_bounds(line):
            sentences.append(Sentence(len(sentences) + 1, begin, end, text[begin:end], line.number))
    return TextLayout(text, lines, tuple(sentences))


def _lines(text: str) -> Iterator[Line]:
    begin = 0
    raw_lines = text.split("\n")
    trailing_links = _trailing_link_count(raw_lines)
    for index, raw in enumerate(raw_lines):
        end = begin + len(raw)
        if raw.strip():
            if _CAPTION.search(raw):
                kind = LineKind.CAPTION
            elif index >= len(raw_lines) - trailing_links:
                kind = LineKind.LINK
            else:
                kind = LineKind.PARAGRAPH
            yield Line(index + 1, begin, end, raw, kind)
        begin = end + 1


def _trailing_link_count(raw_lines: list[str]) -> int:
    count = 0
    for raw in reversed(raw_lines):
        if not _LINK_LINE.match(raw):
            break
        count += 1
    return count


def _sentence_bounds(line: Line) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(line.text):
        yield line.begin + start, line.begin + match.end()
        start = match.end() + 1
        while line.text[start : start + 1] == " ":
            start += 1
    yield line.begin + start, line.end


def text_layer(text: str, *, article: URIRef, base: Namespace) -> Graph:
    """The article, its lines and its sentences as NIF, with exact text and offsets.

    Args:
        text: the article exactly as stored.
        article: the article's IRI.
        base: the namespace that line and sentence IRIs are minted in
            (``base["line-3"]``, ``base["s2"]``).
    """
    found = layout(text)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.add((article, RDF.type, SCHEMA.NewsArticle))
    graph.add((article, RDF.type, NIF.Context))
    graph.add((article, RDF.type, PROV.Entity))
    graph.add((article, NIF.isString, Literal(text)))
    _add_offsets(graph, article, 0, len(text))
    for line in found.lines:
        node = base[f"line-{line.number}"]
        graph.add((node, RDF.type, NK.Line))
        graph.add((node, NK.lineNumber, Literal(line.number, datatype=XSD.integer)))
        graph.add((node, NK.lineKind, NK[line.kind.value]))
        if line.kind is LineKind.PARAGRAPH:
            graph.add((node, RDF.type, NIF.Paragraph))
        if line.kind is LineKind.CAPTION:
            graph.add((node, NK.truncated, Literal(True)))
        _add_unit(graph, node, line, article)
    previous: URIRef | None = None
    for sentence in found.sentences:
        node = base[f"s{sentence.number}"]
        graph.add((node, RDF.type, NIF.Sentence))
        graph.add((node, NK.sentenceNumber, Literal(sentence.number, datatype=XSD.integer)))
        graph.add((node, NK.inLine, base[f"line-{sentence.line}"]))
        _add_unit(graph, node, sentence, article)
        if previous is not None:
            graph.add((previous, NIF.nextSentence, node))
            graph.add((node, NIF.previousSentence, previous))
        previous = node
    return graph


def _add_unit(graph: Graph, node: URIRef, span: Span, article: URIRef) -> None:
    graph.add((node, RDF.type, NK.TextUnit))
    graph.add((node, NIF.referenceContext, article))
    graph.add((node, NIF.anchorOf, Literal(span.text)))
    _add_offsets(graph, node, span.begin, span.end)


def _add_offsets(graph: Graph, node: URIRef, begin: int, end: int) -> None:
    graph.add((node, NIF.beginIndex, Literal(begin, datatype=XSD.integer)))
    graph.add((node, NIF.endIndex, Literal(end, datatype=XSD.integer)))


def text_layer_trig(text: str, *, article: URIRef, base: Namespace, graph: URIRef) -> str:
    """The text layer as TriG, in the named graph ``graph``, ready to ship under data/."""
    from nkgraph.model.loading import new_dataset

    dataset = new_dataset()
    target = dataset.graph(graph)
    for triple in text_layer(text, article=article, base=base):
        target.add(triple)
    header = "# Generated from the article's text by nkgraph.model.text: do not edit by hand.\n"
    return header + dataset.serialize(format="trig")
