"""drawings.py: the layouts behind the SVG pictures, from values built here."""

from __future__ import annotations

import pytest

from nkgraph.pages.article import Claim, TextUnit
from nkgraph.pages.describe import Attribution
from nkgraph.pages.drawings import chain_drawing, timeline_drawing
from nkgraph.pages.naming import Link
from nkgraph.pages.overview import ResolvedTime, TimelineEntry

UNIT = TextUnit("https://ex.org/s2", "Sentence 2", "sentence", 2, 0, 5, "…", None, None)


def claim(attribution: Attribution | None) -> Claim:
    return Claim(
        "https://ex.org/st",
        Link("https://ex.org/e", "The exodus"),
        Link("https://ex.org/p", "number fled"),
        None,
        "100,437",
        None,
        UNIT,
        None,
        None,
        attribution,
        (),
        (),
        None,
    )


def test_chain_source_reporter_translator_article() -> None:
    attribution = Attribution(
        "https://ex.org/a",
        Link("https://ex.org/o", "Armenian officials"),
        None,
        "said",
        (Link("https://ex.org/r", "Armenpress"),),
        (Link("https://ex.org/t", "Reuters"),),
        None,
        None,
        None,
    )
    drawing = chain_drawing(claim(attribution))
    assert [(b.role, b.label) for b in drawing.boxes] == [
        ("source, “said”", "Armenian officials"),
        ("reported by", "Armenpress"),
        ("translated by", "Reuters"),
        ("in the article", "sentence 2"),
    ]
    assert len(drawing.arrows) == 3
    for (x1, x2), left, right in zip(
        drawing.arrows, drawing.boxes[:-1], drawing.boxes[1:], strict=True
    ):
        assert x1 == left.x + left.width < x2 == right.x
    last = drawing.boxes[-1]
    assert last.x + last.width <= drawing.width
    assert drawing.desc.startswith("Armenian officials (source, “said”) → Armenpress")
    assert "The exodus" in drawing.title


def test_chain_without_intermediary_says_so() -> None:
    attribution = Attribution(
        "https://ex.org/a",
        Link("https://ex.org/m", "Foreign Ministry of Turkey"),
        None,
        "claimed",
        (),
        (),
        None,
        None,
        None,
    )
    drawing = chain_drawing(claim(attribution))
    assert len(drawing.boxes) == 2
    assert "names no reporter or translator" in drawing.desc


def test_chain_of_the_article_s_own_voice() -> None:
    drawing = chain_drawing(claim(None))
    assert [(b.role, b.label) for b in drawing.boxes] == [("the article's own voice", "sentence 2")]
    assert drawing.arrows == ()


def entry(stated: str, *stamps: tuple[str, str]) -> TimelineEntry:
    event = Link(f"https://ex.org/{stated}", f"Event {stated}")
    resolutions = (
        (ResolvedTime("https://ex.org/r", "resolved", None, None, "", tuple(stamps)),)
        if stamps
        else ()
    )
    return TimelineEntry(event, stated, event, event, None, resolutions)


def test_timeline_panels_spans_and_undated() -> None:
    entries = [
        entry(
            "late 1980s",
            ("hasEarliestBeginTimeStamp", "1985-01-01"),
            ("hasLatestBeginTimeStamp", "1989-12-31"),
        ),
        entry("one day after", ("hasTimeStamp", "2023-09-20")),
        entry(
            "earlier this month",
            ("hasEarliestBeginTimeStamp", "2023-09-01"),
            ("hasLatestBeginTimeStamp", "2023-09-29"),
        ),
        entry("ever since"),
    ]
    drawing = timeline_drawing(entries)
    assert [len(p.rows) for p in drawing.panels] == [1, 2]  # decades apart: two scales
    assert drawing.panels[1].title == "September 2023"
    assert drawing.unplaced == ("“ever since” (Event ever since)",)
    window = drawing.panels[1].rows[0].bars  # rows run from the earliest date
    day = drawing.panels[1].rows[1].bars
    assert [b.kind for b in day] == ["day"] and [b.kind for b in window] == ["window"]
    # The window spans 29 days, the day one: a span, not a point.
    assert window[0].width == pytest.approx(29 * day[0].width, rel=0.01)
    assert window[0].x < day[0].x < window[0].x + window[0].width
    left, right = drawing.label_width, drawing.label_width + drawing.plot_width
    for panel in drawing.panels:
        for row in panel.rows:
            for bar in row.bars:
                assert left <= bar.x and bar.x + bar.width <= right
        assert all(left <= t.x <= right for t in panel.ticks)
    assert "ever since" in drawing.desc


def test_open_side_runs_to_the_edge() -> None:
    drawing = timeline_drawing(
        [
            entry(
                "preceding",
                ("hasLatestBeginTimeStamp", "2022-12-19"),
                ("hasLatestEndTimeStamp", "2023-09-19"),
            )
        ]
    )
    bars = drawing.panels[0].rows[0].bars
    assert [b.kind for b in bars] == ["open", "end-window"]
    assert bars[0].x == drawing.label_width
