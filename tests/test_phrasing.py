"""Statements written as sentences from their parts, whatever the statement."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from nkgraph.pages.naming import Link
from nkgraph.pages.phrasing import StatementParts, prefixed_name, statement_sentence
from nkgraph.pages.statement_parts import Attribution, Bound, Figure
from nkgraph.vocab import NK

PERSON = Link("https://w3id.org/nkgraph/id/p", "Nikol Pashinyan")
POST = Link("https://w3id.org/nkgraph/id/post", "Prime Minister of Armenia")
HOLDS = Link("http://www.w3.org/ns/org#holds", "holds the post")
EVENT = Link("https://w3id.org/nkgraph/id/e", "the offensive")
FRAMED = Link(str(NK.characterisedAs), "characterised as")
FLED = Link(str(NK.numberFled), "number of people who fled")
UNIT = Link("https://w3id.org/nkgraph/id/a/s3", "Sentence 3")
FIGURE = Figure(
    "https://w3id.org/nkgraph/id/a/fig", "more than 100,000", None, "100000",
    Bound("100,000", included=False), None, None, None,
)  # fmt: skip
SOURCE = Attribution(
    iri="https://w3id.org/nkgraph/id/a/att",
    source=Link("https://w3id.org/nkgraph/id/mil", "Azerbaijan's military"),
    role=None,
    verb="declaring",
    reported_by=(Link("https://w3id.org/nkgraph/id/ap", "Armenpress"),),
    translated_by=(Link("https://w3id.org/nkgraph/id/pol", "Politico"),),
    act=None,
    scope=None,
    comment=None,
)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (StatementParts(PERSON, HOLDS, POST, pattern="{subject} holds the post {value}", unit=UNIT),
         "Nikol Pashinyan holds the post Prime Minister of Armenia, says the article, in sentence 3."),
        (StatementParts(EVENT, FRAMED, Link("x:e", "evacuation"), pattern="{subject} is characterised as {value}", attribution=SOURCE, unit=UNIT),
         "The offensive is characterised as evacuation, according to Azerbaijan's military (the article's verb: “declaring”), as reported by Armenpress, translated by Politico, in sentence 3."),
        (StatementParts(EVENT, FLED, FIGURE, pattern="{value} people fled in {subject}"),
         "More than 100,000 people fled in the offensive, says the article."),
        (StatementParts(EVENT, FLED, FIGURE),
         "The offensive, number of people who fled: more than 100,000, says the article."),
        (StatementParts(EVENT, Link(str(NK.describedAs), "described as"), "a ceasefire", modality=Link(str(NK.Request), "request"), voice=Link(str(NK.AttributedVoice), "attributed")),
         "The offensive, described as: “a ceasefire” (request), according to an unnamed source."),
        (StatementParts(EVENT, FRAMED, None),
         "The offensive, characterised as: (no value), says the article."),
    ],
    ids=["own-voice", "attributed-chain", "figure-pattern", "no-pattern", "request-unnamed", "no-value"],
)  # fmt: skip
def test_sentence(parts: StatementParts, expected: str) -> None:
    assert statement_sentence(parts).text == expected


def test_sentence_keeps_its_links_and_the_predicate() -> None:
    sentence = statement_sentence(
        StatementParts(PERSON, HOLDS, POST, pattern="{subject} holds the post {value}", unit=UNIT)
    )
    assert [p.link for p in sentence.phrases if p.link] == [PERSON, POST, UNIT]
    assert [p.text for p in sentence.phrases if p.term] == [" holds the post "]


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("http://www.w3.org/ns/org#holds", "org:holds"),
        (str(NK.numberFled), "nk:numberFled"),
        ("https://example.org/x", "https://example.org/x"),
    ],
)
def test_prefixed_name(iri: str, name: str) -> None:
    assert prefixed_name(iri) == name
