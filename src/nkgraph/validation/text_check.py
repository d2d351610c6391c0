"""Check the graph against its article's text, letter by letter (``nkgraph check-text``).

SHACL checks what the data says about itself; this checks it against the text it comes
from, and reports every place where the two part:

- ``offsets``: a text unit's, mention's, figure's, time's or quotation's offsets slice the
  article to exactly its stored words, inside its text unit;
- ``unanchored``: every mention, figure, time and quotation has offsets at all;
- ``quotation``: every quotation stands verbatim between curly quotation marks in its unit
  (apostrophes, em-dashes and punctuation as printed);
- ``evidence``: every sentence and caption is the evidence of a statement, or is listed
  as having none (``nk:noStatementBecause``) with the reason, never both;
- ``mention``: a mention finder searches every sentence and caption for each entity's
  names and the words of its mentions (whole words, any letter case); an occurrence that no
  mention of the entity covers, and that no reviewed ``nk:NonMention`` turns down, is
  reported as missing from the graph.

The module reads an rdflib ``Dataset`` and returns a report; it prints nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from rdflib import RDF, RDFS, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from nkgraph.errors import TextError
from nkgraph.model.anchors import CLOSE_QUOTE, OPEN_QUOTE, TextUnit, text_units, word_pattern
from nkgraph.vocab import NK, PREFIXES

__all__ = ["RULES", "TextProblem", "TextReport", "check_text", "render_text_report"]

NIF: Final = Namespace(PREFIXES["nif"])
OA: Final = Namespace(PREFIXES["oa"])
SCHEMA: Final = Namespace(PREFIXES["schema"])
#: The rules, in the order they are reported.
RULES: Final = ("offsets", "unanchored", "quotation", "evidence", "mention")
#: Properties whose values are names of an entity, for the mention finder.
_NAMES: Final = (RDFS.label, SCHEMA.name, SKOS.prefLabel, SKOS.altLabel)
_NOT_PLACES: Final = (NK.MentionPattern, NK.NonMention)


@dataclass(frozen=True)
class TextProblem:
    """One place where the graph and the text part."""

    rule: str
    focus: str
    message: str


@dataclass(frozen=True)
class TextReport:
    """What ``check_text`` found, and how much it looked at."""

    problems: tuple[TextProblem, ...]
    units: int
    anchors: int
    occurrences: int

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Place:
    """Words of the data that stand at one place in the text."""

    node: Node
    unit: TextUnit
    words: str
    begin: int | None
    end: int | None
    anchor_of: str | None


def check_text(dataset: Dataset) -> TextReport:
    """Check every text unit, mention, figure, time and quotation of ``dataset`` against
    its article's text.

    Raises:
        TextError: the dataset holds no article text, or no text unit.
    """
    units = text_units(dataset)
    if not units:
        raise TextError(
            "the data holds no text unit with offsets into an article text (nif:isString); "
            "check-text needs the article's text layer"
        )
    places = list(_places(dataset, units))
    problems = [
        *_unit_problems(dataset, units),
        *_offset_problems(places),
        *_quotation_problems(dataset, places),
        *_evidence_problems(dataset, units),
    ]
    finder = _MentionFinder(dataset, units, places)
    problems += finder.problems()
    ordered = sorted(problems, key=lambda p: (RULES.index(p.rule), p.focus, p.message))
    return TextReport(tuple(ordered), len(units), len(places), finder.occurrences)


def _unit_problems(dataset: Dataset, units: dict[URIRef, TextUnit]) -> Iterator[TextProblem]:
    for unit in units.values():
        stored = dataset.value(unit.iri, NIF.anchorOf)
        if stored is None or str(stored) != unit.text:
            yield TextProblem(
                "offsets",
                _short(unit.iri),
                f"the offsets {unit.begin}-{unit.end} give {unit.text!r}, "
                f"not the unit's nif:anchorOf {_shown(stored)}",
            )


def _places(dataset: Dataset, units: dict[URIRef, TextUnit]) -> Iterator[_Place]:
    """Mentions, figures, times and quotations: everything with words in a unit."""
    for node, unit_iri in dataset.subject_objects(NK.inUnit, unique=True):
        if any((node, RDF.type, kind) in dataset for kind in _NOT_PLACES):
            continue
        words = dataset.value(node, OA.exact) or dataset.value(node, NK.surfaceForm)
        unit = units.get(unit_iri) if isinstance(unit_iri, URIRef) else None
        if words is None or unit is None:
            continue
        begin, end = dataset.value(node, NIF.beginIndex), dataset.value(node, NIF.endIndex)
        anchor_of = dataset.value(node, NIF.anchorOf)
        yield _Place(
            node,
            unit,
            str(words),
            int(begin) if isinstance(begin, Literal) else None,
            int(end) if isinstance(end, Literal) else None,
            str(anchor_of) if anchor_of is not None else None,
        )


def _offset_problems(places: list[_Place]) -> Iterator[TextProblem]:
    for place in places:
        focus = _focus(place)
        if place.begin is None or place.end is None:
            yield TextProblem(
                "unanchored",
                focus,
                f"{place.words!r} has no nif:beginIndex and nif:endIndex; "
                "generate them with `nkgraph anchors --write`",
            )
            continue
        article = place.unit.article
        found = article[place.begin : place.end]
        if found != place.words:
            yield TextProblem(
                "offsets",
                focus,
                f"the offsets {place.begin}-{place.end} give {found!r}, not the stored words "
                f"{place.words!r}",
            )
        elif place.anchor_of is not None and place.anchor_of != place.words:
            yield TextProblem(
                "offsets",
                focus,
                f"nif:anchorOf {place.anchor_of!r} differs from the stored words {place.words!r}",
            )
        if not place.unit.begin <= place.begin <= place.end <= place.unit.end:
            yield TextProblem(
                "offsets",
                focus,
                f"the offsets {place.begin}-{place.end} fall outside its unit "
                f"({place.unit.begin}-{place.unit.end})",
            )


def _quotation_problems(dataset: Dataset, places: list[_Place]) -> Iterator[TextProblem]:
    for place in places:
        if (place.node, RDF.type, NK.Quotation) not in dataset:
            continue
        marked = OPEN_QUOTE + place.words + CLOSE_QUOTE
        if marked not in place.unit.text:
            yield TextProblem(
                "quotation",
                _focus(place),
                f"{marked} is not verbatim in its unit (curly quotation marks, apostrophes "
                "and dashes as printed)",
            )
        elif place.begin is not None and place.end is not None:
            article = place.unit.article
            if article[place.begin - 1 : place.begin] + article[place.end : place.end + 1] != (
                OPEN_QUOTE + CLOSE_QUOTE
            ):
                yield TextProblem(
                    "quotation",
                    _focus(place),
                    f"the offsets {place.begin}-{place.end} are not the words between a pair "
                    "of curly quotation marks",
                )


def _evidence_problems(dataset: Dataset, units: dict[URIRef, TextUnit]) -> Iterator[TextProblem]:
    for iri in _searched_units(dataset, units):
        evidence = next(dataset.subjects(NK.evidence, iri), None) is not None
        reason = dataset.value(iri, NK.noStatementBecause)
        if not evidence and reason is None:
            yield TextProblem(
                "evidence",
                _short(iri),
                "no statement has this unit as nk:evidence, and it is not listed as having "
                "none (nk:noStatementBecause, with the reason)",
            )
        elif evidence and reason is not None:
            yield TextProblem(
                "evidence",
                _short(iri),
                "it is listed as having no statement (nk:noStatementBecause) but is the "
                "evidence of one",
            )


def _searched_units(dataset: Dataset, units: dict[URIRef, TextUnit]) -> list[URIRef]:
    """Sentences and captions, in text order: the units statements and mentions come from."""
    found = [
        iri
        for iri in units
        if (iri, RDF.type, NIF.Sentence) in dataset or (iri, NK.lineKind, NK.CaptionLine) in dataset
    ]
    return sorted(found, key=lambda iri: units[iri].begin)


class _MentionFinder:
    """Proposes every occurrence of an entity's names and mention words as a mention, and
    keeps those the graph lacks."""

    def __init__(
        self, dataset: Dataset, units: dict[URIRef, TextUnit], places: list[_Place]
    ) -> None:
        self.dataset = dataset
        self.units = [units[iri] for iri in _searched_units(dataset, units)]
        self.spans: dict[Node, list[tuple[int, int]]] = defaultdict(list)
        for entity, mention in dataset.subject_objects(NK.mention, unique=True):
            for place in places:
                if place.node == mention and place.begin is not None and place.end is not None:
                    self.spans[entity].append((place.begin, place.end))
        self.occurrences = 0

    def problems(self) -> Iterator[TextProblem]:
        for entity in sorted(self._entities()):
            refused = self._non_mentions(entity)
            for form in sorted(self._forms(entity)):
                pattern = word_pattern(form, flags=re.IGNORECASE)
                for unit in self.units:
                    for match in pattern.finditer(unit.text):
                        self.occurrences += 1
                        begin, end = unit.begin + match.start(), unit.begin + match.end()
                        if self._covered(entity, begin, end):
                            continue
                        if (unit.iri, match.group().casefold()) in refused:
                            continue
                        yield self._missing(entity, unit, match.group(), begin, end)

    def _entities(self) -> set[URIRef]:
        return {
            entity
            for prop in (NK.mention, NK.mentionedAs)
            for entity in self.dataset.subjects(prop, None, unique=True)
            if isinstance(entity, URIRef)
        }

    def _forms(self, entity: URIRef) -> set[str]:
        forms = {str(name) for prop in _NAMES for name in self.dataset.objects(entity, prop)}
        for prop in (NK.mention, NK.mentionedAs):
            for node in self.dataset.objects(entity, prop):
                forms.update(str(w) for w in self.dataset.objects(node, NK.surfaceForm))
        return {form for form in forms if form.strip()}

    def _non_mentions(self, entity: URIRef) -> set[tuple[Node | None, str]]:
        return {
            (self.dataset.value(node, NK.inUnit), str(words).casefold())
            for node in self.dataset.objects(entity, NK.nonMention)
            for words in self.dataset.objects(node, NK.surfaceForm)
        }

    def _covered(self, entity: URIRef, begin: int, end: int) -> bool:
        return any(b < end and begin < e for b, e in self.spans.get(entity, ()))

    def _missing(
        self, entity: URIRef, unit: TextUnit, words: str, begin: int, end: int
    ) -> TextProblem:
        return TextProblem(
            "mention",
            _short(entity),
            f"{words!r} at {begin}-{end} in {_short(unit.iri)} matches a name or mention of it, "
            "but no mention of it covers these words: add a mention pattern (nk:mentionedAs), "
            "or an nk:nonMention saying why they do not name it",
        )


def _focus(place: _Place) -> str:
    if isinstance(place.node, URIRef):
        return _short(place.node)
    return f"mention {place.words!r} in {_short(place.unit.iri)}"


def _short(iri: Node) -> str:
    text = str(iri)
    for prefix, namespace in (("art", PREFIXES["art"]), ("id", PREFIXES["id"])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _shown(value: Node | None) -> str:
    return "(none)" if value is None else repr(str(value))


def render_text_report(report: TextReport) -> str:
    """The report as lines of text: a summary, then one line per problem."""
    summary = (
        f"Checked {report.units} text units, {report.anchors} anchored words and "
        f"{report.occurrences} occurrences of entity names against the article text: "
    )
    if report.ok:
        return summary + "no problem.\n"
    lines = [summary + f"{len(report.problems)} problem(s)."]
    lines += [f"{p.rule}: {p.focus}: {p.message}" for p in report.problems]
    return "\n".join(lines) + "\n"
