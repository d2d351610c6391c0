"""claims.py: the shipped article's claims by source, its framings, its figures table."""

from __future__ import annotations

import pytest

from nkgraph.model.loading import load_dataset
from nkgraph.pages.article import ArticleData, load_article
from nkgraph.pages.claims import by_source, figure_rows, framings
from nkgraph.pages.lookup import Lookup
from nkgraph.sparql.engine import Engine
from nkgraph.vocab import ART, ID


@pytest.fixture(scope="module")
def article() -> ArticleData:
    return load_article(
        Lookup(Engine.from_dataset(load_dataset(), union_default_graph=True), timeout=10.0)
    )


def test_groups_by_source_with_the_article_last(article: ArticleData) -> None:
    groups = by_source(article)
    titles = [g.title for g in groups]
    for source in (
        "Armenian officials",
        "Azerbaijani officials",
        "Foreign Ministry of Turkey",
        "Human Rights Watch",
        "a State Department spokesperson (not named in the article)",
    ):
        assert source in titles
    assert titles[-1] == "The article itself"
    assert groups[-1].anchor == "source-article"
    assert sum(len(g.claims) for g in groups) == len(article.claims)
    for group in groups:
        for claim in group.claims:
            source = claim.attribution.source if claim.attribution else None
            assert source == group.source
    assert titles[0] == "Armenian officials"  # the first to speak, in sentence 1


def test_offensive_framings_side_by_side(article: ArticleData) -> None:
    found = {f.subject.iri: f for f in framings(article)}
    offensive = found[str(ID["azerbaijani-offensive-2023"])]
    framed = {
        (
            c.value_text,
            c.attribution.source.label
            if c.attributed and c.attribution and c.attribution.source
            else None,
        )
        for c in offensive.claims
    }
    assert ("anti-terrorism measures", "Foreign Ministry of Turkey") in framed
    assert ("ethnic cleansing", "Nazeli Baghdasaryan") in framed
    assert ("invasion", None) in framed  # the article's own word
    assert str(ART["st-provocations"]) in {c.iri for c in offensive.claims}


def test_figure_rows(article: ArticleData) -> None:
    rows = figure_rows(article)
    assert len(rows) == len(article.figures) == 17
    by_words = {r.figure.words: r for r in rows}
    fled = by_words["100,437"]
    assert [s.label for s in fled.stated_by if s] == ["Armenian officials"]
    assert fled.sentence is not None and fled.sentence.label == "Sentence 2"
    war = by_words["roughly 30,000"]
    assert war.stated_by == (None,)  # the article's own voice
    caption = by_words["More than 100,000"]
    assert caption.sentence is not None and caption.sentence.label == "Line 2"
