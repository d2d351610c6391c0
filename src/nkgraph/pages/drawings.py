"""Pictures drawn on the server, as plain layouts a template turns into SVG: the chain
through which a claim reached the article (source → reporter → translator → article),
and the timeline of the article's dated events, as stated and as resolved.

Uncertain times are drawn as spans, not points: "began between 1 and 29 September" is a
bar over those days; a side the data leaves open runs, dashed, to the panel's edge.
Events decades apart get panels of their own, each on its own scale, so September 2023
is not squeezed next to the 1980s. Everything here is arithmetic on frozen values: no
Flask, no SVG library, no network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from nkgraph.pages.article import Claim
from nkgraph.pages.overview import ResolvedTime, TimelineEntry

__all__ = [
    "Bar",
    "Box",
    "ChainDrawing",
    "Panel",
    "Row",
    "Tick",
    "TimelineDrawing",
    "chain_drawing",
    "timeline_drawing",
]

#: A panel's scale: a day to its x coordinate.
_Scale = Callable[[dt.date], float]

_CHAR: Final = 7.4  # a character's width at the drawings' font size, generously
_BOX_HEIGHT: Final = 50
_ARROW: Final = 40


@dataclass(frozen=True)
class Box:
    """One link of an attribution chain: its role ("source") and who."""

    x: float
    width: float
    role: str
    label: str


@dataclass(frozen=True)
class ChainDrawing:
    """Boxes left to right, an arrow between each two; ``title``/``desc`` describe it."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    title: str
    desc: str

    @property
    def arrows(self) -> tuple[tuple[float, float], ...]:
        """``(x1, x2)`` of each arrow, at mid height."""
        return tuple((a.x + a.width, b.x) for a, b in zip(self.boxes, self.boxes[1:], strict=False))


def chain_drawing(claim: Claim) -> ChainDrawing:
    """The chain from the claim's source to the article."""
    a = claim.attribution
    where = claim.unit.label.lower() if claim.unit is not None else "its text"
    links: list[tuple[str, str]] = []
    if a is not None and a.source is not None:
        role = f" ({a.role.label})" if a.role is not None else ""
        links.append((f"source, “{a.verb}”" if a.verb else "source", a.source.label + role))
        links += [("reported by", r.label) for r in a.reported_by]
        links += [("translated by", t.label) for t in a.translated_by]
        links.append(("in the article", where))
    else:
        links.append(("the article's own voice", where))
    boxes, x = [], 1.0
    for role, label in links:
        width = max(len(role), len(label)) * _CHAR + 24
        boxes.append(Box(x, width, role, label))
        x += width + _ARROW
    desc = " → ".join(f"{label} ({role})" for role, label in links)
    if a is not None and a.source is not None and not (a.reported_by or a.translated_by):
        desc += ". The article names no reporter or translator between them."
    return ChainDrawing(
        width=x - _ARROW + 1,
        height=_BOX_HEIGHT + 2,
        boxes=tuple(boxes),
        title=f"How the article came to say: {claim.summary}",
        desc=desc,
    )


@dataclass(frozen=True)
class Bar:
    """A span of the plot: ``kind`` is "window" (it began somewhere in here),
    "end-window" (it ended somewhere in here), "day" (this day), "ongoing" (between a
    known start and end) or "open" (the data sets no limit on this side)."""

    x: float
    width: float
    kind: str
    title: str


@dataclass(frozen=True)
class Row:
    """One dated event: its name, the words the article dates it with, its bars."""

    y: float
    event: str
    stated: str
    bars: tuple[Bar, ...]
    text: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Panel:
    """Events close in time, on one scale."""

    y: float
    height: float
    title: str
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TimelineDrawing:
    width: float
    height: float
    label_width: float
    plot_width: float
    panels: tuple[Panel, ...]
    unplaced: tuple[str, ...]
    title: str
    desc: str


_WIDTH: Final = 960.0
_LABEL: Final = 380.0
_ROW: Final = 38.0
_HEAD: Final = 46.0
_GAP_DAYS: Final = 120  # events further apart than this get panels of their own
_DAY: Final = dt.timedelta(days=1)


def timeline_drawing(entries: Sequence[TimelineEntry]) -> TimelineDrawing:
    """The dated events in panels of their own time scale; undated ones listed apart."""
    dated = [(e, _dates(e)) for e in entries]
    placed = sorted(((e, d) for e, d in dated if d), key=lambda item: min(item[1]))
    clusters: list[list[tuple[TimelineEntry, list[dt.date]]]] = []
    for entry, dates in placed:
        if clusters and (min(dates) - min(clusters[-1][-1][1])).days <= _GAP_DAYS:
            clusters[-1].append((entry, dates))
        else:
            clusters.append([(entry, dates)])
    panels, y = [], 0.0
    for cluster in clusters:
        panel = _panel(y, [e for e, _ in cluster], [d for _, ds in cluster for d in ds])
        panels.append(panel)
        y += panel.height
    unplaced = tuple(f"“{e.stated}” ({e.event.label})" for e, d in dated if not d)
    rows = [r for p in panels for r in p.rows]
    return TimelineDrawing(
        width=_WIDTH,
        height=max(y, 1.0),
        label_width=_LABEL,
        plot_width=_WIDTH - _LABEL - 20,
        panels=tuple(panels),
        unplaced=unplaced,
        title="Timeline of the events the article dates, as resolved to calendar dates",
        desc="; ".join(r.text for r in rows)
        + (f". Not placed on a date: {'; '.join(unplaced)}." if unplaced else "."),
    )


def _dates(entry: TimelineEntry) -> list[dt.date]:
    return [d for r in entry.resolutions for _, d in _stamps(r)]


def _stamps(resolution: ResolvedTime) -> list[tuple[str, dt.date]]:
    found = []
    for name, value in resolution.stamps:
        try:
            found.append((name, dt.date.fromisoformat(value[:10])))
        except ValueError:
            continue  # not a calendar day (a year alone, say): not drawn
    return found


def _panel(y: float, entries: Sequence[TimelineEntry], dates: Sequence[dt.date]) -> Panel:
    first, last = min(dates), max(dates) + _DAY
    pad = max(dt.timedelta(days=(last - first).days // 12), 2 * _DAY)
    start, end = first - pad, last + pad
    plot = _WIDTH - _LABEL - 20

    def x(day: dt.date) -> float:
        return _LABEL + plot * (day - start).days / max((end - start).days, 1)

    rows = tuple(
        Row(
            y + _HEAD + i * _ROW,
            entry.event.label,
            entry.stated,
            tuple(b for r in entry.resolutions for b in _bars(r, x, start, end)),
            f"“{entry.stated}” ({entry.event.label}): "
            + "; or ".join(r.text for r in entry.resolutions),
        )
        for i, entry in enumerate(entries)
    )
    title = (
        f"{first:%B %Y}"
        if (first.year, first.month) == ((last - _DAY).year, (last - _DAY).month)
        else f"{first:%b %Y} \u2013 {last - _DAY:%b %Y}"
    )
    return Panel(y, _HEAD + len(rows) * _ROW + 8, title, _ticks(start, end, x), rows)


def _bars(
    resolution: ResolvedTime,
    x: _Scale,
    start: dt.date,
    end: dt.date,
) -> Iterable[Bar]:
    stamps = dict(_stamps(resolution))
    for name in ("hasTimeStamp", "hasBeginTimeStamp"):
        if name in stamps:
            day = stamps[name]
            yield Bar(x(day), max(x(day + _DAY) - x(day), 3.0), "day", resolution.text)
    eb, lb = stamps.get("hasEarliestBeginTimeStamp"), stamps.get("hasLatestBeginTimeStamp")
    ee, le = stamps.get("hasEarliestEndTimeStamp"), stamps.get("hasLatestEndTimeStamp")
    if eb or lb:
        yield from _span(eb or start, (lb or end) + _DAY, eb is None, lb is None, x, resolution)
    if ee or le:
        after = (lb or eb or start) + _DAY
        yield from _span(
            ee or after, (le or end) + _DAY, False, le is None, x, resolution, end=True
        )
        if lb and ee and ee > lb + _DAY:
            yield Bar(x(lb + _DAY), x(ee) - x(lb + _DAY), "ongoing", resolution.text)


def _span(
    begin: dt.date,
    stop: dt.date,
    open_before: bool,
    open_after: bool,
    x: _Scale,
    resolution: ResolvedTime,
    *,
    end: bool = False,
) -> Iterable[Bar]:
    kind = "open" if open_before or open_after else "end-window" if end else "window"
    yield Bar(x(begin), max(x(stop) - x(begin), 3.0), kind, resolution.text)


def _ticks(start: dt.date, end: dt.date, x: _Scale) -> tuple[Tick, ...]:
    days = (end - start).days
    if days > 3 * 365:
        step = max(1, days // 365 // 8 + 1)
        years = range(start.year + 1, end.year + 1, step)
        return tuple(Tick(x(dt.date(y, 1, 1)), str(y)) for y in years)
    if days > 62:
        ticks, month = [], dt.date(start.year, start.month, 1)
        every = 1 if days < 200 else 2
        while month <= end:
            if month >= start:
                ticks.append(Tick(x(month), f"{month:%b %Y}"))
            for _ in range(every):
                month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return tuple(ticks)
    step = 7 if days > 21 else 2
    return tuple(
        Tick(x(start + i * _DAY), f"{start + i * _DAY:%-d %b}") for i in range(1, days, step)
    )
