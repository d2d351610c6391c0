"""Answers that cannot change between two versions of the data: ETag and 304.

A query's answer is a function of the data and of the request, unless the query calls a
remote service or a function whose value changes per call (``NOW``, ``RAND``, ``UUID``,
``STRUUID``, ``BNODE``). For every other query the service sends an ``ETag`` (a hash of
the data version and the normalised request) and ``Last-Modified`` (when the data was
loaded), and answers a matching ``If-None-Match`` with 304 before evaluating anything.
Tagged answers are also the ones the response cache (``response_cache.py``) may keep.

The data version is the engine's (``Engine.version``): new at every load, and fixed in
a store at build time, so gunicorn's workers agree on it. A backend server's data may
change under the service, so nothing is tagged there (its version is empty).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import lru_cache

from flask import Response, request
from werkzeug.http import http_date

__all__ = ["cached"]  # the tag itself is made by the pipeline (answer_tag)


def cached(
    tag: str | None, last_modified: datetime.datetime, produce: Callable[[], Response]
) -> Response:
    """Answer 304 when the client holds ``tag``; else the ``produce``d response, tagged."""
    if tag is None:
        return produce()
    if "If-None-Match" in request.headers and request.if_none_match.contains_weak(tag):
        response = Response(status=304)  # RFC 9110: weak comparison for 304
    else:
        response = produce()
    response.headers["ETag"] = f'"{tag}"'
    response.headers["Last-Modified"] = _http_date(last_modified)
    if "Vary" not in response.headers:
        response.headers["Vary"] = "Accept"
    return response


@lru_cache(maxsize=8)
def _http_date(moment: datetime.datetime) -> str:
    """``moment`` as an HTTP date, written once per data load rather than per request."""
    return http_date(moment)
