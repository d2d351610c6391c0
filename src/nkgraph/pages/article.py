"""One article as people read it: its text units, and every claim it makes with who makes
it, through whom, in which sentence, on which figure or quotation.

:func:`load_article` asks the engine (SPARQL through a :class:`~nkgraph.pages.lookup.Lookup`)
once for everything the reading view, the claims page, the figures table and the
citations show, and returns it frozen: an :class:`ArticleData`. Nothing here knows the
one article the project ships: another article in the graph is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from nkgraph.errors import ResourceNotFound
from nkgraph.pages.lookup import Lookup, Term, first_literal, iri_term, named, values_clause
from nkgraph.pages.naming import Labels, Link, fetch_labels, format_value
from nkgraph.pages.statement_parts import Attribution, Bound, attribution_from, bound_from
from nkgraph.vocab import NK, PREFIXES

__all__ = [
    "ArticleData",
    "Claim",
    "FigureFacts",
    "Quotation",
    "Spot",
    "TextUnit",
    "anchor",
    "article_iris",
    "load_article",
]

_NIF: Final = PREFIXES["nif"]
_OA_EXACT: Final = PREFIXES["oa"] + "exact"
_RDFS_COMMENT: Final = PREFIXES["rdfs"] + "comment"
_UNIT_TEXT: Final = PREFIXES["schema"] + "unitText"


@dataclass(frozen=True)
class TextUnit:
    """A line or a sentence of the article: ``text`` spans ``begin`` to ``end`` of it."""

    iri: str
    label: str
    kind: str  # "sentence" or "line"
    number: int
    begin: int
    end: int
    text: str
    line: str | None  # a sentence's line
    line_kind: str | None  # a line's kind: "ParagraphLine", "CaptionLine", "LinkLine"


@dataclass(frozen=True)
class Spot:
    """Words of a text unit that stand for something: a mention of a thing, a quotation,
    a figure or a stated time (``kind``), and the thing (``target``)."""

    kind: str  # "mention", "quotation", "figure", "time"
    target: Link
    unit: str
    words: str


@dataclass(frozen=True)
class Quotation:
    """Words the article quotes verbatim."""

    iri: str
    words: str


@dataclass(frozen=True)
class FigureFacts:
    """A figure as printed, with its hedge, its bounds, what it counts and as of when."""

    iri: str
    words: str
    hedge: Link | None
    stated: str | None
    lower: Bound | None
    upper: Bound | None
    unit_of_measure: str | None
    counts: str | None
    as_of: str | None
    part_of: Link | None
    unit: str | None

    @property
    def bounds_text(self) -> str:
        """The bounds in words: "lower bound 100,000, not included", or "no bounds given"."""
        parts = [
            f"{name} bound {bound.value}, {'included' if bound.included else 'not included'}"
            for name, bound in (("lower", self.lower), ("upper", self.upper))
            if bound is not None
        ]
        return "; ".join(parts) if parts else "no bounds given"


@dataclass(frozen=True)
class Claim:
    """One statement of the article, with everything a reader asks of it."""

    iri: str
    subject: Link
    predicate: Link
    obj: Link | None
    words: str | None
    figure: FigureFacts | None
    unit: TextUnit | None
    voice: Link | None
    modality: Link | None
    attribution: Attribution | None
    quotations: tuple[Quotation, ...]
    contrasts: tuple[Link, ...]
    comment: str | None

    def rests_on(self, iri: str) -> bool:
        """Whether the claim quotes the quotation ``iri`` or gives the figure ``iri``."""
        return any(q.iri == iri for q in self.quotations) or (
            self.figure is not None and self.figure.iri == iri
        )

    @property
    def attributed(self) -> bool:
        return self.attribution is not None and self.attribution.source is not None

    @property
    def value_text(self) -> str:
        """What the claim says of its subject, in words."""
        if self.figure is not None:
            return self.figure.words
        if self.words is not None:
            return self.words
        return self.obj.label if self.obj is not None else ""

    @property
    def summary(self) -> str:
        """E.g. "Azerbaijani military offensive …: characterised as: anti-terrorism measures"."""
        return f"{self.subject.label}: {self.predicate.label}: {self.value_text}"


@dataclass(frozen=True)
class ArticleData:
    """An article's text units, claims and the words in it that stand for things."""

    iri: str
    title: str
    published: str | None
    units: tuple[TextUnit, ...]
    claims: tuple[Claim, ...]
    spots: tuple[Spot, ...]
    figures: tuple[FigureFacts, ...]

    def claim(self, iri: str) -> Claim:
        """Raises: ResourceNotFound: the article makes no such claim."""
        for claim in self.claims:
            if claim.iri == iri:
                return claim
        raise ResourceNotFound(iri)

    def set_against(self, iri: str) -> tuple[Claim, ...]:
        """The claims that the article sets against the claim ``iri``, or it against them
        (``nk:contrastsWith`` either way): what makes a claim contested."""
        own = next((c for c in self.claims if c.iri == iri), None)
        others = {link.iri for link in own.contrasts} if own is not None else set()
        return tuple(
            c
            for c in self.claims
            if c.iri in others or any(link.iri == iri for link in c.contrasts)
        )

    def unit(self, iri: str) -> TextUnit | None:
        return next((u for u in self.units if u.iri == iri), None)

    @property
    def sentences(self) -> tuple[TextUnit, ...]:
        return tuple(u for u in self.units if u.kind == "sentence")

    @property
    def lines(self) -> tuple[TextUnit, ...]:
        return tuple(u for u in self.units if u.kind == "line")


def anchor(iri: str) -> str:
    """The anchor of a thing of the article on its pages: its IRI's last segment
    (``st-anti-terrorism``), with any character an HTML id or a URL fragment would
    need escaped replaced by ``-``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


def article_iris(lookup: Lookup) -> tuple[str, ...]:
    """The articles whose text is in the graph (the contexts of text units), in IRI order."""
    rows = lookup.select(
        "SELECT DISTINCT ?a WHERE { ?u a nk:TextUnit ; nif:referenceContext ?a } ORDER BY ?a"
    )
    return tuple(r["a"].value for r in rows)


def load_article(lookup: Lookup, iri: str | None = None) -> ArticleData:
    """Everything the article ``iri`` (by default the first) says, and where.

    Raises:
        ResourceNotFound: the graph holds no text of that article (or of any article).
        QueryTimeout: a query ran out of time.
    """
    if iri is None:
        found = article_iris(lookup)
        if not found:
            raise ResourceNotFound("an article with its text")
        iri = found[0]
    term = iri_term(iri)
    unit_props = _units(lookup, term)
    if not unit_props:
        raise ResourceNotFound(iri)
    statements = lookup.properties(
        [
            r["st"].value
            for r in lookup.select(
                "SELECT DISTINCT ?st WHERE { ?st a nk:Statement ; nk:evidence ?u . "
                f"?u nif:referenceContext {term} }} ORDER BY ?st"
            )
        ]
    )
    spot_rows = _spot_rows(lookup, term)
    parts = lookup.properties(
        sorted(
            {
                i
                for values in statements.values()
                for p in ("figure", "attribution", "quotation")
                for i in named(values.get(str(NK[p]), ()))
            }
            | {r["x"].value for r in spot_rows if r["kind"].value in ("figure", "quotation")}
        )
    )
    labels = fetch_labels(lookup, [*_iris(statements, parts, spot_rows), iri])
    times = _time_words(lookup, parts)
    units = tuple(sorted((_unit(u, v) for u, v in unit_props.items()), key=_unit_order))
    by_iri = {u.iri: u for u in units}
    figures = {i: _figure(i, v, labels, times) for i, v in parts.items() if str(NK.hedge) in v}
    claims = tuple(
        sorted(
            (_claim(st, v, parts, labels, by_iri, figures) for st, v in statements.items()),
            key=lambda c: (c.unit.begin if c.unit else -1, c.iri),
        )
    )
    return ArticleData(
        iri=iri,
        title=labels(iri),
        published=_published(lookup, term),
        units=units,
        claims=claims,
        spots=tuple(_spot(r, labels) for r in spot_rows),
        figures=tuple(
            sorted(figures.values(), key=lambda f: (by_iri[f.unit].begin if f.unit else 0, f.iri))
        ),
    )


def _units(lookup: Lookup, term: str) -> dict[str, dict[str, list[Term]]]:
    rows = lookup.select(
        f"SELECT DISTINCT ?u WHERE {{ ?u a nk:TextUnit ; nif:referenceContext {term} }}"
    )
    return lookup.properties(sorted(r["u"].value for r in rows))


def _unit(iri: str, values: Mapping[str, list[Term]]) -> TextUnit:
    sentence = first_literal(values, str(NK.sentenceNumber))
    line = first_literal(values, str(NK.lineNumber))
    kinds = named(values.get(str(NK.lineKind), ()))
    lines = named(values.get(str(NK.inLine), ()))
    return TextUnit(
        iri=iri,
        label=f"Sentence {sentence}" if sentence else f"Line {line}",
        kind="sentence" if sentence else "line",
        number=int(sentence or line or 0),
        begin=int(first_literal(values, _NIF + "beginIndex") or 0),
        end=int(first_literal(values, _NIF + "endIndex") or 0),
        text=first_literal(values, _NIF + "anchorOf") or "",
        line=lines[0] if lines else None,
        line_kind=kinds[0].rsplit("#", 1)[-1] if kinds else None,
    )


def _unit_order(unit: TextUnit) -> tuple[int, int, int]:
    return (unit.begin, 0 if unit.kind == "line" else 1, unit.end)


# The words in the text that stand for things, with what they stand for (?x).
_SPOTS: Final = """SELECT DISTINCT ?kind ?x ?u ?words WHERE {{
  ?u nif:referenceContext {article} .
  {{ ?x nk:mention ?m . ?m nk:inUnit ?u ; nk:surfaceForm ?words . BIND("mention" AS ?kind) }}
  UNION {{ ?x a nk:Quotation ; nk:inUnit ?u ; oa:exact ?words . BIND("quotation" AS ?kind) }}
  UNION {{ ?x nk:hedge ?h ; nk:inUnit ?u ; nk:surfaceForm ?words . BIND("figure" AS ?kind) }}
  UNION {{ ?x a nk:TimeSpec ; nk:inUnit ?u ; nk:surfaceForm ?words . BIND("time" AS ?kind) }}
}} ORDER BY ?u ?kind ?x ?words"""


def _spot_rows(lookup: Lookup, term: str) -> list[dict[str, Term]]:
    return lookup.select(_SPOTS.format(article=term))


def _spot(row: Mapping[str, Term], labels: Labels) -> Spot:
    return Spot(row["kind"].value, labels.link(row["x"].value), row["u"].value, row["words"].value)


def _iris(
    statements: Mapping[str, Mapping[str, list[Term]]],
    parts: Mapping[str, Mapping[str, list[Term]]],
    spot_rows: Sequence[Mapping[str, Term]],
) -> list[str]:
    found = [r["x"].value for r in spot_rows]
    for table in (statements, parts):
        for subject, values in table.items():
            found.append(subject)
            found += [i for objects in values.values() for i in named(objects)]
    return found


def _time_words(lookup: Lookup, parts: Mapping[str, Mapping[str, list[Term]]]) -> dict[str, str]:
    """The words of each time a figure holds as of."""
    times = {i for values in parts.values() for i in named(values.get(str(NK.asOf), ()))}
    if not times:
        return {}
    rows = lookup.select(
        f"SELECT ?t ?w WHERE {{ {values_clause('t', times)} ?t nk:surfaceForm ?w }}"
    )
    return {r["t"].value: r["w"].value for r in rows}


def _published(lookup: Lookup, term: str) -> str | None:
    rows = lookup.select(f"SELECT ?d WHERE {{ {term} schema:datePublished ?d }} LIMIT 1")
    return rows[0]["d"].value if rows else None


def _figure(
    iri: str, values: Mapping[str, list[Term]], labels: Labels, times: Mapping[str, str]
) -> FigureFacts:
    def one(name: str) -> Term | None:
        found = values.get(str(NK[name]), [])
        return found[0] if found else None

    hedge, stated, as_of, part_of, unit = (
        one(n) for n in ("hedge", "statedValue", "asOf", "partOf", "inUnit")
    )
    return FigureFacts(
        iri=iri,
        words=first_literal(values, str(NK.surfaceForm)) or labels(iri),
        hedge=labels.link(hedge.value) if isinstance(hedge, ox.NamedNode) else None,
        stated=format_value(stated) if stated is not None else None,
        lower=bound_from(values, "lower"),
        upper=bound_from(values, "upper"),
        unit_of_measure=first_literal(values, _UNIT_TEXT),
        counts=first_literal(values, str(NK.counts)),
        as_of=times.get(as_of.value) if as_of is not None else None,
        part_of=labels.link(part_of.value) if isinstance(part_of, ox.NamedNode) else None,
        unit=unit.value if isinstance(unit, ox.NamedNode) else None,
    )


def _claim(
    iri: str,
    values: Mapping[str, list[Term]],
    parts: Mapping[str, Mapping[str, list[Term]]],
    labels: Labels,
    units: Mapping[str, TextUnit],
    figures: Mapping[str, FigureFacts],
) -> Claim:
    def one(name: str) -> str | None:
        found = named(values.get(str(NK[name]), ()))
        return found[0] if found else None

    obj, fig, unit, attribution = one("object"), one("figure"), one("evidence"), one("attribution")
    return Claim(
        iri=iri,
        subject=_readable(labels.link(one("subject") or "")),
        predicate=_readable(labels.link(one("predicate") or "")),
        obj=_readable(labels.link(obj)) if obj else None,
        words=first_literal(values, str(NK.value)),
        figure=figures.get(fig) if fig else None,
        unit=units.get(unit) if unit else None,
        voice=labels.link(v) if (v := one("voice")) else None,
        modality=labels.link(m) if (m := one("modality")) else None,
        attribution=(
            attribution_from(attribution, parts.get(attribution, {}), labels)
            if attribution
            else None
        ),
        quotations=tuple(
            Quotation(q, words)
            for q in named(values.get(str(NK.quotation), ()))
            if (words := first_literal(parts.get(q, {}), _OA_EXACT)) is not None
        ),
        contrasts=tuple(labels.link(i) for i in named(values.get(str(NK.contrastsWith), ()))),
        comment=first_literal(values, _RDFS_COMMENT),
    )


_PREFIXED: Final = re.compile(r"[a-z][a-z0-9]*:([A-Za-z][A-Za-z0-9]*)")


def _readable(link: Link) -> Link:
    """``link``, its label in words when the graph gives it none but a prefixed name
    (``sem:hasActor`` -> "has actor"), so that pages never show one."""
    match = _PREFIXED.fullmatch(link.label)
    if match is None:
        return link
    return Link(link.iri, re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", match.group(1)).lower())
