"""Fact-check reviews read for people (``pages/reviews.py``), and the example reviews the
page tests use: they conform to the shapes together with the shipped graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.pages.article import load_article
from nkgraph.pages.lookup import Lookup
from nkgraph.pages.reading import reading
from nkgraph.pages.reviews import Author, Review, review_at, reviewed_marks, reviews_of
from nkgraph.sparql.engine import Engine
from nkgraph.validation.shacl import validate
from nkgraph.vocab import ART, GRAPHS

REVIEWS = Path(__file__).parent / "web" / "data" / "reviews.trig"
REVIEW = "https://w3id.org/nkgraph/id/review/"
STATEMENT = str(ART["st-anti-terrorism"])
QUOTATION = str(ART["q-ethnic-cleansing"])


@pytest.fixture(scope="module")
def reviewed() -> Dataset:
    """The shipped graph with the two example reviews."""
    return load_dataset([*shipped().data_files(), REVIEWS])


@pytest.fixture(scope="module")
def lookup(reviewed: Dataset) -> Lookup:
    return Lookup(Engine.from_dataset(reviewed, union_default_graph=True), timeout=10.0)


def review(**changes: object) -> Review:
    values: dict[str, object] = {
        "iri": REVIEW + "r",
        "item": None,
        "authors": (Author("Example Desk"),),
        "date": "2023-10-02",
        "verdict": "Misleading",
        "value": "2",
        "worst": "1",
        "best": "5",
    }
    values.update(changes)
    return Review(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "summary"),
    [
        ({}, "Reviewed by Example Desk on 2 October 2023: Misleading (rating 2 of 5)"),
        (
            {"worst": "0", "value": "3.5"},
            "Reviewed by Example Desk on 2 October 2023: Misleading"
            " (rating 3.5 on a scale of 0 to 5)",
        ),
        (
            {"authors": (Author("Ann"), Author("Bo")), "date": None},
            "Reviewed by Ann and Bo: Misleading (rating 2 of 5)",
        ),
        (
            {"authors": (), "verdict": None, "best": None},
            "Reviewed by an unnamed reviewer on 2 October 2023: no verdict given",
        ),
        (
            {"date": "2023-13-40"},
            "Reviewed by Example Desk on 2023-13-40: Misleading (rating 2 of 5)",
        ),
    ],
    ids=["plain", "scale-from-zero", "two-authors-no-date", "incomplete", "not-a-date"],
)
def test_summary_in_plain_words(changes: dict[str, object], summary: str) -> None:
    assert review(**changes).summary == summary


def test_the_example_reviews_conform_with_the_shipped_graph(reviewed: Dataset) -> None:
    report = validate(reviewed)
    assert report.conforms, [result.message for result in report.results]
    assert len(set(reviewed.graph(GRAPHS.REVIEWS).subjects())) >= 2


def test_reviews_of_a_statement_and_a_quotation(lookup: Lookup) -> None:
    found = reviews_of(lookup, [STATEMENT, QUOTATION, str(ART["st-aggression"])])
    assert sorted(found) == [QUOTATION, STATEMENT]
    (of_statement,) = found[STATEMENT]
    assert of_statement.iri == REVIEW + "example-anti-terrorism"
    assert of_statement.authors == (Author("Example Review Desk", "https://reviews.example/desk"),)
    assert (of_statement.verdict, of_statement.rating) == (
        "Example verdict: disputed",
        "rating 2 of 5",
    )
    assert of_statement.url == "https://reviews.example/anti-terrorism"
    assert of_statement.body is not None and of_statement.claim is not None
    assert of_statement.item.label.endswith("anti-terrorism measures")
    (of_quotation,) = found[QUOTATION]
    assert of_quotation.rating == "rating 3.5 on a scale of 0 to 5"
    assert (of_quotation.url, of_quotation.body) == (None, None)


def test_no_items_no_reviews(lookup: Lookup) -> None:
    assert reviews_of(lookup, []) == {}


def test_review_at_its_iri(lookup: Lookup) -> None:
    found = review_at(lookup, REVIEW + "example-ethnic-cleansing")
    assert found is not None
    assert found.item.iri == QUOTATION
    assert found.summary.startswith("Reviewed by Ann Example on 3 October 2023: ")
    assert review_at(lookup, STATEMENT) is None


def test_reading_view_marks_the_reviewed_words(lookup: Lookup) -> None:
    marks = reading(load_article(lookup)).marks
    reviews = reviews_of(lookup, [STATEMENT, QUOTATION])
    # The quotation reviewed itself, and the quotation the reviewed statement rests on.
    assert reviewed_marks(marks, reviews) == {"q-ethnic-cleansing", "q-anti-terrorism"}
    assert reviewed_marks(marks, {}) == frozenset()
