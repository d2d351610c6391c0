"""Fact-check reviews (``schema:ClaimReview``) of the graph's statements and quotations,
for people: :func:`reviews_of` the items a page shows, :func:`review_at` one review.

A review names the item it judges (``schema:itemReviewed``), a rating on a scale with
the verdict in words (``schema:reviewRating``: ``ratingValue``, ``worstRating``,
``bestRating``, ``alternateName``), its authors, its date and, optionally, its text, its
web address and the claim in words. The shapes (``ontology/shapes.ttl``) make these
complete before a review is committed; what is read here tolerates gaps all the same,
since data loaded with ``--data`` is not always validated. Everything is fetched by
SPARQL through a :class:`~nkgraph.pages.lookup.Lookup`, from whichever graph holds it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from nkgraph.pages.lookup import Lookup, Term, iri_term, values_clause
from nkgraph.pages.naming import Link, fetch_labels
from nkgraph.pages.reading import Mark

__all__ = ["Author", "Review", "review_at", "reviewed_marks", "reviews_of"]


@dataclass(frozen=True)
class Author:
    """Who wrote a review: a name, and a web address when the review gives one."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Review:
    """One fact-check review of a statement or quotation."""

    iri: str
    item: Link
    authors: tuple[Author, ...]
    date: str | None
    verdict: str | None
    value: str | None
    worst: str | None
    best: str | None
    body: str | None = None
    url: str | None = None
    claim: str | None = None

    @property
    def rating(self) -> str | None:
        """The rating in words: "rating 2 of 5", or "rating 1.5 on a scale of 0 to 5"."""
        if self.value is None or self.best is None:
            return None
        if self.worst in (None, "1"):
            return f"rating {self.value} of {self.best}"
        return f"rating {self.value} on a scale of {self.worst} to {self.best}"

    @property
    def when(self) -> str | None:
        """The date as people write it ("2 October 2023"); as given if it is no date."""
        if self.date is None:
            return None
        try:
            day = datetime.date.fromisoformat(self.date[:10])
        except ValueError:
            return self.date
        return f"{day.day} {day:%B %Y}"

    @property
    def title(self) -> str:
        """The review's page title: "Fact-check by Example Desk: Misleading"."""
        names = " and ".join(a.name for a in self.authors) or "an unnamed reviewer"
        return f"Fact-check by {names}: {self.verdict or 'no verdict given'}"

    @property
    def summary(self) -> str:
        """E.g. "Reviewed by Example Desk on 2 October 2023: Misleading (rating 2 of 5)"."""
        names = " and ".join(a.name for a in self.authors) or "an unnamed reviewer"
        text = f"Reviewed by {names}"
        if self.when:
            text += f" on {self.when}"
        text += f": {self.verdict or 'no verdict given'}"
        return f"{text} ({self.rating})" if self.rating else text


_REVIEWS: Final = """SELECT ?review ?item ?date ?verdict ?value ?worst ?best ?body ?url ?claim
WHERE {{
  {values}
  ?review a schema:ClaimReview ; schema:itemReviewed ?item . FILTER(isIRI(?review))
  OPTIONAL {{ ?review schema:datePublished ?date }}
  OPTIONAL {{ ?review schema:reviewRating ?rating .
    OPTIONAL {{ ?rating schema:alternateName ?verdict }}
    OPTIONAL {{ ?rating schema:ratingValue ?value }}
    OPTIONAL {{ ?rating schema:worstRating ?worst }}
    OPTIONAL {{ ?rating schema:bestRating ?best }} }}
  OPTIONAL {{ ?review schema:reviewBody ?body }}
  OPTIONAL {{ ?review schema:url ?url FILTER(isIRI(?url)) }}
  OPTIONAL {{ ?review schema:claimReviewed ?claim }}
}} ORDER BY ?item DESC(?date) ?review"""

_AUTHORS: Final = """SELECT DISTINCT ?review ?name ?url WHERE {{
  {values}
  ?review schema:author ?author . ?author schema:name ?name .
  OPTIONAL {{ ?author schema:url ?url FILTER(isIRI(?url)) }}
}} ORDER BY ?review ?name"""


def reviews_of(lookup: Lookup, items: Iterable[str]) -> dict[str, tuple[Review, ...]]:
    """The reviews of each of ``items`` that has any, newest first.

    Raises:
        QueryTimeout: a query ran out of time.
    """
    wanted = sorted(set(items))
    if not wanted:
        return {}
    found: dict[str, list[Review]] = {}
    for review in _fetch(lookup, values_clause("item", wanted)):
        found.setdefault(review.item.iri, []).append(review)
    return {item: tuple(reviews) for item, reviews in found.items()}


def review_at(lookup: Lookup, iri: str) -> Review | None:
    """The review ``iri``, or ``None`` when ``iri`` is no review of an item.

    Raises:
        QueryTimeout: a query ran out of time.
    """
    found = _fetch(lookup, f"BIND({iri_term(iri)} AS ?review)")
    return found[0] if found else None


def reviewed_marks(marks: Iterable[Mark], reviewed: Collection[str]) -> frozenset[str]:
    """The ids of the reading view's quotation and figure marks that stand for a reviewed
    item or carry a reviewed claim (``reviewed``: the IRIs of reviewed items). Mentions
    and times are left unmarked: a sentence's names carry every claim made with them."""
    return frozenset(
        mark.id
        for mark in marks
        if mark.kind in ("quotation", "figure")
        and (mark.target.iri in reviewed or any(c.iri in reviewed for c in mark.claims))
    )


def _fetch(lookup: Lookup, values: str) -> list[Review]:
    rows = lookup.select(_REVIEWS.format(values=values))
    first: dict[str, dict[str, Term]] = {}
    for row in rows:  # a review with two values of one property: the first counts
        first.setdefault(row["review"].value, row)
    if not first:
        return []
    authors = _authors(lookup, first)
    labels = fetch_labels(lookup, [row["item"].value for row in first.values()])
    return [_review(row, labels.link(row["item"].value), authors) for row in first.values()]


def _authors(lookup: Lookup, reviews: Iterable[str]) -> dict[str, tuple[Author, ...]]:
    rows = lookup.select(_AUTHORS.format(values=values_clause("review", reviews)))
    found: dict[str, dict[str, Author]] = {}
    for row in rows:
        url = row.get("url")
        author = Author(row["name"].value, url.value if url is not None else None)
        found.setdefault(row["review"].value, {}).setdefault(author.name, author)
    return {review: tuple(by_name.values()) for review, by_name in found.items()}


def _review(row: Mapping[str, Term], item: Link, authors: Mapping[str, Sequence[Author]]) -> Review:
    def text(name: str) -> str | None:
        term = row.get(name)
        return term.value if term is not None else None

    iri = row["review"].value
    return Review(
        iri=iri,
        item=item,
        authors=tuple(authors.get(iri, ())),
        date=text("date"),
        verdict=text("verdict"),
        value=text("value"),
        worst=text("worst"),
        best=text("best"),
        body=text("body"),
        url=text("url"),
        claim=text("claim"),
    )
