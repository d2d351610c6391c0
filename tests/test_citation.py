"""citation.py: plain-text citations and CSL-JSON, from claims built here and from the
shipped article."""

from __future__ import annotations

import json
import re

import pytest

from nkgraph.model.loading import load_dataset
from nkgraph.pages.article import ArticleData, Claim, FigureFacts, Quotation, TextUnit, load_article
from nkgraph.pages.citation import (
    CSL_JSON,
    article_citations,
    citable_claim,
    citable_words,
    cite,
    csl_json,
)
from nkgraph.pages.describe import Attribution, Bound
from nkgraph.pages.lookup import Lookup
from nkgraph.pages.naming import Link
from nkgraph.sparql.engine import Engine
from nkgraph.vocab import ART

TITLE = "An article"
SENTENCE = TextUnit("https://ex.org/id/a/s4", "Sentence 4", "sentence", 4, 0, 10, "…", None, None)


def claim(
    *,
    source: str | None = "Armenian officials",
    verb: str | None = "said",
    reported: tuple[str, ...] = (),
    translated: tuple[str, ...] = (),
    role: str | None = None,
    quotations: tuple[str, ...] = (),
    figure: str | None = None,
) -> Claim:
    attribution = (
        Attribution(
            "https://ex.org/id/a/attr",
            Link("https://ex.org/id/src", source),
            Link("https://ex.org/id/role", role) if role else None,
            verb,
            tuple(Link(f"https://ex.org/id/{n}", n) for n in reported),
            tuple(Link(f"https://ex.org/id/{n}", n) for n in translated),
            None,
            None,
            None,
        )
        if source
        else None
    )
    facts = (
        FigureFacts(
            "https://ex.org/id/a/fig",
            figure,
            None,
            None,
            Bound("100", False),
            None,
            None,
            None,
            None,
            None,
            SENTENCE.iri,
        )
        if figure
        else None
    )
    return Claim(
        iri="https://ex.org/id/a/st-1",
        subject=Link("https://ex.org/id/offensive", "The offensive"),
        predicate=Link("https://ex.org/ontology#characterisedAs", "characterised as"),
        obj=Link("https://ex.org/ontology#Invasion", "invasion"),
        words=None,
        figure=facts,
        unit=SENTENCE,
        voice=None,
        modality=None,
        attribution=attribution,
        quotations=tuple(
            Quotation(f"https://ex.org/id/a/q{i}", q) for i, q in enumerate(quotations)
        ),
        contrasts=(),
        comment=None,
    )


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (
            claim(quotations=("inadequate,",), translated=("Reuters",), verb="calling"),
            "Armenian officials calling, in a translation by Reuters: “inadequate,”",
        ),
        (
            claim(figure="100,437", reported=("Armenpress",)),
            "Armenian officials said, as reported by Armenpress: “100,437”",
        ),
        (
            claim(
                source="Nazeli Baghdasaryan",
                role="press secretary",
                verb="claimed",
                quotations=("a", "b"),
            ),
            "Nazeli Baghdasaryan (press secretary) claimed: “a” … “b”",
        ),
        (
            claim(source=None),
            "The article states: The offensive: characterised as: invasion",
        ),
        (
            claim(source="The New York Times", verb=None, quotations=("A Stunningly Sudden End",)),
            "The New York Times says: “A Stunningly Sudden End”",
        ),
    ],
    ids=["translated", "reported-figure", "role-two-quotes", "own-voice", "no-verb"],
)
def test_plain_text_citation(made: Claim, expected: str) -> None:
    citation = cite(citable_claim(made), article_title=TITLE)
    assert citation.text == f"{expected}. In “{TITLE}”, sentence 4. https://ex.org/id/a/st-1"
    assert citation.csl["note"] == expected


def test_csl_json_item() -> None:
    citation = cite(citable_claim(claim(quotations=("inadequate,",))), article_title=TITLE)
    [item] = json.loads(csl_json([citation]))
    assert item == {
        "id": "st-1",
        "type": "article-newspaper",
        "title": TITLE,
        "URL": "https://ex.org/id/a/st-1",
        "note": "Armenian officials said: “inadequate,”",
        "genre": "claim",
        "section": "sentence 4",
    }
    assert citation.id == "st-1"
    assert CSL_JSON == "application/vnd.citationstyles.csl+json"


def test_words_without_a_claim_are_the_article_s() -> None:
    item = citable_words("https://ex.org/id/a/fig-2", "figure", "one day", None)
    citation = cite(item, article_title=TITLE, place="line 2")
    assert (
        citation.text
        == f"The article states: “one day”. In “{TITLE}”, line 2. https://ex.org/id/a/fig-2"
    )
    assert citation.csl["genre"] == "figure"


@pytest.fixture(scope="module")
def article() -> ArticleData:
    return load_article(
        Lookup(Engine.from_dataset(load_dataset(), union_default_graph=True), timeout=10.0)
    )


def test_every_claim_quotation_and_figure_of_the_article_has_a_citation(
    article: ArticleData,
) -> None:
    found = article_citations(article)
    assert {c.iri for c in article.claims} <= set(found)
    assert {f.iri for f in article.figures} <= set(found)
    assert {s.target.iri for s in article.spots if s.kind == "quotation"} <= set(found)
    quote = found[str(ART["q-anti-terrorism"])]
    assert quote.text.startswith(
        "Foreign Ministry of Turkey claimed: “anti-terrorism measures exclusively targeting"
    )
    assert ", sentence 11. " in quote.text
    assert quote.text.endswith(str(ART["q-anti-terrorism"]))
    prefixed = re.compile(r"\b(nk|schema|sem|rdf|rdfs|org|prov|skos|foaf|oa|art|id):\w")
    assert not [c.text for c in found.values() if prefixed.search(c.text)]


def test_docstring_example_runs() -> None:
    import doctest

    import nkgraph.pages.citation

    assert doctest.testmod(nkgraph.pages.citation).failed == 0
