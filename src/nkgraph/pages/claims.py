"""Who says what: an article's claims grouped by who makes them, and the claims that
frame one thing differently, side by side; and the table of its figures.

Groups and framings come from the claims' attributions and the ``nk:contrastsWith`` and
``nk:characterisedAs`` of the data, so another article is grouped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from nkgraph.pages.article import ArticleData, Claim, FigureFacts
from nkgraph.pages.naming import Link
from nkgraph.vocab import NK

__all__ = ["FigureRow", "Framing", "SourceGroup", "by_source", "figure_rows", "framings"]


@dataclass(frozen=True)
class SourceGroup:
    """The claims one source makes (``source`` ``None``: the article in its own voice)."""

    source: Link | None
    claims: tuple[Claim, ...]

    @property
    def title(self) -> str:
        return self.source.label if self.source is not None else "The article itself"

    @property
    def anchor(self) -> str:
        """The group's anchor on the claims page."""
        if self.source is None:
            return "source-article"
        return "source-" + self.source.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Framing:
    """Claims that name or judge one thing differently, from different sources."""

    subject: Link
    claims: tuple[Claim, ...]


def by_source(article: ArticleData) -> tuple[SourceGroup, ...]:
    """The claims grouped by source, in the order the sources first speak; the article's
    own claims last."""
    groups: dict[str | None, list[Claim]] = {}
    sources: dict[str | None, Link | None] = {None: None}
    for claim in article.claims:
        source = claim.attribution.source if claim.attribution else None
        key = source.iri if source is not None else None
        sources.setdefault(key, source)
        groups.setdefault(key, []).append(claim)
    ordered = [k for k in groups if k is not None] + ([None] if None in groups else [])
    return tuple(SourceGroup(sources[k], tuple(groups[k])) for k in ordered)


def framings(article: ArticleData) -> tuple[Framing, ...]:
    """For each thing that the article's claims characterise in two or more ways, or
    about which it sets claims against each other: those claims, side by side."""
    contrasted = {link.iri for c in article.claims for link in c.contrasts}
    framing = [
        c
        for c in article.claims
        if c.predicate.iri == str(NK.characterisedAs) or c.contrasts or c.iri in contrasted
    ]
    subjects: dict[str, list[Claim]] = {}
    for claim in framing:
        subjects.setdefault(claim.subject.iri, []).append(claim)
    return tuple(
        Framing(claims[0].subject, tuple(claims))
        for claims in subjects.values()
        if len({_source_key(c) for c in claims}) > 1
    )


def _source_key(claim: Claim) -> str:
    source = claim.attribution.source if claim.attribution else None
    return source.iri if source is not None else ""


@dataclass(frozen=True)
class FigureRow:
    """One row of the figures table: the figure, who states it, in which sentence."""

    figure: FigureFacts
    stated_by: tuple[Link | None, ...]  # None: the article itself
    claims: tuple[Claim, ...]
    sentence: Link | None


def figure_rows(article: ArticleData) -> tuple[FigureRow, ...]:
    """Every figure of the article, in text order, with who states it."""
    rows = []
    for figure in article.figures:
        claims = tuple(c for c in article.claims if c.figure and c.figure.iri == figure.iri)
        stated_by = tuple(
            dict.fromkeys(c.attribution.source if c.attribution else None for c in claims)
        )
        unit = article.unit(figure.unit) if figure.unit else None
        rows.append(
            FigureRow(
                figure,
                stated_by or (None,),
                claims,
                Link(unit.iri, unit.label) if unit else None,
            )
        )
    return tuple(rows)
