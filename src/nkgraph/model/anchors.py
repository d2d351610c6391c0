"""Anchor the data's words in the article: character offsets for mentions, figures, times
and quotations, generated from the text as ``nkgraph.model.text`` generates the text units.

A person writes *which* words name or state what: a mention pattern (``nk:mentionedAs``:
these words in this text unit name this entity), a figure's or a time's ``nk:surfaceForm``,
a quotation's ``oa:exact``. This module finds *where* they are, so no one counts characters:

- every occurrence of a mention pattern's words in its unit becomes an ``nk:Mention`` of
  its own, with its offsets, so the same words twice in one sentence are two mentions;
- a figure, a time or a quotation gets the offsets of its words' one occurrence in its
  unit (a quotation's, between curly quotation marks); words that occur there more than
  once cannot say which place they mean, and are refused.

Offsets are NIF's, as in the text layer: Unicode code points from the start of the
article, the end excluded, with ``nif:anchorOf`` the words and ``nif:referenceContext``
the article. Words are matched whole: "Armenia" is not found inside "Armenian".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from nkgraph.errors import TextError
from nkgraph.vocab import NK, PREFIXES

__all__ = [
    "Anchor",
    "TextUnit",
    "anchor_layer",
    "anchor_layer_trig",
    "article_graph",
    "find_words",
    "text_units",
]

NIF = Namespace(PREFIXES["nif"])
OA = Namespace(PREFIXES["oa"])
OPEN_QUOTE = "\u201c"
CLOSE_QUOTE = "\u201d"


@dataclass(frozen=True)
class TextUnit:
    """A text unit of the data: its IRI, its article, its offsets and its text."""

    iri: URIRef
    context: URIRef
    begin: int
    end: int
    text: str
    #: The whole text of the article (the context's ``nif:isString``).
    article: str = field(repr=False, compare=False)


@dataclass(frozen=True)
class Anchor:
    """Words of the data at one place in the article: ``article[begin:end] == words``."""

    unit: TextUnit
    begin: int
    end: int
    words: str


def text_units(graph: Graph) -> dict[URIRef, TextUnit]:
    """Every text unit of ``graph`` whose offsets and article text it holds."""
    units: dict[URIRef, TextUnit] = {}
    for unit in graph.subjects(RDF.type, NK.TextUnit, unique=True):
        context = graph.value(unit, NIF.referenceContext)
        begin, end = graph.value(unit, NIF.beginIndex), graph.value(unit, NIF.endIndex)
        article = graph.value(context, NIF.isString) if context is not None else None
        if not isinstance(unit, URIRef) or not isinstance(context, URIRef):
            continue
        if not (isinstance(begin, Literal) and isinstance(end, Literal) and article is not None):
            continue
        start, stop = int(begin), int(end)
        whole = str(article)
        units[unit] = TextUnit(unit, context, start, stop, whole[start:stop], whole)
    return units


def find_words(unit: TextUnit, words: str, *, quoted: bool = False) -> list[Anchor]:
    """Every whole-word occurrence of ``words`` in ``unit``, in order.

    With ``quoted``, only occurrences that stand between curly quotation marks count.
    """
    if quoted:
        pattern = re.escape(OPEN_QUOTE + words + CLOSE_QUOTE)
        return [
            Anchor(unit, unit.begin + m.start() + 1, unit.begin + m.end() - 1, words)
            for m in re.finditer(pattern, unit.text)
        ]
    return [
        Anchor(unit, unit.begin + m.start(), unit.begin + m.end(), words)
        for m in re.finditer(word_pattern(words), unit.text)
    ]


def word_pattern(words: str, *, flags: int = 0) -> re.Pattern[str]:
    """A pattern that finds ``words`` whole: not as the start or end of a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", words) else ""
    after = r"(?!\w)" if re.search(r"\w$", words) else ""
    return re.compile(before + re.escape(words) + after, flags)


def anchor_layer(graph: Graph) -> Graph:
    """The mentions and offsets of the data in ``graph``, generated from its text.

    Args:
        graph: the text units (with their article) and the hand-written data: mention
            patterns, figures, times and quotations. Offsets and mentions it already
            holds are ignored and made again.

    Raises:
        TextError: a pattern's words are not in its unit, or a figure's, time's or
            quotation's words are not there exactly once.
    """
    units = text_units(graph)
    layer = Graph()
    for prefix, namespace in PREFIXES.items():
        layer.bind(prefix, namespace)
    for entity, unit, words in _patterns(graph, units):
        found = find_words(unit, words)
        if not found:
            raise TextError(f"{entity}: the words {words!r} are not in {unit.iri}'s text")
        for anchor in found:
            mention = _mention_node(entity, anchor)
            layer.add((entity, NK.mention, mention))
            layer.add((mention, RDF.type, NK.Mention))
            layer.add((mention, NK.inUnit, unit.iri))
            layer.add((mention, NK.surfaceForm, Literal(words)))
            _add_anchor(layer, mention, anchor)
    for node, unit, words, quoted in _anchored(graph, units):
        found = find_words(unit, words, quoted=quoted)
        if len(found) != 1:
            where = "between curly quotation marks " if quoted else ""
            raise TextError(
                f"{node}: the words {words!r} occur {len(found)} times {where}in {unit.iri}'s "
                "text; they must occur there exactly once to be anchored"
            )
        _add_anchor(layer, node, found[0])
    return layer


def _patterns(
    graph: Graph, units: dict[URIRef, TextUnit]
) -> Iterator[tuple[URIRef, TextUnit, str]]:
    for entity, pattern in sorted(graph.subject_objects(NK.mentionedAs)):
        unit_iri, words = graph.value(pattern, NK.inUnit), graph.value(pattern, NK.surfaceForm)
        if not isinstance(entity, URIRef) or words is None:
            continue
        yield entity, _unit(units, unit_iri, entity), str(words)


def _anchored(
    graph: Graph, units: dict[URIRef, TextUnit]
) -> Iterator[tuple[URIRef, TextUnit, str, bool]]:
    """Figures, times and quotations: IRIs with words in a unit."""
    for node, unit_iri in sorted(graph.subject_objects(NK.inUnit)):
        if not isinstance(node, URIRef):
            continue  # mention patterns and non-mentions are blank nodes: not one place
        exact = graph.value(node, OA.exact)
        words = exact if exact is not None else graph.value(node, NK.surfaceForm)
        if words is None:
            continue
        yield node, _unit(units, unit_iri, node), str(words), exact is not None


def _unit(units: dict[URIRef, TextUnit], unit: Node | None, owner: Node) -> TextUnit:
    if not isinstance(unit, URIRef) or unit not in units:
        raise TextError(f"{owner}: its text unit {unit} has no offsets or article text")
    return units[unit]


def _mention_node(entity: URIRef, anchor: Anchor) -> BNode:
    """A blank node named after what it is, so regenerating names it the same."""
    key = f"{entity} {anchor.begin} {anchor.end}".encode()
    return BNode("m" + hashlib.sha256(key).hexdigest()[:16])


def _add_anchor(layer: Graph, node: URIRef | BNode, anchor: Anchor) -> None:
    layer.add((node, NIF.anchorOf, Literal(anchor.words)))
    layer.add((node, NIF.beginIndex, Literal(anchor.begin, datatype=XSD.integer)))
    layer.add((node, NIF.endIndex, Literal(anchor.end, datatype=XSD.integer)))
    layer.add((node, NIF.referenceContext, anchor.unit.context))


def article_graph(dataset: Dataset) -> URIRef:
    """The named graph that holds the article (the ``nif:Context``): the anchors go there.

    Raises:
        TextError: no graph, or more than one, holds an article.
    """
    graphs = {
        graph
        for _, _, _, graph in dataset.quads((None, RDF.type, NIF.Context, None))
        if isinstance(graph, URIRef)
    }
    if len(graphs) != 1:
        found = ", ".join(sorted(graphs)) or "none"
        raise TextError(
            f"the data must hold one article (a nif:Context) in one named graph; found: {found}"
        )
    return graphs.pop()


def anchor_layer_trig(dataset: Dataset) -> str:
    """The anchor layer as TriG, in the article's named graph, ready to ship under data/."""
    from nkgraph.model.loading import new_dataset

    layer = new_dataset()
    named = layer.graph(article_graph(dataset))
    for triple in anchor_layer(dataset):
        named.add(triple)
    header = (
        "# Generated from the article's text and the mention patterns, figures, times and\n"
        "# quotations of the data by `nkgraph anchors --write` (nkgraph.model.anchors):\n"
        "# do not edit.\n"
    )
    return header + layer.serialize(format="trig")
