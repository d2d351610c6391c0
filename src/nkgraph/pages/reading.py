"""The reading view: the article's text, line by line, with every mention, quotation,
figure and stated time marked, and the claims each mark carries.

Marks may overlap (a figure inside a quotation inside a mention). :func:`reading` cuts the
text into pieces at every mark's start and end, so each piece carries the marks that
cover it, outermost first: a page draws one link per piece (links cannot nest in HTML)
and styles it by all its marks. A mark whose words are not found in its unit is listed
in ``Reading.unplaced``, never silently dropped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from nkgraph.pages.article import ArticleData, Claim, Spot, TextUnit, anchor
from nkgraph.pages.naming import Link

__all__ = ["KIND_NAMES", "Mark", "Piece", "Reading", "ReadingLine", "ReadingUnit", "reading"]

#: What each kind of mark is called on a page.
KIND_NAMES: Final = {
    "figure": "a figure",
    "quotation": "a quotation",
    "time": "a stated time",
    "mention": "a mention",
}
# When marks cover the same words, the most specific one is the piece's own.
_PRIORITY: Final = {"figure": 0, "quotation": 1, "time": 2, "mention": 3}


@dataclass(frozen=True)
class Mark:
    """Words of the text that stand for something, and the claims they carry.

    ``id`` is the mark's anchor on the reading page: the thing's own name for figures,
    quotations and times (``q-anti-terrorism``), ``m-{thing}-{unit}-{n}`` for mentions.
    """

    id: str
    kind: str
    target: Link
    words: str
    unit: TextUnit
    begin: int
    end: int
    claims: tuple[Claim, ...]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass(frozen=True)
class Piece:
    """A stretch of text and the marks that cover it, outermost first."""

    text: str
    marks: tuple[Mark, ...]
    first_of: tuple[Mark, ...] = ()  # the marks that start here

    @property
    def primary(self) -> Mark | None:
        """The most specific mark of the piece: the one its link leads to."""
        if not self.marks:
            return None
        return min(self.marks, key=lambda m: (m.end - m.begin, _PRIORITY[m.kind]))


@dataclass(frozen=True)
class ReadingUnit:
    """A sentence (or a line that holds no sentence, such as the caption), in pieces."""

    unit: TextUnit
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class ReadingLine:
    """A line of the article: its units, and the text between them (``gaps[i]`` before
    ``units[i]``; ``gaps[-1]`` after the last)."""

    line: TextUnit
    units: tuple[ReadingUnit, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """The whole article, marked."""

    article: ArticleData
    lines: tuple[ReadingLine, ...]
    marks: tuple[Mark, ...]
    unplaced: tuple[Spot, ...]


def reading(article: ArticleData) -> Reading:
    """The article's text with its marks placed, and the claims each carries."""
    units = {u.iri: u for u in article.units}
    marks, unplaced = _place(article, units)
    by_unit: dict[str, list[Mark]] = {}
    for mark in marks:
        by_unit.setdefault(mark.unit.iri, []).append(mark)
    lines = []
    for line in article.lines:
        inside = [u for u in article.sentences if u.line == line.iri] or [line]
        gaps, position = [], line.begin
        for unit in inside:
            gaps.append(line.text[position - line.begin : unit.begin - line.begin])
            position = unit.end
        gaps.append(line.text[position - line.begin :])
        lines.append(
            ReadingLine(
                line,
                tuple(ReadingUnit(u, pieces(u, by_unit.get(u.iri, []))) for u in inside),
                tuple(gaps),
            )
        )
    return Reading(article, tuple(lines), tuple(marks), tuple(unplaced))


def pieces(unit: TextUnit, marks: Sequence[Mark]) -> tuple[Piece, ...]:
    """``unit``'s text cut at every mark's start and end; each piece with its marks."""
    cuts = sorted({unit.begin, unit.end, *(m.begin for m in marks), *(m.end for m in marks)})
    found: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(
            sorted(
                (m for m in marks if m.begin <= start and end <= m.end),
                key=lambda m: (-(m.end - m.begin), _PRIORITY[m.kind], m.id),
            )
        )
        starting = tuple(m for m in covering if m.begin == start)
        text = unit.text[start - unit.begin : end - unit.begin]
        if found and found[-1].marks == covering and not starting:
            found[-1] = Piece(found[-1].text + text, covering, found[-1].first_of)
        else:
            found.append(Piece(text, covering, starting))
    return tuple(found)


def _place(article: ArticleData, units: dict[str, TextUnit]) -> tuple[list[Mark], list[Spot]]:
    """Each spot as a mark at its words in its unit: the n-th spot with the same words and
    thing in a unit takes the n-th place those words stand."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    per_unit: Counter[tuple[str, str, str]] = Counter()
    marks, unplaced = [], []
    for spot in article.spots:
        unit = units.get(spot.unit)
        key = (spot.kind, spot.target.iri, spot.unit, spot.words)
        n = seen[key]
        seen[key] += 1
        per_unit[key[:3]] += 1
        places = _places(unit.text, spot.words) if unit is not None else []
        if unit is None or n >= len(places):
            unplaced.append(spot)
            continue
        begin = unit.begin + places[n]
        marks.append(
            Mark(
                id=_mark_id(spot, unit, per_unit[key[:3]]),
                kind=spot.kind,
                target=spot.target,
                words=spot.words,
                unit=unit,
                begin=begin,
                end=begin + len(spot.words),
                claims=tuple(_carried(spot, article.claims)),
            )
        )
    marks.sort(key=lambda m: (m.begin, -(m.end - m.begin), _PRIORITY[m.kind], m.id))
    return marks, unplaced


def _places(text: str, words: str) -> list[int]:
    """Where ``words`` stand in ``text`` as whole words (else anywhere), in order."""
    if not words:
        return []
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text)]
    return found or [m.start() for m in re.finditer(re.escape(words), text)]


def _mark_id(spot: Spot, unit: TextUnit, n: int) -> str:
    """The mark's anchor; ``n`` counts the thing's spots in the unit, from 1."""
    if spot.kind == "mention":
        return f"m-{anchor(spot.target.iri)}-{anchor(unit.iri)}-{n}"
    return anchor(spot.target.iri)


def _carried(spot: Spot, claims: Iterable[Claim]) -> Iterable[Claim]:
    """The claims a spot carries: those resting on the quotation or figure, dated by the
    time, or (for a mention) made in its unit about, by or through the thing."""
    thing = spot.target.iri
    for claim in claims:
        if spot.kind in ("quotation", "figure"):
            hit = claim.rests_on(thing)
        elif spot.kind == "time":
            hit = claim.obj is not None and claim.obj.iri == thing
        else:
            hit = (
                claim.unit is not None and claim.unit.iri == spot.unit and thing in _involved(claim)
            )
        if hit:
            yield claim


def _involved(claim: Claim) -> set[str]:
    found = {claim.subject.iri, *([claim.obj.iri] if claim.obj else [])}
    a = claim.attribution
    if a is not None:
        found |= {x.iri for x in (a.source, a.role, a.act) if x is not None}
        found |= {x.iri for x in (*a.reported_by, *a.translated_by)}
    return found
