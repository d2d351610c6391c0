"""article.py: the shipped article read through SPARQL: its text units, claims and spots."""

from __future__ import annotations

import re

import pytest

from nkgraph.errors import ResourceNotFound
from nkgraph.model.loading import load_dataset
from nkgraph.pages.article import ArticleData, anchor, article_iris, load_article
from nkgraph.pages.lookup import Lookup
from nkgraph.sparql.engine import Engine
from nkgraph.vocab import ART, NK


@pytest.fixture(scope="module")
def lookup() -> Lookup:
    return Lookup(Engine.from_dataset(load_dataset(), union_default_graph=True), timeout=10.0)


@pytest.fixture(scope="module")
def article(lookup: Lookup) -> ArticleData:
    return load_article(lookup)


def test_the_shipped_article_is_found(lookup: Lookup, article: ArticleData) -> None:
    assert article_iris(lookup) == (str(ART.article),)
    assert article.iri == str(ART.article)
    assert "Nagorno-Karabakh" in article.title


def test_units_cover_the_text_in_order(article: ArticleData) -> None:
    lines = article.lines
    assert [u.number for u in lines] == list(range(1, len(lines) + 1))
    assert [u.number for u in article.sentences] == list(range(1, len(article.sentences) + 1))
    caption = next(u for u in lines if u.line_kind == "CaptionLine")
    assert caption.text.endswith("[+]")
    for sentence in article.sentences:
        line = article.unit(sentence.line or "")
        assert line is not None
        assert line.begin <= sentence.begin < sentence.end <= line.end
        assert sentence.text == line.text[sentence.begin - line.begin : sentence.end - line.begin]


def test_claim_with_its_source_quotation_and_contrasts(article: ArticleData) -> None:
    claim = article.claim(str(ART["st-anti-terrorism"]))
    assert claim.attributed
    assert claim.attribution is not None
    assert claim.attribution.source is not None
    assert claim.attribution.source.label == "Foreign Ministry of Turkey"
    assert claim.attribution.verb == "claimed"
    assert claim.unit is not None and claim.unit.label == "Sentence 11"
    assert [q.words for q in claim.quotations] == [
        "anti-terrorism measures exclusively targeting military elements"
    ]
    assert claim.rests_on(str(ART["q-anti-terrorism"]))
    assert not claim.rests_on(str(ART["q-provocations"]))
    assert article.claim(str(ART["st-fled-to-armenia"])).rests_on(str(ART["fig-fled-to-armenia"]))
    assert claim.predicate.iri == str(NK.characterisedAs)
    assert claim.value_text == "anti-terrorism measures"
    against = {c.iri for c in article.set_against(claim.iri)}
    assert against == {str(ART["st-aggression"]), str(ART["st-ethnic-cleansing"])}
    # ... and the other way round: the claims it contrasts with are contested by it.
    assert claim.iri in {c.iri for c in article.set_against(str(ART["st-aggression"]))}


def test_reporter_and_translator(article: ArticleData) -> None:
    fled = article.claim(str(ART["st-fled-to-armenia"])).attribution
    assert fled is not None
    assert [r.label for r in fled.reported_by] == ["Armenpress"]
    dangerous = [c for c in article.claims if any(q.words == "dangerous," for q in c.quotations)]
    assert dangerous
    assert dangerous[0].attribution is not None
    assert [t.label for t in dangerous[0].attribution.translated_by] == ["Politico"]


def test_figures_have_hedge_bounds_and_time(article: ArticleData) -> None:
    figures = {f.words: f for f in article.figures}
    more = figures["more than 34,000"]
    assert more.hedge is not None and more.hedge.label == "more than"
    assert more.lower is not None and more.lower.value == "34,000" and not more.lower.included
    assert more.upper is None
    assert more.as_of == "Saturday morning"
    assert more.part_of is not None and more.part_of.label == "100,437"
    assert more.bounds_text == "lower bound 34,000, not included"
    roughly = figures["roughly 30,000"]
    assert roughly.lower is None and roughly.upper is None
    assert roughly.bounds_text == "no bounds given"
    exact = figures["100,437"]
    assert exact.lower == exact.upper
    assert exact.lower is not None and exact.lower.included


def test_claims_are_in_text_order(article: ArticleData) -> None:
    begins = [c.unit.begin for c in article.claims if c.unit is not None]
    assert begins == sorted(begins)
    assert len(begins) == len(article.claims)


def test_unknown_article_is_not_found(lookup: Lookup) -> None:
    with pytest.raises(ResourceNotFound):
        load_article(lookup, "https://example.org/no-such-article")
    with pytest.raises(ResourceNotFound):
        load_article(lookup, "not an iri")


def test_unknown_claim_is_not_found(article: ArticleData) -> None:
    with pytest.raises(ResourceNotFound):
        article.claim(str(ART["st-no-such-claim"]))


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("https://w3id.org/nkgraph/id/karabakh-exodus-2023/st-anti-terrorism", "st-anti-terrorism"),
        ("https://w3id.org/nkgraph/ontology#Invasion", "Invasion"),
        ("https://example.org/a b/c d", "c-d"),
    ],
    ids=["slash", "hash", "escaped"],
)
def test_anchor(iri: str, expected: str) -> None:
    assert anchor(iri) == expected


def test_claims_never_show_a_prefixed_name(article: ArticleData) -> None:
    prefixed = re.compile(r"[a-z][a-z0-9]*:[A-Za-z]")
    for claim in article.claims:
        for link in (claim.subject, claim.predicate, claim.obj):
            assert link is None or not prefixed.fullmatch(link.label[: link.label.find(":") + 2])
    actor = article.claim(str(ART["st-offensive-actor-s1"]))
    assert actor.predicate.label == "has actor"  # sem:hasActor has no label of its own
