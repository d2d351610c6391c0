"""reading.py: marks placed on the text; overlapping marks cut into pieces."""

from __future__ import annotations

import pytest

from nkgraph.model.loading import load_dataset
from nkgraph.pages.article import ArticleData, TextUnit, load_article
from nkgraph.pages.lookup import Lookup
from nkgraph.pages.naming import Link
from nkgraph.pages.reading import Mark, Reading, pieces, reading
from nkgraph.sparql.engine import Engine
from nkgraph.vocab import ART


@pytest.fixture(scope="module")
def article() -> ArticleData:
    return load_article(
        Lookup(Engine.from_dataset(load_dataset(), union_default_graph=True), timeout=10.0)
    )


@pytest.fixture(scope="module")
def marked(article: ArticleData) -> Reading:
    return reading(article)


UNIT = TextUnit(
    "u", "Sentence 1", "sentence", 1, 10, 40, "a report stating thousands of them", None, None
)


def mark(id: str, kind: str, begin: int, end: int) -> Mark:
    return Mark(id, kind, Link(id, id), UNIT.text[begin - 10 : end - 10], UNIT, begin, end, ())


def test_pieces_split_overlapping_marks() -> None:
    quote = mark("q", "quotation", 27, 44)  # "thousands of them"
    figure = mark("f", "figure", 27, 36)  # "thousands"
    mention = mark("m", "mention", 31, 44)  # "sands of them": crosses the figure's end
    found = pieces(UNIT, [quote, figure, mention])
    assert "".join(p.text for p in found) == UNIT.text
    by_text = {p.text: p for p in found}
    assert [m.id for m in by_text["thou"].marks] == ["q", "f"]
    assert [m.id for m in by_text["sands"].marks] == ["q", "m", "f"]
    assert by_text["sands"].primary == figure
    assert [m.id for m in by_text[" of them"].marks] == ["q", "m"]
    assert by_text[" of them"].primary == mention  # the shorter of the two
    assert by_text["thou"].first_of == (quote, figure)
    assert by_text["a report stating "].marks == ()


def test_same_words_two_marks_one_piece() -> None:
    one, two = mark("a", "mention", 10, 18), mark("b", "mention", 10, 18)
    found = pieces(UNIT, [one, two])
    assert found[0].text == "a report"
    assert {m.id for m in found[0].marks} == {"a", "b"}


def test_the_marked_text_is_the_article_text(marked: Reading) -> None:
    assert not marked.unplaced
    for line in marked.lines:
        text = "".join(
            gap + "".join(p.text for p in unit.pieces)
            for gap, unit in zip(line.gaps, line.units, strict=False)
        )
        assert text + line.gaps[-1] == line.line.text


def test_mark_ids_are_unique(marked: Reading) -> None:
    ids = [m.id for m in marked.marks]
    assert len(ids) == len(set(ids))


def test_every_quotation_and_figure_is_marked(marked: Reading, article: ArticleData) -> None:
    kinds = {m.kind for m in marked.marks}
    assert kinds == {"mention", "quotation", "figure", "time"}
    assert {f.iri for f in article.figures} <= {m.target.iri for m in marked.marks}


def test_quotation_carries_its_claim(marked: Reading) -> None:
    quote = next(m for m in marked.marks if m.id == "q-anti-terrorism")
    assert quote.words == "anti-terrorism measures exclusively targeting military elements"
    assert quote.unit.label == "Sentence 11"
    assert [c.iri for c in quote.claims] == [str(ART["st-anti-terrorism"])]


def test_mention_of_a_source_carries_what_it_says(marked: Reading) -> None:
    ministry = next(m for m in marked.marks if m.words == "Turkey\u2019s Foreign Ministry")
    assert str(ART["st-anti-terrorism"]) in {c.iri for c in ministry.claims}


def test_a_figure_inside_a_quotation_is_a_piece_of_its_own(marked: Reading) -> None:
    sentence = next(u for line in marked.lines for u in line.units if u.unit.label == "Sentence 9")
    thousands = next(p for p in sentence.pieces if p.text == "thousands")
    assert {m.kind for m in thousands.marks} == {"quotation", "figure", "mention"}
    assert thousands.primary is not None and thousands.primary.kind == "figure"
