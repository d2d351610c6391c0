"""The two answers that point elsewhere: a ``Link`` header of alternates, and a 303."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from nkgraph.formats import Format

__all__ = ["link_header", "see_other"]


def link_header(alternates: Iterable[tuple[Format, str]]) -> str:
    """A ``Link`` header value with one ``rel="alternate"`` per ``(format, url)`` pair."""
    return ", ".join(
        f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in alternates
    )


def see_other(location: str) -> Response:
    """``303 See Other`` to ``location``, with a one-line body for people reading it raw."""
    response = Response(f"See Other: {location}\n", status=303, mimetype="text/plain")
    response.headers["Location"] = location
    return response
